// Bytes as a C string literal, the way strace prints a buffer: "hello\n", with a trailing
// ... when only a prefix was kept. Printable ASCII stays as is; everything else is escaped,
// so a binary payload (or half of a UTF-8 character cut by a read) cannot garble a line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace eps {

// The escaped bytes without the quotes: hello\n (what the JSON export's "data" holds).
std::string escapedBytes(std::string_view bytes);
// `bytes` is what was kept; `total` how many the read returned (> bytes.size(): truncated).
std::string quotedPayload(std::string_view bytes, std::int64_t total);

}  // namespace eps
