// Reads a lesson's TOML into a Lesson, refusing anything it does not understand: a lesson
// that CI runs must never be half-read or silently reinterpreted. The format is documented in
// lessons/README.md; the command lines inside it (actions, until) are parsed by
// core/lessons/syntax.cpp.
#include "core/lessons/lesson.hpp"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include <toml++/toml.h>

#include "core/base/capped_file.hpp"
#include "core/base/input_limits.hpp"
#include "core/base/knob_changes.hpp"
#include "core/base/toml_guard.hpp"
#include "core/checks/check_expr.hpp"
#include "core/lessons/syntax.hpp"

namespace eps {
namespace {

// The first refusal unwinds the whole walk: it is the one reported, and nothing partial
// escapes to the caller.
struct Refusal {
  SourcePlace place;
  std::string message;
};

[[noreturn]] void refuse(SourcePlace place, std::string message) {
  throw Refusal{place, std::move(message)};
}

SourcePlace placeOf(const toml::source_region& region) {
  // An empty document has no position; its errors belong at the top of the file.
  if (region.begin.line == 0) return {1, 1};
  return {static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

SourcePlace placeOf(const toml::node& node) {
  return placeOf(node.source());
}

// Where byte `column` (1-based) of a string value sits in the file. toml++ counts columns
// in code points, so the bytes before it are counted the same way. Exact for a string on one
// line without escapes; a string over several lines keeps the string's own place.
SourcePlace placeInString(const toml::node& node, std::string_view content, int column) {
  const toml::source_region& region = node.source();
  SourcePlace place = placeOf(region);
  if (region.begin.line != region.end.line) return place;
  const std::size_t bytes =
      std::min(static_cast<std::size_t>(std::max(column - 1, 0)), content.size());
  int points = 0;
  for (char c : content.substr(0, bytes)) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++points;
  }
  place.column += 1 + points;  // 1 for the opening quote
  return place;
}

std::string typeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

[[noreturn]] void refuseType(const toml::node& node, std::string_view expected) {
  refuse(placeOf(node), "expected " + std::string(expected) + ", got " + typeName(node));
}

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

// A table's entries in the order they appear in the file (toml++ keeps them sorted by key),
// so the first error reported is the first one the author would meet.
std::vector<std::pair<const toml::key*, const toml::node*>> inFileOrder(const toml::table& table) {
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (auto&& [key, value] : table) entries.emplace_back(&key, &value);
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto& left = a.first->source().begin;
    const auto& right = b.first->source().begin;
    return std::pair(left.line, left.column) < std::pair(right.line, right.column);
  });
  return entries;
}

void expectKeys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                std::string_view where) {
  for (const auto& [key, value] : inFileOrder(table)) {
    if (std::find(allowed.begin(), allowed.end(), key->str()) != allowed.end()) continue;
    std::string list;
    for (std::string_view name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
    refuse(placeOf(key->source()), "unknown key " + quoted(key->str()) + " in " +
                                       std::string(where) + " (expected: " + list + ")");
  }
}

const toml::node& required(const toml::table& table, std::string_view key, std::string_view where) {
  if (const toml::node* node = table.get(key)) return *node;
  refuse(placeOf(table), "missing required key " + quoted(key) + " in " + std::string(where));
}

const toml::table& tableOf(const toml::node& node, std::string_view expected) {
  if (const toml::table* table = node.as_table()) return *table;
  refuseType(node, expected);
}

std::string stringOf(const toml::node& node) {
  if (const auto* value = node.as_string()) return value->get();
  refuseType(node, "a string");
}

std::int64_t integerOf(const toml::node& node, std::string_view name, std::int64_t lo,
                       std::int64_t hi) {
  const auto* value = node.as_integer();
  if (!value) refuseType(node, "an integer");
  if (value->get() < lo || value->get() > hi) {
    refuse(placeOf(node), quoted(name) + " must be " + std::to_string(lo) + ".." +
                              std::to_string(hi) + ", got " + std::to_string(value->get()));
  }
  return value->get();
}

LocalText textOf(const toml::node& node, std::string_view name) {
  const toml::table& table = tableOf(node, "a table { en = \"...\", zh = \"...\" }");
  const std::string where = quoted(name);
  expectKeys(table, {"en", "zh"}, where);
  return {stringOf(required(table, "en", where)), stringOf(required(table, "zh", where))};
}

const toml::array& stringArrayOf(const toml::node& node) {
  const toml::array* array = node.as_array();
  if (!array) refuseType(node, "an array of strings");
  for (const toml::node& element : *array) stringOf(element);
  return *array;
}

class LessonReader {
 public:
  explicit LessonReader(const std::string& path) { lesson_.path = path; }

  Lesson read(const toml::table& root) {
    expectKeys(root,
               {"id", "title", "summary", "clients", "client-rcvbuf", "views", "knobs", "compare",
                "step"},
               "the top level");
    readId(required(root, "id", "the top level"));
    lesson_.title = textOf(required(root, "title", "the top level"), "title");
    lesson_.summary = textOf(required(root, "summary", "the top level"), "summary");
    if (const toml::node* clients = root.get("clients")) {
      declaredClients_ = static_cast<int>(integerOf(*clients, "clients", 1, kLessonMaxCount));
    }
    if (const toml::node* rcvbuf = root.get("client-rcvbuf")) {
      lesson_.clientRcvbuf = static_cast<int>(integerOf(*rcvbuf, "client-rcvbuf", 0, 1 << 20));
    }
    if (const toml::node* views = root.get("views")) readViews(*views);
    // Knobs first: `set` actions are checked against the starting knobs.
    if (const toml::node* knobs = root.get("knobs")) readKnobs(*knobs);
    // The sides before the steps: a paired lesson's checks name them.
    if (const toml::node* compare = root.get("compare")) readCompare(*compare);
    const toml::node* steps = root.get("step");
    if (!steps) refuse(placeOf(root), "a lesson needs at least one [[step]]");
    const toml::array* array = steps->as_array();
    if (!array) refuseType(*steps, "an array of tables [[step]]");
    if (array->empty()) refuse(placeOf(*steps), "a lesson needs at least one [[step]]");
    for (const toml::node& step : *array) readStep(tableOf(step, "a table [[step]]"));
    lesson_.clients = declaredClients_ > 0 ? declaredClients_ : mostConnected_;
    return std::move(lesson_);
  }

 private:
  void readId(const toml::node& node) {
    lesson_.id = stringOf(node);
    const bool valid =
        !lesson_.id.empty() && std::all_of(lesson_.id.begin(), lesson_.id.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
    if (!valid) {
      refuse(placeOf(node),
             "'id' must be lowercase letters, digits and '-', got " + quoted(lesson_.id));
    }
  }

  // The window's views the lesson opens when it loads; only "picture" (the epoll picture) so far.
  void readViews(const toml::node& node) {
    for (const toml::node& view : stringArrayOf(node)) {
      const std::string name = stringOf(view);
      if (name != "picture") {
        refuse(placeOf(view), "unknown view " + quoted(name) + " in 'views' (expected: picture)");
      }
      lesson_.opensPicture = true;
    }
  }

  void readKnobs(const toml::node& node) {
    const toml::table& table = tableOf(node, "a table [knobs]");
    for (const auto& [key, value] : inFileOrder(table)) {
      const auto id = knobFromName(key->str());
      if (!id) {
        refuse(placeOf(key->source()), "unknown knob " + quoted(key->str()) +
                                           " in [knobs] (expected: " + knobNameList() + ")");
      }
      std::string text;
      bool isString = false;
      if (const auto* s = value->as_string()) {
        text = s->get();
        isString = true;
      } else if (const auto* i = value->as_integer()) {
        text = std::to_string(i->get());
      } else if (const auto* b = value->as_boolean()) {
        text = b->get() ? "on" : "off";
      } else {
        refuseType(*value, "a string, an integer or a boolean");
      }
      if (auto error = setLessonKnob(lesson_.knobs, *id, text, isString)) {
        refuse(placeOf(*value), std::move(*error));
      }
      // Refused where the knob that makes the conflict is written (the engine would refuse it).
      if (const auto conflict = pollerConflict(lesson_.knobs)) {
        refuse(placeOf(*value), needsEpollText(*conflict, knobValueText(lesson_.knobs, *conflict)));
      }
    }
  }

  // [compare]: a = { knobs = "...", label = { en, zh } }, b = the same. Each side's knobs are
  // the lesson's [knobs] with its changes applied, refused where the changes are written.
  void readCompare(const toml::node& node) {
    constexpr std::string_view kWhere = "[compare]";
    const toml::table& table = tableOf(node, "a table [compare]");
    expectKeys(table, {"a", "b"}, kWhere);
    std::array<LessonSide, 2> sides;
    for (std::size_t i = 0; i < 2; ++i) {
      const std::string name = i == 0 ? "a" : "b";
      const toml::node& sideNode = required(table, name, kWhere);
      const std::string where = "[compare] " + name;
      const toml::table& side = tableOf(sideNode, "a table { knobs = \"...\", label = {...} }");
      expectKeys(side, {"knobs", "label"}, where);
      const toml::node& knobs = required(side, "knobs", where);
      sides[i].changes = stringOf(knobs);
      sides[i].knobs = lesson_.knobs;
      sides[i].place = placeOf(sideNode);
      if (std::string error = applyKnobChanges(sides[i].knobs, sides[i].changes); !error.empty()) {
        refuse(placeOf(knobs), where + ": " + error);
      }
      if (const auto conflict = pollerConflict(sides[i].knobs)) {
        refuse(placeOf(knobs),
               where + ": " + needsEpollText(*conflict, knobValueText(sides[i].knobs, *conflict)));
      }
      sides[i].label = textOf(required(side, "label", where), "label");
    }
    lesson_.compare = std::move(sides);
  }

  void readStep(const toml::table& table) {
    constexpr std::string_view kWhere = "[[step]]";
    expectKeys(table, {"title", "text", "do", "until", "check", "predict"}, kWhere);
    LessonStep step;
    step.place = placeOf(table);
    step.title = textOf(required(table, "title", kWhere), "title");
    step.text = textOf(required(table, "text", kWhere), "text");
    if (const toml::node* actions = table.get("do")) {
      for (const toml::node& action : stringArrayOf(*actions)) {
        step.actions.push_back(readAction(action));
      }
    }
    step.until.place = step.place;
    if (const toml::node* until = table.get("until")) step.until = readUntil(*until);
    if (const toml::node* checks = table.get("check")) {
      for (const toml::node& check : stringArrayOf(*checks)) {
        step.checks.push_back(readCheck(check));
      }
    }
    if (const toml::node* predict = table.get("predict")) step.predict = readPredict(*predict);
    lesson_.steps.push_back(std::move(step));
  }

  LessonAction readAction(const toml::node& node) {
    const std::string source = stringOf(node);
    ActionParse parsed = parseLessonAction(source, lesson_.knobs);
    if (!parsed.action) {
      refuse(placeInString(node, source, parsed.error.column), parsed.error.message);
    }
    LessonAction action = std::move(*parsed.action);
    action.place = placeOf(node);
    checkExampleUse(action);
    countClients(action, placeInString(node, source, parsed.clientColumn));
    ++actionsRead_;
    return action;
  }

  // A lesson that traces examples has no engine to drive, and its clients need a program to
  // talk to from the first action on; each `example` starts a fresh one, with fresh clients.
  void checkExampleUse(const LessonAction& action) {
    using Kind = LessonAction::Kind;
    if (action.kind == Kind::Example) {
      if (lesson_.paired()) {
        refuse(action.place,
               "'example' cannot run in a paired lesson: both sides play the engine ([compare])");
      }
      if (actionsRead_ > 0 && !lesson_.tracesExamples) {
        refuse(action.place,
               "'example' must be the lesson's first action (its clients talk to "
               "the example, not to the engine)");
      }
      lesson_.tracesExamples = true;
      connected_ = 0;
      return;
    }
    const bool drivesEngine = action.kind == Kind::Set || action.kind == Kind::LimitFds ||
                              action.kind == Kind::Pause || action.kind == Kind::Run ||
                              action.kind == Kind::StepWakeup || action.kind == Kind::StepCall;
    if (drivesEngine && lesson_.tracesExamples) {
      refuse(action.place, "'" + action.source +
                               "' drives the engine, which does not run in a lesson that traces "
                               "an example");
    }
  }

  // Numbers the clients `connect` creates and refuses a client used before it exists.
  void countClients(LessonAction& action, SourcePlace clientPlace) {
    if (action.kind == LessonAction::Kind::Connect) {
      action.client = connected_ + 1;  // the first of the clients it connects
      connected_ += static_cast<int>(action.count);
      mostConnected_ = std::max(mostConnected_, connected_);
      if (declaredClients_ > 0 && connected_ > declaredClients_) {
        refuse(clientPlace, "this connect makes " + std::to_string(connected_) +
                                " clients but 'clients' is " + std::to_string(declaredClients_));
      }
      if (connected_ > kLessonMaxCount) {
        refuse(clientPlace, "this connect makes " + std::to_string(connected_) +
                                " clients; a lesson may have at most " +
                                std::to_string(kLessonMaxCount));
      }
      return;
    }
    if (action.client <= connected_) return;
    const std::string connected =
        connected_ == 0 ? std::string("no client is")
                        : "only " + std::to_string(connected_) + (connected_ == 1 ? " is" : " are");
    refuse(clientPlace, "client " + std::to_string(action.client) + " is used but " + connected +
                            " connected by then");
  }

  static RunUntil readUntil(const toml::node& node) {
    const std::string source = stringOf(node);
    UntilParse parsed = parseRunUntil(source);
    if (!parsed.until) {
      refuse(placeInString(node, source, parsed.error.column), "until: " + parsed.error.message);
    }
    parsed.until->place = placeOf(node);
    return *parsed.until;
  }

  LessonCheck readCheck(const toml::node& node) const {
    LessonCheck check;
    check.source = stringOf(node);
    check.place = placeOf(node);
    const CheckParse parsed =
        lesson_.paired() ? parseSidedCheck(check.source) : parseCheck(check.source);
    if (!parsed.expr) {
      refuse(placeInString(node, check.source, parsed.errorColumn), "check: " + parsed.error);
    }
    return check;
  }

  static PredictFirst readPredict(const toml::node& node) {
    constexpr std::string_view kWhere = "[step.predict]";
    const toml::table& table = tableOf(node, "a table [step.predict]");
    expectKeys(table, {"question", "choices", "answer", "explain"}, kWhere);
    PredictFirst predict;
    predict.question = textOf(required(table, "question", kWhere), "question");
    const toml::node& choices = required(table, "choices", kWhere);
    const toml::array* array = choices.as_array();
    if (!array) refuseType(choices, "an array of texts { en = \"...\", zh = \"...\" }");
    for (std::size_t i = 0; i < array->size(); ++i) {
      predict.choices.push_back(textOf((*array)[i], "choices[" + std::to_string(i) + "]"));
    }
    if (predict.choices.size() < 2) {
      refuse(placeOf(choices),
             "expected at least 2 choices, got " + std::to_string(predict.choices.size()));
    }
    const toml::node& answer = required(table, "answer", kWhere);
    const auto last = static_cast<std::int64_t>(predict.choices.size()) - 1;
    const auto* index = answer.as_integer();
    if (!index) refuseType(answer, "an integer");
    if (index->get() < 0 || index->get() > last) {
      refuse(placeOf(answer), "'answer' must be an index into 'choices' (0.." +
                                  std::to_string(last) + "), got " + std::to_string(index->get()));
    }
    predict.answer = static_cast<int>(index->get());
    predict.explanation = textOf(required(table, "explain", kWhere), "explain");
    return predict;
  }

  Lesson lesson_;
  int declaredClients_ = 0;  // 0: `clients` not given
  int connected_ = 0;        // clients connected by the actions read so far
  int mostConnected_ = 0;    // ... at most, over the examples of a lesson that traces them
  int actionsRead_ = 0;
};

}  // namespace

LessonLoad loadLessonText(const std::string& text, const std::string& pathForErrors) {
  LessonLoad out;
  if (const auto problem = checkTomlText(text)) {
    out.error = LessonError{pathForErrors, {problem->line, problem->column}, problem->message};
    return out;
  }
  try {
    const toml::table root = toml::parse(std::string_view(text), std::string_view(pathForErrors));
    out.lesson = LessonReader(pathForErrors).read(root);
  } catch (const toml::parse_error& error) {
    out.error =
        LessonError{pathForErrors, placeOf(error.source()), std::string(error.description())};
  } catch (const Refusal& refusal) {
    out.error = LessonError{pathForErrors, refusal.place, refusal.message};
  }
  return out;
}

LessonLoad loadLessonFile(const std::string& path) {
  CappedRead read = readCappedFile(path, kLessonFileMaxBytes, "lesson");
  if (!read.text) {
    LessonLoad out;
    out.error = LessonError{path, {}, std::move(read.error)};
    return out;
  }
  return loadLessonText(*read.text, path);
}

}  // namespace eps
