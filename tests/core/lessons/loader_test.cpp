// Lesson files: a valid lesson is read with every field; a malformed one is refused with the
// file, line, column and what was expected, and nothing of it is returned.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/lessons/lesson.hpp"

namespace eps {
namespace {

using Kind = LessonAction::Kind;

constexpr const char* kComplete = R"(# every field the format has
id = "lt-partial-read"
title = { en = "LT forgives a short read", zh = "LT 原谅一次不完整的读" }
summary = { en = "Summary.", zh = "摘要。" }
clients = 3

[knobs]
conn-trigger = "et"
read-chunk = 100
oneshot = true

[[step]]
title = { en = "Connect", zh = "连接" }
text = { en = "Two clients connect.", zh = "两个客户端连接。" }
do = ["connect 2", "send 1 4096", 'text 2 "hi \"you\""', "urgent 1", "trickle 2 10 50",
      "stop-trickle 2", "stop-reading 1", "resume-reading 1", "shutdown 1", "close 2",
      "reset 1", "set read=once", "pause", "run", "step-wakeup", "step-call 3", "wait 20"]
until = "wakeups 41 within 5s"
check = ["wakeups == 41", "last_read_errno == EAGAIN && reads >= 1"]

[step.predict]
question = { en = "How many?", zh = "几次？" }
choices = [ { en = "One", zh = "一" }, { en = "Many", zh = "多" } ]
answer = 1
explain = { en = "Because.", zh = "因为。" }

[[step]]
title = { en = "Wait", zh = "等" }
text = { en = "Nothing happens.", zh = "什么也没发生。" }
do = ["connect 1"]
until = "event stranded"

[[step]]
title = { en = "Idle", zh = "空闲" }
text = { en = "Defaults.", zh = "默认。" }

[[step]]
title = { en = "Nothing", zh = "无" }
text = { en = "No run.", zh = "不运行。" }
until = "nothing"
)";

Lesson loadValid(const std::string& text) {
  LessonLoad loaded = loadLessonText(text, "ok.toml");
  EXPECT_FALSE(loaded.error.has_value()) << (loaded.error ? loaded.error->text() : "");
  EXPECT_TRUE(loaded.lesson.has_value());
  return loaded.lesson ? *loaded.lesson : Lesson{};
}

TEST(LessonLoader, CompleteLessonParsesWithEveryField) {
  const Lesson lesson = loadValid(kComplete);
  EXPECT_EQ(lesson.path, "ok.toml");
  EXPECT_EQ(lesson.id, "lt-partial-read");
  EXPECT_EQ(lesson.title.en, "LT forgives a short read");
  EXPECT_EQ(lesson.title.zh, "LT 原谅一次不完整的读");
  EXPECT_EQ(lesson.summary.in(true), "摘要。");
  EXPECT_EQ(lesson.clients, 3);
  Knobs knobs;
  knobs.connTrigger = Trigger::Edge;
  knobs.readChunk = 100;
  knobs.oneshot = true;
  EXPECT_EQ(lesson.knobs, knobs);
  ASSERT_EQ(lesson.steps.size(), 4U);

  const LessonStep& first = lesson.steps[0];
  EXPECT_EQ(first.title.en, "Connect");
  EXPECT_EQ(first.text.zh, "两个客户端连接。");
  EXPECT_EQ(first.place.line, 12);
  EXPECT_EQ(first.place.column, 1);
  ASSERT_EQ(first.actions.size(), 17U);
  const auto& a = first.actions;
  EXPECT_EQ(a[0].kind, Kind::Connect);
  EXPECT_EQ(a[0].count, 2);
  EXPECT_EQ(a[0].client, 1);  // the first of the clients it connects
  EXPECT_EQ(a[0].source, "connect 2");
  EXPECT_EQ(a[0].place.line, 15);
  EXPECT_EQ(a[0].place.column, 7);
  EXPECT_EQ(a[1].kind, Kind::Send);
  EXPECT_EQ(a[1].client, 1);
  EXPECT_EQ(a[1].count, 4096);
  EXPECT_EQ(a[2].kind, Kind::Text);
  EXPECT_EQ(a[2].client, 2);
  EXPECT_EQ(a[2].text, "hi \"you\"");
  EXPECT_EQ(a[2].count, 8);
  EXPECT_EQ(a[3].kind, Kind::Urgent);
  EXPECT_EQ(a[4].kind, Kind::Trickle);
  EXPECT_EQ(a[4].count, 10);
  EXPECT_EQ(a[4].periodMs, 50);
  EXPECT_EQ(a[5].kind, Kind::StopTrickle);
  EXPECT_EQ(a[6].kind, Kind::StopReading);
  EXPECT_EQ(a[7].kind, Kind::ResumeReading);
  EXPECT_EQ(a[8].kind, Kind::Shutdown);
  EXPECT_EQ(a[9].kind, Kind::Close);
  EXPECT_EQ(a[9].client, 2);
  EXPECT_EQ(a[10].kind, Kind::Reset);
  EXPECT_EQ(a[11].kind, Kind::Set);
  EXPECT_EQ(a[11].knob, KnobId::Read);
  EXPECT_EQ(a[11].value, "once");
  EXPECT_EQ(a[12].kind, Kind::Pause);
  EXPECT_EQ(a[13].kind, Kind::Run);
  EXPECT_EQ(a[14].kind, Kind::StepWakeup);
  EXPECT_EQ(a[14].count, 1);
  EXPECT_EQ(a[15].kind, Kind::StepCall);
  EXPECT_EQ(a[15].count, 3);
  EXPECT_EQ(a[16].kind, Kind::Wait);
  EXPECT_EQ(a[16].count, 20);

  EXPECT_EQ(first.until.kind, RunUntil::Kind::Wakeups);
  EXPECT_EQ(first.until.wakeups, 41);
  EXPECT_EQ(first.until.boundMs, 5000);
  EXPECT_EQ(first.until.place.line, 18);
  ASSERT_EQ(first.checks.size(), 2U);
  EXPECT_EQ(first.checks[1].source, "last_read_errno == EAGAIN && reads >= 1");
  EXPECT_EQ(first.checks[1].place.line, 19);
  EXPECT_EQ(first.checks[1].place.column, 27);
  ASSERT_TRUE(first.predict.has_value());
  EXPECT_EQ(first.predict->question.en, "How many?");
  ASSERT_EQ(first.predict->choices.size(), 2U);
  EXPECT_EQ(first.predict->choices[1].zh, "多");
  EXPECT_EQ(first.predict->answer, 1);
  EXPECT_EQ(first.predict->explanation.en, "Because.");

  const LessonStep& second = lesson.steps[1];
  EXPECT_EQ(second.actions[0].client, 3);  // clients 1 and 2 came before
  EXPECT_EQ(second.until.kind, RunUntil::Kind::Event);
  EXPECT_EQ(second.until.event, "stranded");
  EXPECT_EQ(second.until.boundMs, 10000);
  EXPECT_FALSE(second.predict.has_value());
  EXPECT_TRUE(second.checks.empty());

  const LessonStep& third = lesson.steps[2];
  EXPECT_TRUE(third.actions.empty());
  EXPECT_EQ(third.until.kind, RunUntil::Kind::Idle);  // the default
  EXPECT_EQ(third.until.idleMs, 300);
  EXPECT_EQ(lesson.steps[3].until.kind, RunUntil::Kind::Nothing);
}

TEST(LessonLoader, ClientsDefaultToTheConnectedCount) {
  const Lesson lesson = loadValid(R"(id = "x"
title = { en = "T", zh = "T" }
summary = { en = "S", zh = "S" }
[[step]]
title = { en = "T", zh = "T" }
text = { en = "T", zh = "T" }
do = ["connect 2", "connect 1", "send 3 1"]
until = "idle 1s"
)");
  EXPECT_EQ(lesson.clients, 3);
  EXPECT_EQ(lesson.steps[0].until.idleMs, 1000);
}

TEST(LessonLoader, ShippedLessonsLoad) {
  const std::filesystem::path dir = std::filesystem::path(EPOLLSCOPE_SOURCE_DIR) / "lessons";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".toml") continue;
    const LessonLoad loaded = loadLessonFile(entry.path().string());
    EXPECT_FALSE(loaded.error.has_value()) << loaded.error->text();
    ++count;
  }
  EXPECT_GT(count, 0);
}

// The complete example in lessons/README.md is a valid lesson.
TEST(LessonLoader, ReadmeExampleLoads) {
  std::ifstream in(std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/README.md");
  std::ostringstream readme;
  readme << in.rdbuf();
  const std::string text = readme.str();
  const std::size_t begin = text.find("```toml\n");
  ASSERT_NE(begin, std::string::npos);
  const std::size_t end = text.find("```", begin + 8);
  ASSERT_NE(end, std::string::npos);
  const Lesson lesson = loadValid(text.substr(begin + 8, end - begin - 8));
  EXPECT_EQ(lesson.id, "lt-partial-read");
  ASSERT_EQ(lesson.steps.size(), 2U);
  EXPECT_TRUE(lesson.steps[1].predict.has_value());
}

TEST(LessonLoader, MissingFileIsRefused) {
  const LessonLoad loaded = loadLessonFile("/nonexistent/lesson.toml");
  ASSERT_TRUE(loaded.error.has_value());
  EXPECT_FALSE(loaded.lesson.has_value());
  EXPECT_EQ(loaded.error->text(),
            "/nonexistent/lesson.toml: cannot open the lesson: No such file or directory");
}

// The first three lines of every malformed lesson below; a step starts on line 4.
const std::string kHead = R"(id = "bad"
title = { en = "T", zh = "T" }
summary = { en = "S", zh = "S" }
)";
const std::string kStep = R"([[step]]
title = { en = "T", zh = "T" }
text = { en = "T", zh = "T" }
)";

// Loads `text` expecting a refusal; returns "PATH:LINE:COLUMN: MESSAGE".
std::string refusal(const std::string& text) {
  const LessonLoad loaded = loadLessonText(text, "bad.toml");
  EXPECT_FALSE(loaded.lesson.has_value());
  return loaded.error ? loaded.error->text() : "(loaded)";
}

TEST(LessonLoader, TomlSyntaxError) {
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\" \"send 1 1\"]\n"),
            "bad.toml:7:19: Error while parsing array: expected comma or closing ']', saw '\"'");
}

TEST(LessonLoader, UnknownTopLevelKey) {
  EXPECT_EQ(refusal(kHead + "lang = \"en\"\n" + kStep),
            "bad.toml:4:1: unknown key 'lang' in the top level (expected: id, title, summary, "
            "clients, client-rcvbuf, views, knobs, compare, step)");
}

// views = ["picture"] opens the epoll picture with the lesson; an unknown view is refused
// where it is written.
TEST(LessonLoader, ViewsOpenThePictureAndRefuseUnknownNames) {
  EXPECT_FALSE(loadValid(kHead + kStep).opensPicture);
  EXPECT_TRUE(loadValid(kHead + "views = [\"picture\"]\n" + kStep).opensPicture);
  EXPECT_FALSE(loadValid(kHead + "views = []\n" + kStep).opensPicture);
  EXPECT_EQ(refusal(kHead + "views = [\"picture\", \"pictures\"]\n" + kStep),
            "bad.toml:4:21: unknown view 'pictures' in 'views' (expected: picture)");
  EXPECT_EQ(refusal(kHead + "views = \"picture\"\n" + kStep),
            "bad.toml:4:9: expected an array of strings, got a string");
}

TEST(LessonLoader, UnknownStepKey) {
  EXPECT_EQ(refusal(kHead + kStep + "chek = [\"reads == 1\"]\n"),
            "bad.toml:7:1: unknown key 'chek' in [[step]] (expected: title, text, do, until, "
            "check, predict)");
}

TEST(LessonLoader, WrongType) {
  EXPECT_EQ(refusal(kHead + kStep + "until = 300\n"),
            "bad.toml:7:9: expected a string, got an integer");
  EXPECT_EQ(refusal(kHead + kStep + "do = \"connect 1\"\n"),
            "bad.toml:7:6: expected an array of strings, got a string");
  EXPECT_EQ(refusal("id = \"x\"\ntitle = \"T\"\n"),
            "bad.toml:2:9: expected a table { en = \"...\", zh = \"...\" }, got a string");
}

TEST(LessonLoader, MissingRequiredField) {
  EXPECT_EQ(refusal(kHead + "[[step]]\ntitle = { en = \"T\", zh = \"T\" }\n"),
            "bad.toml:4:1: missing required key 'text' in [[step]]");
  EXPECT_EQ(refusal(kHead), "bad.toml:1:1: a lesson needs at least one [[step]]");
}

TEST(LessonLoader, MissingChineseText) {
  EXPECT_EQ(refusal(kHead + "[[step]]\ntitle = { en = \"T\" }\n"),
            "bad.toml:5:9: missing required key 'zh' in 'title'");
}

TEST(LessonLoader, UnknownKnob) {
  EXPECT_EQ(refusal(kHead + "[knobs]\nreed = \"once\"\n" + kStep),
            "bad.toml:5:1: unknown knob 'reed' in [knobs] (expected: listen-trigger, "
            "conn-trigger, accept, read, read-chunk, write, sockets, oneshot, rearm, rdhup, "
            "max-events, rcvbuf, sndbuf, fd-limit, idle-fd, close-on-eof, block-timeout, "
            "handler, workers, exclusive, out-cap, poller)");
}

// The engine would refuse it: said where the knob that makes the conflict is written.
TEST(LessonLoader, KnobOnlyEpollHasUnderPollerPoll) {
  EXPECT_EQ(refusal(kHead + "[knobs]\npoller = \"poll\"\nconn-trigger = \"et\"\n" + kStep),
            "bad.toml:6:16: conn-trigger et needs poller=epoll: poll(2) reports readiness by "
            "level only; it has no edge trigger");
  EXPECT_EQ(refusal(kHead + "[knobs]\nworkers = 2\npoller = \"poll\"\n" + kStep),
            "bad.toml:6:10: workers 2 needs poller=epoll: workers share the listener through "
            "epoll instances of their own");
}

TEST(LessonLoader, KnobValueOutOfRange) {
  EXPECT_EQ(refusal(kHead + "[knobs]\nread-chunk = 0\n" + kStep),
            "bad.toml:5:14: 'read-chunk' must be 1..65536, got 0");
  EXPECT_EQ(refusal(kHead + "[knobs]\nconn-trigger = \"edge\"\n" + kStep),
            "bad.toml:5:16: 'conn-trigger' must be lt|et, got 'edge'");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"set read-chunk=0\"]\n"),
            "bad.toml:7:23: 'read-chunk' must be 1..65536, got 0");
}

// lines C BYTES: numbered text lines, so a learner sees which bytes a read returned.
TEST(LessonLoader, LinesAction) {
  const LessonLoad loaded = loadLessonText(kHead + kStep + "do = [\"connect 1\", \"lines 1 4096\"]\n",
                                           "bad.toml");
  ASSERT_TRUE(loaded.lesson) << loaded.error->text();
  const LessonAction& lines = loaded.lesson->steps[0].actions[1];
  EXPECT_EQ(lines.kind, LessonAction::Kind::Lines);
  EXPECT_EQ(lines.client, 1);
  EXPECT_EQ(lines.count, 4096);
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", \"lines 1 0\"]\n"),
            "bad.toml:7:29: BYTES must be 1..16777216, got 0");
}

TEST(LessonLoader, BadActionVerb) {
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", \"jump 1\"]\n"),
            "bad.toml:7:21: unknown action 'jump' (expected: connect, send, letters, lines, text, "
            "urgent, trickle, stop-trickle, stop-reading, resume-reading, shutdown, close, reset, "
            "set, limit-fds, pause, run, step-wakeup, step-call, wait, example)");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", \"send 1\"]\n"),
            "bad.toml:7:27: 'send' needs BYTES (usage: send CLIENT BYTES)");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"pause now\"]\n"),
            "bad.toml:7:14: unexpected 'now' (usage: pause)");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", \"text 1 hi\"]\n"),
            "bad.toml:7:28: TEXT must be a quoted string, got 'hi'");
}

TEST(LessonLoader, ActionArgumentOutOfRange) {
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", \"send 1 0\"]\n"),
            "bad.toml:7:28: BYTES must be 1..16777216, got 0");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", \"send 1 4k\"]\n"),
            "bad.toml:7:28: BYTES must be a number 1..16777216, got '4k'");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"wait 60001\"]\n"),
            "bad.toml:7:13: MS must be 1..60000, got 60001");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"step-call 1001\"]\n"),
            "bad.toml:7:18: N must be 1..1000, got 1001");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"limit-fds 65\"]\n"),
            "bad.toml:7:18: N must be 0..64, got 65");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", \"letters 1 10 0\"]\n"),
            "bad.toml:7:34: TIMES must be 1..1000, got 0");
  EXPECT_EQ(refusal(kHead + "client-rcvbuf = \"big\"\n" + kStep),
            "bad.toml:4:17: expected an integer, got a string");
}

TEST(LessonLoader, ClientUsedBeforeConnected) {
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 2\"]\n" + kStep + "do = [\"send 3 10\"]\n"),
            "bad.toml:11:13: client 3 is used but only 2 are connected by then");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"send 1 10\", \"connect 1\"]\n"),
            "bad.toml:7:13: client 1 is used but no client is connected by then");
  EXPECT_EQ(refusal(kHead + "clients = 1\n" + kStep + "do = [\"connect 2\"]\n"),
            "bad.toml:8:16: this connect makes 2 clients but 'clients' is 1");
}

// `example NAME` names one of the bundled examples and nothing else; it makes the lesson one
// that traces examples, whose clients start again from 1 with each example and which may not
// drive the engine.
TEST(LessonLoader, ExamplesAreBundledNamesFirstAndDriveNoEngine) {
  const Lesson lesson =
      loadValid(kHead + kStep + "do = [\"example et_one_read\", \"connect 2\"]\n" + kStep +
                "do = [\"example et_drain\", \"connect 1\", \"send 1 9\"]\n");
  EXPECT_TRUE(lesson.tracesExamples);
  EXPECT_EQ(lesson.steps[0].actions[0].kind, Kind::Example);
  EXPECT_EQ(lesson.steps[1].actions[0].text, "et_drain");
  EXPECT_EQ(lesson.steps[1].actions[1].client, 1);
  EXPECT_EQ(lesson.clients, 2);
  EXPECT_FALSE(loadValid(kHead + kStep + "do = [\"connect 1\"]\n").tracesExamples);
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"example /bin/sh\"]\n"),
            "bad.toml:7:16: unknown example '/bin/sh' (expected: et_one_read, et_drain)");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", \"example et_drain\"]\n"),
            "bad.toml:7:20: 'example' must be the lesson's first action (its clients talk to the "
            "example, not to the engine)");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"example et_drain\", \"set read=once\"]\n"),
            "bad.toml:7:27: 'set read=once' drives the engine, which does not run in a lesson "
            "that traces an example");
}

// An unknown counter is refused when the lesson loads, at its file, line and column, with
// the nearest known name when one is close enough to be what was meant.
TEST(LessonLoader, UnknownCounterInCheck) {
  EXPECT_EQ(refusal(kHead + kStep + "check = [\"reads == 1 && raeds == 2\"]\n"),
            "bad.toml:7:25: check: column 15: unknown counter 'raeds' (did you mean 'reads'? see "
            "lessons/README.md)");
  EXPECT_EQ(refusal(kHead + kStep + "check = [\"wakeup == 1\"]\n"),
            "bad.toml:7:11: check: column 1: unknown counter 'wakeup' (did you mean 'wakeups'? "
            "see lessons/README.md)");
  // A tour's counter is no lesson's.
  EXPECT_EQ(refusal(kHead + kStep + "check = [\"ctl_adds == 1\"]\n"),
            "bad.toml:7:11: check: column 1: unknown counter 'ctl_adds' (see lessons/README.md)");
}

TEST(LessonLoader, CheckThatDoesNotParse) {
  EXPECT_EQ(refusal(kHead + kStep + "check = [\"wakeups 41\"]\n"),
            "bad.toml:7:19: check: column 9: expected a comparison operator (== != < <= > >=)");
  // A check over several lines keeps the string's own place.
  EXPECT_EQ(refusal(kHead + kStep + "check = [\"\"\"\nwakeups 41\"\"\"]\n"),
            "bad.toml:7:10: check: column 9: expected a comparison operator (== != < <= > >=)");
}

TEST(LessonLoader, PredictAnswerOutOfRange) {
  EXPECT_EQ(refusal(kHead + kStep + R"([step.predict]
question = { en = "Q", zh = "Q" }
choices = [ { en = "A", zh = "A" }, { en = "B", zh = "B" }, { en = "C", zh = "C" } ]
answer = 5
explain = { en = "E", zh = "E" }
)"),
            "bad.toml:10:10: 'answer' must be an index into 'choices' (0..2), got 5");
}

TEST(LessonLoader, BadUntil) {
  EXPECT_EQ(refusal(kHead + kStep + "until = \"idle 300\"\n"),
            "bad.toml:7:15: until: expected a duration with ms or s (300ms, 5s), got '300'");
  EXPECT_EQ(refusal(kHead + kStep + "until = \"forever\"\n"),
            "bad.toml:7:10: until: expected idle DURATION, wakeups N, event "
            "stranded|busy|blocked, or nothing, got 'forever'");
  EXPECT_EQ(refusal(kHead + kStep + "until = \"event tired\"\n"),
            "bad.toml:7:16: until: the event must be stranded, busy or blocked, got 'tired'");
  EXPECT_EQ(refusal(kHead + kStep + "until = \"idle 300ms within 90s\"\n"),
            "bad.toml:7:28: until: a duration must be 1ms..60s, got 90s");
}

TEST(LessonLoader, BadUntilBound) {
  EXPECT_EQ(refusal(kHead + kStep + "until = \"nothing within 5s\"\n"),
            "bad.toml:7:18: until: 'nothing' runs nothing, so it takes no 'within' bound");
  EXPECT_EQ(refusal(kHead + kStep + "until = \"idle 300ms within 200ms\"\n"),
            "bad.toml:7:28: until: the bound must be longer than the idle time");
  EXPECT_EQ(refusal(kHead + kStep + "until = \"idle 1.5s\"\n"),
            "bad.toml:7:15: until: expected a duration with ms or s (300ms, 5s), got '1.5s'");
}

TEST(LessonLoader, BadQuotedText) {
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", 'text 1 \"a\\x\"']\n"),
            "bad.toml:7:30: unknown escape in a quoted string (only \\\" and \\\\)");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", 'text 1 \"abc']\n"),
            "bad.toml:7:28: unterminated quoted string; expected a closing '\"'");
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", 'text 1 \"\"']\n"),
            "bad.toml:7:28: TEXT must not be empty");
}

TEST(LessonLoader, BadIdAndUnknownTextKey) {
  EXPECT_EQ(refusal("id = \"LT_read\"\n"),
            "bad.toml:1:6: 'id' must be lowercase letters, digits and '-', got 'LT_read'");
  EXPECT_EQ(refusal("id = \"x\"\ntitle = { en = \"T\", zh = \"T\", fr = \"T\" }\n"),
            "bad.toml:2:31: unknown key 'fr' in 'title' (expected: en, zh)");
}

TEST(LessonLoader, ColumnsCountCharactersNotBytes) {
  // toml++ counts columns in code points; the place inside a string does the same.
  EXPECT_EQ(refusal(kHead + kStep + "do = [\"connect 1\", 'text 1 \"你好\" x']\n"),
            "bad.toml:7:33: unexpected 'x' (usage: text CLIENT \"TEXT\")");
}

}  // namespace
}  // namespace eps
