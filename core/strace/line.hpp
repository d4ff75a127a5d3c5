// Parser for the lines `strace -f -o FILE` writes (with any of -tt, -ttt, -T, -y, -yy): the
// fidelity test compares them with the trace, and the strace importer builds on it. A
// hand-written scanner, no std::regex: an importer streams logs of gigabytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eps {

struct StraceCall {
  int pid = 0;                    // 0 when the log has no pid column (no -f)
  double tsSeconds = -1;          // -tt: seconds since local midnight; -ttt: epoch; -1 if none
  std::int64_t tsNs = -1;         // the same, exact in ns (a double loses ns at epoch scale)
  std::string name;               // "epoll_wait", "accept4", ...
  std::vector<std::string> args;  // top-level arguments, trimmed, decorations kept
  std::string argsText;           // the raw text between the parentheses
  std::optional<long long> ret;   // nullopt for "= ?" and for calls that never finished
  std::string retDecoration;      // -y/-yy decoration of a returned fd: "TCP:[1.2.3.4:5->...]"
  std::string retNote;            // the "(...)" after a successful result, without the parentheses
  int err = 0;                    // errno number, 0 if none (or a name this machine does not know)
  std::string errName;            // "EAGAIN", "ERESTARTSYS"; empty if none
  double durSeconds = -1;         // -T; -1 if none
  std::int64_t durNs = -1;
  bool unfinished = false;  // the call never got its result (no resumed line followed)
  bool resumed = false;     // the result came on a "<... NAME resumed>" line
};

enum class StraceLineKind : std::uint8_t {
  Syscall,        // a complete call, or one half of an unfinished/resumed pair
  Signal,         // --- SIGINT {...} ---
  Exit,           // +++ exited with 0 +++ / +++ killed by SIGTERM +++
  Info,           // strace's own messages: "strace: Process 12 attached", "[ Process ... ]"
  NotUnderstood,  // anything else, including empty lines and garbage
};

struct StraceLine {
  StraceLineKind kind = StraceLineKind::NotUnderstood;
  int pid = 0;
  double tsSeconds = -1;
  std::int64_t tsNs = -1;
  StraceCall call;          // Syscall only
  bool unfinished = false;  // Syscall: the line ends in "<unfinished ...>"
  bool resumed = false;     // Syscall: the line starts with "<... NAME resumed>"
  std::string text;         // Signal: "SIGINT"; Exit: "exited with 0"; Info: the message
};

// Parses one line (without its newline). Never throws; a line it cannot read is
// NotUnderstood. Reuses `out`'s buffers, which matters when streaming millions of lines.
StraceLineKind parseStraceLine(std::string_view line, StraceLine& out);
StraceLine parseStraceLine(std::string_view line);

// Splits an argument list at top-level commas, respecting "strings" (escapes, and the `...`
// that marks truncation), {structs}, [arrays], (calls) and fd decorations <...> (which may
// hold '>' as in "->" and nest as in "3</dev/null<char 1:3>>"). Arguments are trimmed.
std::vector<std::string> splitStraceArgs(std::string_view args);

// The fd number at the start of an argument: 5 for "5<TCP:[127.0.0.1:5555->...]>" or "5";
// -1 if the argument does not start with a number (e.g. "AT_FDCWD", "NULL").
int leadingFd(std::string_view arg);
// The text of an argument's fd decoration without the brackets: "TCP:[127.0.0.1:5555]" for
// "3<TCP:[127.0.0.1:5555]>"; empty if there is none.
std::string_view fdDecoration(std::string_view arg);

// errno number of a name as strace prints it, including the kernel-internal ERESTART* codes;
// nullopt if unknown.
std::optional<int> straceErrno(std::string_view name);

}  // namespace eps
