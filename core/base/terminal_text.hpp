// Text that came from a file (a session's host, a lesson's title, a line of a log), made safe
// to print on a terminal. A crafted file must not be able to move the cursor, retitle the
// window or rewrite what is on screen: ESC (0x1b) starts those sequences in C0, and C1 (U+0080
// .. U+009F, e.g. CSI U+009B) does in terminals that honour 8-bit controls. Every place that
// prints untrusted text to the terminal goes through terminalText(); the window does not need
// it (ImGui draws glyphs, it does not interpret them).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace eps {

inline constexpr std::size_t kTerminalTextWhole = static_cast<std::size_t>(-1);

// `text` with every control character shown escaped — C0 (tab and newline included: the
// result is one line), DEL and C1 as "\x1b", "\x7f", "\u009b" — and every byte that is not
// part of valid UTF-8 replaced with U+FFFD. Printable UTF-8 passes unchanged. When `text` has
// more than `maxBytes` bytes, only its first `maxBytes` (cut at a character boundary) are
// shown, followed by "...".
std::string terminalText(std::string_view text, std::size_t maxBytes = kTerminalTextWhole);

// The length in bytes of the valid UTF-8 sequence at the start of `text` (1 to 4), or 0 when
// the bytes there are not one (a stray continuation byte, an overlong form, a surrogate, a code
// point past U+10FFFF, or a sequence cut short). `text` must not be empty.
std::size_t utf8SequenceLength(std::string_view text);

// The byte offset of the first byte of `text` that is not valid UTF-8, or npos when it is all
// valid.
std::size_t firstInvalidUtf8(std::string_view text);

}  // namespace eps
