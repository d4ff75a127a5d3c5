// What a TOML file from elsewhere must pass before toml++ reads it. Debian's toml++ 3.3.0 has
// faults a file can reach: an assertion on a table header that does not start with a key
// ("[)", "[[=", "[" then a newline; parse_key's precondition, see #294 and #301) and undefined
// behaviour (UBSan "unreachable") in its whitespace test for some code points outside ASCII
// (is_non_ascii_horizontal_whitespace: U+00A1..U+0499, U+2C5E..U+3057 but U+3000,
// U+FB26..U+FEFE), reached anywhere outside strings and comments and right after a
// line-ending backslash in a multi-line string (upstream marzer/tomlplusplus#190, #295). The
// build links Debian's compiled libtomlplusplus (TOML_SHARED_LIB), where the assertion is
// compiled out and the undefined behaviour happens to end in a parse error; toml++ compiled
// into a debug or sanitized binary (header-only, as a fuzz target may) aborts instead. This
// check keeps both inputs away from toml++ in every build. It refuses nothing TOML 1.0 allows except those code points as the first
// character after a line-ending backslash, and it leaves every other judgement to toml++.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace eps {

struct TomlGuardProblem {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in code points as toml++ counts them
  std::string message;
};

// Ownership: a plain function; no state. nullopt when `text` may be handed to toml++.
std::optional<TomlGuardProblem> checkTomlText(std::string_view text);

}  // namespace eps
