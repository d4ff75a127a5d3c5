#include "core/lessons/syntax.hpp"

#include <array>
#include <charconv>
#include <vector>

namespace eps {
namespace {

using Kind = LessonAction::Kind;

// A word of a command line; `raw` is the text as written (quotes included) for messages.
struct Token {
  std::string text;
  std::string_view raw;
  std::size_t at = 0;  // byte offset in the source
  bool quoted = false;
};

// Thrown inside this file only: a parse stops at its first error, and every path that can
// fail is a few calls deep, so unwinding beats threading an error through each of them.
struct TextRefusal {
  std::size_t at;
  std::string message;
};

[[noreturn]] void refuse(std::size_t at, std::string message) {
  throw TextRefusal{at, std::move(message)};
}

bool isSpace(char c) {
  return c == ' ' || c == '\t';
}

// Reads a "quoted string" starting at `at`; only \" and \\ are escapes, so a lesson's TEXT
// means exactly the bytes the client will send.
std::size_t readQuoted(std::string_view src, std::size_t at, std::string& out) {
  std::size_t i = at + 1;
  while (i < src.size() && src[i] != '"') {
    if (src[i] == '\\') {
      if (i + 1 >= src.size() || (src[i + 1] != '"' && src[i + 1] != '\\')) {
        refuse(i, "unknown escape in a quoted string (only \\\" and \\\\)");
      }
      ++i;
    }
    out += src[i++];
  }
  if (i >= src.size()) refuse(at, "unterminated quoted string; expected a closing '\"'");
  ++i;
  if (i < src.size() && !isSpace(src[i])) refuse(i, "expected a space after the closing quote");
  return i;
}

std::vector<Token> tokenize(std::string_view src) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (true) {
    while (i < src.size() && isSpace(src[i])) ++i;
    if (i >= src.size()) return tokens;
    Token token;
    token.at = i;
    if (src[i] == '"') {
      token.quoted = true;
      i = readQuoted(src, i, token.text);
    } else {
      while (i < src.size() && !isSpace(src[i])) token.text += src[i++];
    }
    token.raw = src.substr(token.at, i - token.at);
    tokens.push_back(std::move(token));
  }
}

std::string quote(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::int64_t number(const Token& token, std::string_view label, std::int64_t lo, std::int64_t hi) {
  const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
  std::int64_t value = 0;
  const char* end = token.text.data() + token.text.size();
  const auto [ptr, ec] = std::from_chars(token.text.data(), end, value);
  if (token.quoted || token.text.empty() || ptr != end || ec == std::errc::invalid_argument) {
    refuse(token.at,
           std::string(label) + " must be a number " + range + ", got " + quote(token.raw));
  }
  if (ec != std::errc{} || value < lo || value > hi) {
    refuse(token.at, std::string(label) + " must be " + range + ", got " + token.text);
  }
  return value;
}

// Argument codes: N connect's count, C client, B bytes, M milliseconds, T "text",
// K KNOB=VALUE, F a descriptor count (0 allowed), n an optional step count, t an optional
// repeat count, E a bundled example's name.
struct Verb {
  std::string_view name;
  Kind kind;
  std::string_view args;
};
constexpr std::array<Verb, 21> kVerbs = {{
    {"connect", Kind::Connect, "N"},
    {"send", Kind::Send, "CB"},
    {"letters", Kind::Letters, "CBt"},
    {"lines", Kind::Lines, "CB"},
    {"text", Kind::Text, "CT"},
    {"urgent", Kind::Urgent, "C"},
    {"trickle", Kind::Trickle, "CBM"},
    {"stop-trickle", Kind::StopTrickle, "C"},
    {"stop-reading", Kind::StopReading, "C"},
    {"resume-reading", Kind::ResumeReading, "C"},
    {"shutdown", Kind::Shutdown, "C"},
    {"close", Kind::Close, "C"},
    {"reset", Kind::Reset, "C"},
    {"set", Kind::Set, "K"},
    {"limit-fds", Kind::LimitFds, "F"},
    {"pause", Kind::Pause, ""},
    {"run", Kind::Run, ""},
    {"step-wakeup", Kind::StepWakeup, "n"},
    {"step-call", Kind::StepCall, "n"},
    {"wait", Kind::Wait, "M"},
    {"example", Kind::Example, "E"},
}};

std::string_view argLabel(char code) {
  switch (code) {
    case 'N':
      return "N";
    case 'C':
      return "CLIENT";
    case 'B':
      return "BYTES";
    case 'M':
      return "MS";
    case 'T':
      return "\"TEXT\"";
    case 'K':
      return "KNOB=VALUE";
    case 'F':
      return "N";
    case 't':
      return "[TIMES]";
    case 'E':
      return "NAME";
    default:
      return "[N]";
  }
}

std::string usage(const Verb& verb) {
  std::string out(verb.name);
  for (char code : verb.args) out += " " + std::string(argLabel(code));
  return out;
}

std::string verbList() {
  std::string out;
  for (const auto& verb : kVerbs) out += (out.empty() ? "" : ", ") + std::string(verb.name);
  return out;
}

void setArgument(LessonAction& action, const Token& token, const Knobs& knobs) {
  const auto colon = token.text.find('=');
  if (token.quoted || colon == std::string::npos || colon == 0) {
    refuse(token.at, "set needs KNOB=VALUE, got " + quote(token.raw));
  }
  const std::string name = token.text.substr(0, colon);
  const auto id = knobFromName(name);
  if (!id) refuse(token.at, "unknown knob " + quote(name) + " (expected: " + knobNameList() + ")");
  action.knob = *id;
  action.value = token.text.substr(colon + 1);
  Knobs scratch = knobs;
  if (auto error = setLessonKnob(scratch, *id, action.value, false)) {
    refuse(token.at + colon + 1, std::move(*error));
  }
}

void textArgument(LessonAction& action, const Token& token) {
  if (!token.quoted) refuse(token.at, "TEXT must be a quoted string, got " + quote(token.raw));
  if (token.text.empty()) refuse(token.at, "TEXT must not be empty");
  if (static_cast<std::int64_t>(token.text.size()) > kLessonMaxBytes) {
    refuse(token.at, "TEXT must be at most " + std::to_string(kLessonMaxBytes) + " bytes");
  }
  action.text = token.text;
  action.count = static_cast<std::int64_t>(token.text.size());
}

void exampleArgument(LessonAction& action, const Token& token) {
  if (!token.quoted && isBundledExample(token.text)) {
    action.text = token.text;
    return;
  }
  std::string names;
  for (const std::string_view name : kBundledExamples) {
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  refuse(token.at, "unknown example " + quote(token.raw) + " (expected: " + names + ")");
}

void applyArgument(LessonAction& action, char code, const Token& token, const Knobs& knobs) {
  const std::string_view label = argLabel(code);
  switch (code) {
    case 'C':
      action.client = static_cast<int>(number(token, label, 1, kLessonMaxCount));
      return;
    case 'B':
      action.count = number(token, label, 1, kLessonMaxBytes);
      return;
    case 'M':
      // trickle's MS is its period; wait's MS is how long to wait.
      (action.kind == Kind::Trickle ? action.periodMs : action.count) =
          number(token, label, 1, kLessonMaxMs);
      return;
    case 'T':
      textArgument(action, token);
      return;
    case 'K':
      setArgument(action, token, knobs);
      return;
    case 'F':
      action.count = number(token, "N", 0, kLessonMaxFds);
      return;
    case 't':
      action.times = number(token, "TIMES", 1, kLessonMaxCount);
      return;
    case 'E':
      exampleArgument(action, token);
      return;
    default:  // N and [N]
      action.count = number(token, "N", 1, kLessonMaxCount);
      return;
  }
}

ActionParse actionFrom(std::string_view source, const Knobs& knobs) {
  const auto tokens = tokenize(source);
  if (tokens.empty()) refuse(0, "empty action (expected: " + verbList() + ")");
  const Verb* verb = nullptr;
  for (const auto& candidate : kVerbs) {
    if (!tokens[0].quoted && candidate.name == tokens[0].text) verb = &candidate;
  }
  if (!verb) {
    refuse(tokens[0].at,
           "unknown action " + quote(tokens[0].raw) + " (expected: " + verbList() + ")");
  }
  ActionParse out;
  LessonAction action;
  action.kind = verb->kind;
  action.source = std::string(source);
  std::size_t next = 1;
  for (char code : verb->args) {
    if (next >= tokens.size()) {
      if (code == 'n' || code == 't') break;
      refuse(source.size(), quote(verb->name) + " needs " + std::string(argLabel(code)) +
                                " (usage: " + usage(*verb) + ")");
    }
    if (code == 'C' || code == 'N') out.clientColumn = static_cast<int>(tokens[next].at) + 1;
    applyArgument(action, code, tokens[next], knobs);
    ++next;
  }
  if (next < tokens.size()) {
    refuse(tokens[next].at,
           "unexpected " + quote(tokens[next].raw) + " (usage: " + usage(*verb) + ")");
  }
  out.action = std::move(action);
  return out;
}

std::int64_t duration(const Token& token) {
  const std::string_view text = token.text;
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string_view unit(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
  if (token.quoted || ptr == text.data() || (unit != "ms" && unit != "s")) {
    refuse(token.at, "expected a duration with ms or s (300ms, 5s), got " + quote(token.raw));
  }
  const std::int64_t scale = unit == "s" ? 1000 : 1;
  if (ec != std::errc{} || value < 1 || value > kLessonMaxMs / scale) {
    refuse(token.at, "a duration must be 1ms..60s, got " + token.text);
  }
  return value * scale;
}

constexpr std::string_view kUntilForms =
    "idle DURATION, wakeups N, event stranded|busy|blocked, or nothing";

// The kind and its argument; returns the index of the next token.
std::size_t untilKind(RunUntil& until, const std::vector<Token>& tokens, std::size_t end) {
  const Token& kind = tokens[0];
  if (kind.text == "nothing" && !kind.quoted) {
    until.kind = RunUntil::Kind::Nothing;
    return 1;
  }
  const bool known =
      !kind.quoted && (kind.text == "idle" || kind.text == "wakeups" || kind.text == "event");
  if (!known) refuse(kind.at, "expected " + std::string(kUntilForms) + ", got " + quote(kind.raw));
  if (tokens.size() < 2)
    refuse(end, quote(kind.text) + " needs a value (" + std::string(kUntilForms) + ")");
  const Token& arg = tokens[1];
  if (kind.text == "idle") {
    until.kind = RunUntil::Kind::Idle;
    until.idleMs = duration(arg);
  } else if (kind.text == "wakeups") {
    until.kind = RunUntil::Kind::Wakeups;
    until.wakeups = number(arg, "N", 1, kLessonMaxWakeups);
  } else {
    if (arg.quoted || (arg.text != "stranded" && arg.text != "busy" && arg.text != "blocked")) {
      refuse(arg.at, "the event must be stranded, busy or blocked, got " + quote(arg.raw));
    }
    until.kind = RunUntil::Kind::Event;
    until.event = arg.text;
  }
  return 2;
}

UntilParse untilFrom(std::string_view source) {
  const auto tokens = tokenize(source);
  if (tokens.empty()) refuse(0, "expected " + std::string(kUntilForms));
  RunUntil until;
  std::size_t next = untilKind(until, tokens, source.size());
  if (next < tokens.size() && tokens[next].text == "within" && !tokens[next].quoted) {
    if (until.kind == RunUntil::Kind::Nothing) {
      refuse(tokens[next].at, "'nothing' runs nothing, so it takes no 'within' bound");
    }
    if (next + 1 >= tokens.size()) refuse(source.size(), "'within' needs a duration (5s)");
    until.boundMs = duration(tokens[next + 1]);
    if (until.kind == RunUntil::Kind::Idle && until.boundMs <= until.idleMs) {
      refuse(tokens[next + 1].at, "the bound must be longer than the idle time");
    }
    next += 2;
  }
  if (next < tokens.size()) {
    refuse(tokens[next].at,
           "unexpected " + quote(tokens[next].raw) + " (expected 'within DURATION' or the end)");
  }
  UntilParse out;
  out.until = until;
  return out;
}

LessonTextError textError(const TextRefusal& refusal) {
  return {static_cast<int>(refusal.at) + 1, refusal.message};
}

}  // namespace

ActionParse parseLessonAction(std::string_view source, const Knobs& knobs) {
  try {
    return actionFrom(source, knobs);
  } catch (const TextRefusal& refusal) {
    ActionParse out;
    out.error = textError(refusal);
    return out;
  }
}

UntilParse parseRunUntil(std::string_view source) {
  try {
    return untilFrom(source);
  } catch (const TextRefusal& refusal) {
    UntilParse out;
    out.error = textError(refusal);
    return out;
  }
}

std::string knobValueError(KnobId id, std::string_view value, bool quoted) {
  const KnobInfo& info = knobInfo(id);
  return "'" + std::string(info.name) + "' must be " + std::string(info.allowed) + ", got " +
         (quoted ? quote(value) : std::string(value));
}

std::optional<std::string> setLessonKnob(Knobs& knobs, KnobId id, std::string_view value,
                                         bool quoted) {
  // setKnob's own text is phrased for the command line ("--read-chunk: ..."); only its
  // verdict is used here.
  if (setKnob(knobs, id, value)) return knobValueError(id, value, quoted);
  return std::nullopt;
}

std::string knobNameList() {
  std::string out;
  for (const auto& info : knobTable()) {
    out += (out.empty() ? "" : ", ") + std::string(info.name);
  }
  return out;
}

}  // namespace eps
