#include "core/strace/line.hpp"

#include <string.h>  // strerrorname_np (GNU)

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "core/base/names.hpp"

namespace eps {
namespace {

constexpr std::size_t kNpos = std::string_view::npos;
constexpr std::string_view kUnfinished = "<unfinished ...>";
constexpr std::string_view kDetached = "<detached ...>";

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isSpace(char c) {
  return c == ' ' || c == '\t';
}
bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isIdent(char c) {
  return isIdentStart(c) || isDigit(c);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (isSpace(text.front()) || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (isSpace(text.back()) || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

template <bool (*Accept)(char)>
std::size_t skipWhile(std::string_view text, std::size_t i) {
  while (i < text.size() && Accept(text[i])) ++i;
  return i;
}
constexpr auto skipSpaces = skipWhile<isSpace>;
constexpr auto skipDigits = skipWhile<isDigit>;
constexpr auto identEnd = skipWhile<isIdent>;

// Parses digits [begin, end) into `value`; false on overflow or no digits.
bool toInt(std::string_view text, std::size_t begin, std::size_t end, std::int64_t& value) {
  if (begin >= end) return false;
  const auto result = std::from_chars(text.data() + begin, text.data() + end, value);
  return result.ec == std::errc() && result.ptr == text.data() + end;
}

// "<fraction digits>" as ns: ".5" is 500000000. At most 9 digits are significant.
std::int64_t fractionNs(std::string_view digits) {
  std::int64_t ns = 0;
  for (std::size_t k = 0; k < 9; ++k) ns = ns * 10 + (k < digits.size() ? digits[k] - '0' : 0);
  return ns;
}

// "SECONDS.FRACTION" starting at i; returns the index after it, or kNpos.
std::size_t parseSecondsNs(std::string_view text, std::size_t i, std::int64_t& ns) {
  const std::size_t intEnd = skipDigits(text, i);
  if (intEnd == i || intEnd >= text.size() || text[intEnd] != '.') return kNpos;
  const std::size_t fracEnd = skipDigits(text, intEnd + 1);
  std::int64_t seconds = 0;
  if (fracEnd == intEnd + 1 || !toInt(text, i, intEnd, seconds)) return kNpos;
  if (seconds > 9'000'000'000) return kNpos;  // ns would overflow
  ns = seconds * 1'000'000'000 + fractionNs(text.substr(intEnd + 1, fracEnd - intEnd - 1));
  return fracEnd;
}

// -tt "HH:MM:SS.uuuuuu" (or -t without a fraction) or -ttt "EPOCH.uuuuuu", followed by a
// space. Returns the index after it, or kNpos if there is no timestamp at i.
std::size_t parseTimestamp(std::string_view text, std::size_t i, std::int64_t& ns) {
  const std::size_t first = skipDigits(text, i);
  if (first - i == 2 && first < text.size() && text[first] == ':') {
    std::int64_t h = 0, m = 0, s = 0;
    if (first + 6 > text.size() || text[first + 3] != ':' || !toInt(text, i, first, h) ||
        !toInt(text, first + 1, first + 3, m) || !toInt(text, first + 4, first + 6, s)) {
      return kNpos;
    }
    std::size_t end = first + 6;
    std::int64_t fraction = 0;
    if (end < text.size() && text[end] == '.') {
      const std::size_t fracEnd = skipDigits(text, end + 1);
      fraction = fractionNs(text.substr(end + 1, fracEnd - end - 1));
      end = fracEnd;
    }
    ns = ((h * 60 + m) * 60 + s) * 1'000'000'000 + fraction;
    return end < text.size() && isSpace(text[end]) ? end : kNpos;
  }
  const std::size_t end = parseSecondsNs(text, i, ns);
  return end != kNpos && end < text.size() && isSpace(text[end]) ? end : kNpos;
}

// "[pid  NNN] " or "NNN  " (digits then a space; "NNN." is a -ttt timestamp instead).
std::size_t parsePid(std::string_view text, std::size_t i, int& pid) {
  std::int64_t value = 0;
  if (text.substr(i).starts_with("[pid")) {
    const std::size_t begin = skipSpaces(text, i + 4);
    const std::size_t end = skipDigits(text, begin);
    if (end >= text.size() || text[end] != ']' || !toInt(text, begin, end, value)) return kNpos;
    pid = static_cast<int>(value);
    return end + 1;
  }
  const std::size_t end = skipDigits(text, i);
  if (end == i || end >= text.size() || !isSpace(text[end])) return i;
  if (!toInt(text, i, end, value) || value > 0x7fffffff) return i;
  pid = static_cast<int>(value);
  return end;
}

// An fd decoration starting at text[i] == '<': "<TCP:[a->b]>", "</dev/null<char 1:3>>".
// Inside ":[...]" anything goes ("->" holds a '>'); outside, '<' and '>' nest. Returns the
// index after the closing '>', or kNpos if it never closes.
std::size_t skipDecoration(std::string_view text, std::size_t i) {
  int depth = 0;
  bool inBrackets = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (inBrackets) {
      if (c == ']') inBrackets = false;
    } else if (c == '[' && i > 0 && text[i - 1] == ':') {
      inBrackets = true;
    } else if (c == '<') {
      ++depth;
    } else if (c == '>' && --depth == 0) {
      return i + 1;
    }
  }
  return kNpos;
}

// A "string" starting at text[i] == '"'; returns the index after the closing quote.
std::size_t skipString(std::string_view text, std::size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return kNpos;
}

enum class ArgsEnd : std::uint8_t { Paren, Marker, End, Bad };
struct ArgsScan {
  ArgsEnd how = ArgsEnd::Bad;
  std::size_t stop = 0;  // index of the ')' or the marker, or text.size()
};

void putArg(std::vector<std::string>& args, std::size_t& count, std::string_view piece) {
  if (count < args.size()) {
    args[count].assign(piece);  // reuses the string's buffer
  } else {
    args.emplace_back(piece);
  }
  ++count;
}

// Scans an argument list from `begin`, splitting it at top-level commas into `args`. Stops
// at a top-level ')' (if `stopAtParen`), or at an "<unfinished ...>" marker.
ArgsScan scanArgs(std::string_view text, std::size_t begin, bool stopAtParen,
                  std::vector<std::string>& args) {
  std::size_t count = 0;
  std::size_t pieceStart = begin;
  int depth = 0;
  ArgsScan scan;
  std::size_t i = begin;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      i = skipString(text, i);
      if (i == kNpos) return scan;
      continue;
    }
    if (c == '<') {
      const std::string_view rest = text.substr(i);
      if (rest.starts_with(kUnfinished) || rest.starts_with(kDetached)) {
        scan.how = ArgsEnd::Marker;
        break;
      }
      // "1<<CAP_CHOWN" (capget's sets, and other bit sets strace prints as shifts) is an
      // operator; an fd decoration never starts with '<'.
      if (rest.starts_with("<<")) {
        i += 2;
        continue;
      }
      if (i > begin && isIdent(text[i - 1])) {
        i = skipDecoration(text, i);
        if (i == kNpos) return scan;
        continue;
      }
    } else if (c == '(' || c == '{' || c == '[') {
      ++depth;
    } else if (c == ')' || c == '}' || c == ']') {
      if (depth == 0 && c == ')' && stopAtParen) {
        scan.how = ArgsEnd::Paren;
        break;
      }
      if (depth == 0) return scan;  // a closer with no opener
      --depth;
    } else if (c == ',' && depth == 0) {
      putArg(args, count, trim(text.substr(pieceStart, i - pieceStart)));
      pieceStart = i + 1;
    }
    ++i;
  }
  if (i >= text.size()) {
    if (stopAtParen || depth != 0) return scan;  // ran off the end: truncated line
    scan.how = ArgsEnd::End;
  }
  scan.stop = std::min(i, text.size());
  const std::string_view last = trim(text.substr(pieceStart, scan.stop - pieceStart));
  // "f()" has no argument, and "f(a, <unfinished ...>" has one, not two.
  if (!last.empty() || (count > 0 && scan.how != ArgsEnd::Marker)) putArg(args, count, last);
  args.resize(count);
  return scan;
}

// A "(...)" group starting at text[i] == '(' (an errno message, a note such as
// "(flags O_RDWR)" or "([{fd=3, revents=POLLIN}])"); returns the index after its ')'.
std::size_t skipGroup(std::string_view text, std::size_t i) {
  int depth = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      i = skipString(text, i);
      if (i == kNpos) return kNpos;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) return i + 1;
    ++i;
  }
  return kNpos;
}

// After the return value: [ENAME (message)] [(note)] [<unavailable>] [<duration>], in order.
bool parseResultTail(std::string_view text, std::size_t i, StraceCall& call) {
  while (true) {
    const std::size_t start = skipSpaces(text, i);
    if (start >= text.size()) return true;
    if (start == i) return false;  // parts are separated by spaces
    i = start;
    const char c = text[i];
    if (c == 'E' && call.errName.empty() && call.durNs < 0) {
      const std::size_t end = identEnd(text, i);
      call.errName.assign(text.substr(i, end - i));
      call.err = straceErrno(call.errName).value_or(0);
      i = end;
    } else if (c == '(' && call.durNs < 0) {
      const std::size_t end = skipGroup(text, i);
      if (end == kNpos) return false;
      // What the call reported beside its value: poll's "[{fd=3, revents=POLLIN}]", select's
      // "in [3], left {...}". An errno's message is not kept.
      if (call.errName.empty() && call.retNote.empty()) {
        call.retNote.assign(text.substr(i + 1, end - i - 2));
      }
      i = end;
    } else if (text.substr(i).starts_with("<unavailable>")) {
      i += std::string_view("<unavailable>").size();
    } else if (c == '<' && call.durNs < 0) {
      std::int64_t ns = 0;
      const std::size_t end = parseSecondsNs(text, i + 1, ns);
      if (end == kNpos || end >= text.size() || text[end] != '>') return false;
      call.durNs = ns;
      call.durSeconds = static_cast<double>(ns) / 1e9;
      i = end + 1;
    } else {
      return false;
    }
  }
}

// The part after the closing parenthesis: "= RET[<decoration>]" and the tail.
bool parseResult(std::string_view text, std::size_t i, StraceCall& call) {
  i = skipSpaces(text, i);
  if (i >= text.size() || text[i] != '=') return false;
  const std::size_t valueStart = skipSpaces(text, i + 1);
  if (valueStart == i + 1 || valueStart >= text.size()) return false;
  i = valueStart;
  if (text[i] == '?') {
    ++i;
  } else if (text.substr(i).starts_with("0x")) {
    unsigned long long value = 0;
    const auto result = std::from_chars(text.data() + i + 2, text.data() + text.size(), value, 16);
    if (result.ec != std::errc()) return false;
    call.ret = static_cast<long long>(value);  // addresses above 2^63 keep their bits
    i = static_cast<std::size_t>(result.ptr - text.data());
  } else {
    const std::size_t end = skipDigits(text, text[i] == '-' ? i + 1 : i);
    std::int64_t value = 0;
    if (!toInt(text, i, end, value)) return false;
    call.ret = value;
    i = end;
  }
  if (i < text.size() && text[i] == '<' && !text.substr(i).starts_with("<unavailable>")) {
    const std::size_t end = skipDecoration(text, i);
    // "= 0 <0.000015>" is a duration, not a decoration: only a value glued to '<' has one.
    if (end == kNpos) return false;
    call.retDecoration.assign(text.substr(i + 1, end - i - 2));
    i = end;
  }
  return parseResultTail(text, i, call);
}

// "NAME(args) = result", or "<... NAME resumed>args) = result", or either cut short by
// "<unfinished ...>". `i` is at NAME (or at "<... ").
bool parseCall(std::string_view text, std::size_t i, bool resumed, StraceLine& out) {
  StraceCall& call = out.call;
  if (resumed) i += 5;  // "<... "
  const std::size_t nameEnd = identEnd(text, i);
  if (nameEnd == i) return false;
  call.name.assign(text.substr(i, nameEnd - i));
  i = nameEnd;
  if (resumed) {
    if (!text.substr(i).starts_with(" resumed>")) return false;
    i += 9;
    // "<... epoll_wait resumed> <unfinished ...>) = ?": the process died inside the call.
    const std::string_view rest = text.substr(i);
    if (rest.starts_with(" <unfinished ...>)")) i += 1 + kUnfinished.size();
  } else {
    if (i >= text.size() || text[i] != '(') return false;
    ++i;
  }
  const ArgsScan scan = scanArgs(text, i, true, call.args);
  if (scan.how != ArgsEnd::Paren && scan.how != ArgsEnd::Marker) return false;
  call.argsText.assign(text.substr(i, scan.stop - i));
  out.resumed = call.resumed = resumed;
  if (scan.how == ArgsEnd::Marker) {
    const std::size_t markerEnd = text.substr(scan.stop).starts_with(kUnfinished)
                                      ? scan.stop + kUnfinished.size()
                                      : scan.stop + kDetached.size();
    out.unfinished = true;
    return trim(text.substr(markerEnd)).empty();
  }
  return parseResult(text, scan.stop + 1, call);
}

// Field by field rather than `= {}`: the strings and the args vector keep their buffers.
void resetLine(StraceLine& out) {
  out.kind = StraceLineKind::NotUnderstood;
  out.pid = 0;
  out.tsSeconds = -1;
  out.tsNs = -1;
  out.unfinished = out.resumed = false;
  out.text.clear();
  StraceCall& call = out.call;
  call.pid = call.err = 0;
  call.tsSeconds = call.durSeconds = -1;
  call.tsNs = call.durNs = -1;
  call.name.clear();
  call.argsText.clear();
  call.errName.clear();
  call.retDecoration.clear();
  call.retNote.clear();
  call.ret.reset();
  call.unfinished = call.resumed = false;
}

// "--- SIGCHLD {...} ---", "+++ exited with 0 +++", "strace: ...", "[ Process ... ]".
bool parseNotice(std::string_view body, StraceLine& out) {
  if (body.size() >= 8 && body.starts_with("--- ") && body.ends_with(" ---")) {
    std::string_view inner = body.substr(4, body.size() - 8);
    inner = inner.substr(0, inner.find(" {"));
    out.kind = StraceLineKind::Signal;
    out.text.assign(inner);
    return true;
  }
  if (body.size() >= 8 && body.starts_with("+++ ") && body.ends_with(" +++")) {
    out.kind = StraceLineKind::Exit;
    out.text.assign(body.substr(4, body.size() - 8));
    return true;
  }
  if (body.starts_with("strace: ") || (body.starts_with("[ ") && body.ends_with(" ]"))) {
    out.kind = StraceLineKind::Info;
    out.text.assign(body);
    return true;
  }
  return false;
}

}  // namespace

StraceLineKind parseStraceLine(std::string_view line, StraceLine& out) {
  resetLine(out);
  const std::string_view text = trim(line);
  std::size_t i = parsePid(text, 0, out.pid);
  if (i == kNpos) return out.kind;
  i = skipSpaces(text, i);
  std::int64_t ns = 0;
  const std::size_t tsEnd = parseTimestamp(text, i, ns);
  if (tsEnd != kNpos) {
    out.tsNs = ns;
    out.tsSeconds = static_cast<double>(ns) / 1e9;
    i = skipSpaces(text, tsEnd);
  }
  const std::string_view body = text.substr(i);
  if (body.empty() || parseNotice(body, out)) return out.kind;
  const bool resumed = body.starts_with("<... ");
  if ((resumed || isIdentStart(body.front())) && parseCall(text, i, resumed, out)) {
    out.kind = StraceLineKind::Syscall;
    out.call.pid = out.pid;
    out.call.tsSeconds = out.tsSeconds;
    out.call.tsNs = out.tsNs;
    out.call.unfinished = out.unfinished;
    return out.kind;
  }
  const int pid = out.pid;
  resetLine(out);
  out.pid = pid;
  out.call.args.clear();
  return out.kind;
}

StraceLine parseStraceLine(std::string_view line) {
  StraceLine out;
  parseStraceLine(line, out);
  return out;
}

std::vector<std::string> splitStraceArgs(std::string_view args) {
  std::vector<std::string> out;
  const ArgsScan scan = scanArgs(args, 0, false, out);
  if (scan.how == ArgsEnd::Bad) {
    // Unbalanced text (a truncated line): still give the caller the whole as one argument.
    out.clear();
    if (!trim(args).empty()) out.emplace_back(trim(args));
  }
  return out;
}

int leadingFd(std::string_view arg) {
  arg = trim(arg);
  const std::size_t end = skipDigits(arg, 0);
  if (end == 0 || end > 9) return -1;
  if (end < arg.size() && arg[end] != '<') return -1;
  std::int64_t value = 0;
  return toInt(arg, 0, end, value) ? static_cast<int>(value) : -1;
}

std::string_view fdDecoration(std::string_view arg) {
  arg = trim(arg);
  const std::size_t open = arg.find('<');
  if (open == kNpos || open == 0) return {};
  const std::size_t end = skipDecoration(arg, open);
  if (end == kNpos) return {};
  return arg.substr(open + 1, end - open - 2);
}

std::optional<int> straceErrno(std::string_view name) {
  if (const auto known = errnoFromName(name)) return known;
  // Names glibc knows (ECHILD, ENOTTY, ...), plus the kernel-internal restart codes strace
  // shows for interrupted calls; built once, on the first unusual name.
  static const std::unordered_map<std::string, int> table = [] {
    std::unordered_map<std::string, int> names = {
        {"ERESTARTSYS", 512}, {"ERESTARTNOINTR", 513},        {"ERESTARTNOHAND", 514},
        {"ENOIOCTLCMD", 515}, {"ERESTART_RESTARTBLOCK", 516}, {"ENOTSUPP", 524},
    };
    for (int err = 1; err < 256; ++err) {
      if (const char* known = strerrorname_np(err)) names.emplace(known, err);
    }
    return names;
  }();
  const auto found = table.find(std::string(name));
  if (found == table.end()) return std::nullopt;
  return found->second;
}

}  // namespace eps
