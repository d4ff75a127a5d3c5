// Session files that cannot be read: each damaged file gets one exact error naming the file,
// the line and the problem — never a crash, never a session read half right. Also: what
// writeSession refuses to write, and that every truncation of a good file is caught.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/base/input_limits.hpp"
#include "core/formats/session_file.hpp"

namespace eps {
namespace {

SessionData sample() {
  SessionData data;
  data.writers = {{"engine", Actor::Engine, 0, 100}};
  data.knobs = describeKnobs(Knobs{});
  data.source = "engine";
  data.savedAt = "2025-01-02T03:04:05Z";
  data.host = "lab";
  TraceEvent wait;
  wait.seq = 1;
  wait.tNs = 1000;
  wait.durNs = 50;
  wait.kind = EventKind::Call;
  wait.call = Call::EpollWait;
  wait.fd = 3;
  wait.ret = 1;
  wait.a = 64;
  wait.b = -1;
  TraceEvent ready;
  ready.seq = 2;
  ready.tNs = 1050;
  ready.kind = EventKind::Ready;
  ready.fd = 5;
  ready.events = 1;
  TraceEvent read = wait;
  read.seq = 3;
  read.tNs = 1100;
  read.call = Call::Read;
  read.fd = 5;
  read.ret = -1;
  read.err = 11;
  read.a = 512;
  read.b = 0;
  data.events = {wait, ready, read};
  return data;
}

// The sample's file, one string per line (magic, header, 3 events, trailer).
std::vector<std::string> goodLines() {
  std::stringstream file;
  writeSession(file, sample());
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// Replaces field `index` (0-based) of an event line.
std::string withField(const std::string& line, int index, const std::string& value) {
  std::istringstream in(line);
  std::vector<std::string> fields;
  for (std::string field; in >> field;) fields.push_back(field);
  fields.at(static_cast<std::size_t>(index)) = value;
  std::string out;
  for (const std::string& field : fields) out += (out.empty() ? "" : " ") + field;
  return out;
}

std::string errorOf(const std::string& text) {
  std::istringstream in(text);
  try {
    readSession(in, "s.eps");
  } catch (const SessionFileError& error) {
    return error.what();
  }
  return "no error";
}

std::string errorOfLines(const std::vector<std::string>& lines) {
  return errorOf(join(lines));
}

TEST(SessionDamage, TheGoodFileReads) {
  const std::vector<std::string> lines = goodLines();
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], "epollscope-session 1");
  EXPECT_EQ(lines[2], "1 1000 50 call epoll_wait engine 0 0 3 1 0 0 0 0 64 -1 0");
  EXPECT_EQ(lines[3], "2 1050 0 ready none engine 0 0 5 0 0 1 0 0 0 0 0");
  EXPECT_EQ(lines[5].rfind("end 3 ", 0), 0u);
  EXPECT_EQ(errorOfLines(lines), "no error");
}

TEST(SessionDamage, FirstLine) {
  EXPECT_EQ(errorOf(""), "s.eps: empty file");
  EXPECT_EQ(errorOf("hello\n"),
            "s.eps:1: not an epollscope session (the first line is not 'epollscope-session 1')");
  std::string garbage;
  std::mt19937 random(7);
  for (int i = 0; i < 100'000; ++i) garbage += static_cast<char>(random() % 256);
  EXPECT_EQ(errorOf(garbage),
            "s.eps:1: not an epollscope session (the first line is not 'epollscope-session 1')");
  std::vector<std::string> lines = goodLines();
  lines[0] = "epollscope-session 2";
  EXPECT_EQ(errorOfLines(lines),
            "s.eps:1: saved by a newer epollscope (format 2; this one reads 1)");
  lines[0] = "epollscope-session 0";
  EXPECT_EQ(errorOfLines(lines),
            "s.eps:1: saved by an older epollscope in format 0, which this one no longer reads "
            "(this one reads 1)");
  lines[0] = "epollscope-session one";
  EXPECT_EQ(errorOfLines(lines),
            "s.eps:1: bad format version (the first line is not 'epollscope-session 1')");
}

TEST(SessionDamage, Header) {
  std::vector<std::string> lines = goodLines();
  EXPECT_EQ(errorOf(lines[0] + "\n"),
            "s.eps:1: damaged: the header is missing (the file ends at line 1)");
  lines[1] = "{\"format\":1,";
  EXPECT_EQ(errorOfLines(lines), "s.eps:2: damaged: the header is not valid JSON (at byte 13)");
  lines[1] = "[1,2]";
  EXPECT_EQ(errorOfLines(lines), "s.eps:2: header is not a JSON object");
  const std::string header = goodLines()[1];
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::vector<std::string> changed = goodLines();
    changed[1].replace(header.find(from), from.size(), to);
    return errorOfLines(changed);
  };
  EXPECT_EQ(replaced("\"port\":0", "\"port\":70000"),
            "s.eps:2: header: port must be an integer 0..65535");
  EXPECT_EQ(replaced("\"port\":0,", ""), "s.eps:2: header: port is missing");
  EXPECT_EQ(replaced("\"actor\":\"engine\"", "\"actor\":\"robot\""),
            "s.eps:2: header: writers[0].actor is not engine, clients or control: 'robot'");
  EXPECT_EQ(replaced("conn-trigger=lt", "conn-trigger=xt"),
            "s.eps:2: header: knobs --conn-trigger: 'xt' is not one of lt|et");
  EXPECT_EQ(replaced("listen-trigger=lt", "colour=red"),
            "s.eps:2: header: knobs 'colour=red' is not a knob=value");
  EXPECT_EQ(replaced("\"lesson\":null",
                     "\"lesson\":{\"file\":\"l.toml\",\"title\":\"t\","
                     "\"step\":4,\"steps\":3}"),
            "s.eps:2: header: lesson.step must be an integer 0..3");
  EXPECT_EQ(replaced("\"format\":1", "\"format\":2"),
            "s.eps:2: header: format 2 does not match line 1's 1");
  EXPECT_EQ(replaced("seq t_ns", "t_ns seq"),
            "s.eps:2: header: fields do not match this format's columns");
  EXPECT_EQ(replaced("\"lesson\":null", "\"lesson\":null,\"payloads\":[[1]]"),
            "s.eps:2: header: payloads[0] must be [seq, \"hex bytes\"]");
  EXPECT_EQ(replaced("\"lesson\":null", "\"lesson\":null,\"payloads\":[[1,\"6x\"]]"),
            "s.eps:2: header: payloads[0] bytes must be lower-case hex, at most 256 bytes");
  EXPECT_EQ(replaced("\"lesson\":null", "\"lesson\":null,\"payloads\":[[1,\"abc\"]]"),
            "s.eps:2: header: payloads[0] bytes must be lower-case hex, at most 256 bytes");
}

// nlohmann throws more than parse_error; each is a damaged header naming the file and line,
// never an exception the reader does not promise (it aborted the program).
TEST(SessionDamage, HeadersNlohmannRefusesBeyondSyntax) {
  EXPECT_EQ(errorOf("epollscope-session 1\n{\"format\":1e999}\n"),
            "s.eps:2: damaged: the header holds a number out of range");
  EXPECT_EQ(errorOf("epollscope-session 1\n" + std::string(1000, '[') + "\n"),
            "s.eps:2: header nests deeper than 16 levels");
  std::string many = "{\"x\":[0";
  for (int i = 0; i < 1'000'000; ++i) many += ",0";
  EXPECT_EQ(errorOf("epollscope-session 1\n" + many + "]}\n"),
            "s.eps:2: header holds more than 1000000 values");
}

// A header line past kSessionHeaderMaxBytes is refused when the cap is reached, not read on.
TEST(SessionDamage, AHeaderLongerThanTheCapIsRefused) {
  const std::string header = "{\"source\":\"" + std::string(kSessionHeaderMaxBytes, 'x');
  EXPECT_EQ(errorOf("epollscope-session 1\n" + header + "\"}\n"),
            "s.eps:2: the header is longer than 16 MiB, the most a session header may be "
            "(reading stopped there)");
  SessionData data = sample();
  data.source.assign(kSessionHeaderMaxBytes, 'x');
  std::ostringstream out;
  EXPECT_THROW(writeSession(out, data, "big.eps"), SessionFileError);
  EXPECT_TRUE(out.str().empty());
}

TEST(SessionDamage, EventFields) {
  const auto withLine3Field = [](int index, const std::string& value) {
    std::vector<std::string> lines = goodLines();
    lines[3] = withField(lines[3], index, value);
    return errorOfLines(lines);
  };
  EXPECT_EQ(withLine3Field(8, "-7"), "s.eps:4: field 9 fd: -7 is below -1");
  EXPECT_EQ(withLine3Field(3, "redy"), "s.eps:4: field 4 kind: unknown name 'redy'");
  EXPECT_EQ(withLine3Field(4, "recv"), "s.eps:4: field 5 call: unknown name 'recv'");
  EXPECT_EQ(withLine3Field(5, "robot"), "s.eps:4: field 6 actor: unknown name 'robot'");
  EXPECT_EQ(withLine3Field(9, "12x"), "s.eps:4: field 10 ret: '12x' is not an integer");
  EXPECT_EQ(withLine3Field(14, "99999999999999999999"),
            "s.eps:4: field 15 a: '99999999999999999999' overflows");
  std::vector<std::string> lines;
  EXPECT_EQ(withLine3Field(6, "300"), "s.eps:4: field 7 thread: '300' is out of range 0..255");
  EXPECT_EQ(withLine3Field(6, "3"), "s.eps:4: field 7 thread: 3 is no writer's thread");
  EXPECT_EQ(withLine3Field(10, "5000"), "s.eps:4: field 11 errno: 5000 is out of range 0..4095");
  EXPECT_EQ(withLine3Field(7, "8"), "s.eps:4: field 8 flags: unknown bits in 8");
  lines = goodLines();
  lines[3] = withField(withField(lines[3], 7, "1"), 12, "1");  // imported: conn is a lane label
  EXPECT_EQ(errorOfLines(lines), "s.eps:4: field 13 conn: no lane label 1 (the header has 0)");
  EXPECT_EQ(withLine3Field(0, "1"),
            "s.eps:4: field 1 seq: 1 does not follow 1 (events are in sequence order)");
  EXPECT_EQ(withLine3Field(0, "-2"), "s.eps:4: field 1 seq: '-2' is not an unsigned integer");
  EXPECT_EQ(withLine3Field(2, "-5"), "s.eps:4: field 3 dur_ns: -5 is negative");

  lines = goodLines();
  lines[2] = withField(lines[2], 4, "none");
  EXPECT_EQ(errorOfLines(lines), "s.eps:3: field 5 call: a call event must name its call");
  lines = goodLines();
  lines[2] = withField(lines[2], 3, "config");
  lines[2] = withField(lines[2], 13, std::to_string(kKnobCount));
  EXPECT_EQ(errorOfLines(lines), "s.eps:3: field 14 op: " + std::to_string(kKnobCount) +
                                     " is out of range 0.." + std::to_string(kKnobCount - 1) +
                                     " for a config event");
  lines = goodLines();
  lines[2] = lines[2].substr(0, lines[2].rfind(' '));
  EXPECT_EQ(errorOfLines(lines), "s.eps:3: 17 fields expected, found 16");
  lines = goodLines();
  lines[2] += " 0";
  EXPECT_EQ(errorOfLines(lines), "s.eps:3: more than 17 fields");
  lines = goodLines();
  lines[2] = std::string(2000, '7');
  EXPECT_EQ(errorOfLines(lines), "s.eps:3: not an event: longer than 1024 bytes");
  lines = goodLines();
  lines[2][5] = '\0';
  EXPECT_EQ(errorOfLines(lines), "s.eps:3: field 2 t_ns: '100\\x00' is not an integer");
}

TEST(SessionDamage, TruncationAndTrailer) {
  std::vector<std::string> lines = goodLines();
  EXPECT_EQ(errorOfLines({lines[0], lines[1], lines[2]}),
            "s.eps:3: damaged: 2 of 3 events missing (the file ends at line 3)");
  const std::string cut = join({lines[0], lines[1], lines[2]}) + lines[3].substr(0, 12);
  EXPECT_EQ(errorOf(cut),
            "s.eps:4: damaged: the file ends inside this line (2 of 3 events missing)");
  EXPECT_EQ(errorOfLines({lines[0], lines[1], lines[2], lines[3], lines[4]}),
            "s.eps:5: damaged: the end line is missing (the file ends at line 5, after all 3 "
            "events)");
  EXPECT_EQ(errorOfLines({lines[0], lines[1], lines[2], lines[5]}),
            "s.eps:4: damaged: 2 of 3 events missing (the end line comes early)");
  std::vector<std::string> extra = lines;
  extra.insert(extra.begin() + 5, withField(lines[4], 0, "4"));
  EXPECT_EQ(errorOfLines(extra), "s.eps:6: damaged: more events than the header's 3");
  std::vector<std::string> changed = lines;
  changed[5] = "end 4";
  EXPECT_EQ(errorOfLines(changed), "s.eps:6: damaged: the end line counts 4 events, the header 3");
  changed[5] = "the end";
  EXPECT_EQ(errorOfLines(changed), "s.eps:6: expected the end line 'end 3 CHECKSUM'");
  changed = lines;
  changed.push_back("more");
  EXPECT_EQ(errorOfLines(changed), "s.eps:7: text after the end line");
}

TEST(SessionDamage, AChangeThatKeepsEveryFieldInRangeFailsTheChecksum) {
  std::vector<std::string> lines = goodLines();
  lines[2] = withField(lines[2], 9, "2");  // epoll_wait returned 2, not 1: still a valid event
  EXPECT_EQ(errorOfLines(lines),
            "s.eps:6: damaged: the checksum does not match (lines 1..5 changed after saving)");
  lines[5] = "end 3";  // a hand edit may drop the checksum: then it is not checked
  EXPECT_EQ(errorOfLines(lines), "no error");
  EXPECT_EQ(errorOf(join(lines).substr(0, join(lines).size() - 1)),
            "s.eps:6: damaged: the file ends inside the end line");
}

TEST(SessionDamage, WindowsLineEndsAndAMissingFinalNewlineStillRead) {
  std::string crlf;
  for (const std::string& line : goodLines()) crlf += line + "\r\n";
  EXPECT_EQ(errorOf(crlf), "no error");
  std::string text = join(goodLines());
  text.pop_back();
  EXPECT_EQ(errorOf(text), "no error");
}

TEST(SessionDamage, EveryTruncationAndEveryFlippedByteIsAnError) {
  const std::string text = join(goodLines());
  for (std::size_t size = 0; size + 1 < text.size(); ++size) {
    EXPECT_NE(errorOf(text.substr(0, size)), "no error") << "cut at " << size;
  }
  for (std::size_t at = 0; at < text.size(); ++at) {
    std::string flipped = text;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x04);
    std::istringstream in(flipped);
    try {
      readSession(in, "s.eps");
      // Every byte counts: a field, a separator, the header's JSON, the checksum itself.
      ADD_FAILURE() << "flipped byte " << at << " read without an error";
    } catch (const SessionFileError&) {
    }
  }
}

TEST(SessionDamage, FilesThatCannotBeOpened) {
  const std::string missing = ::testing::TempDir() + "no_such_session.eps";
  try {
    readSession(missing);
    ADD_FAILURE() << "read a missing file";
  } catch (const SessionFileError& error) {
    EXPECT_EQ(std::string(error.what()), "cannot open " + missing + ": No such file or directory");
  }
  const std::string empty = ::testing::TempDir() + "empty.eps";
  std::ofstream(empty).close();
  EXPECT_FALSE(looksLikeSession(empty));
  EXPECT_FALSE(looksLikeSession(missing));
  try {
    readSession(empty);
    ADD_FAILURE() << "read an empty file";
  } catch (const SessionFileError& error) {
    EXPECT_EQ(std::string(error.what()), empty + ": empty file");
  }
}

TEST(SessionDamage, WritingRefusesWhatCouldNotBeRead) {
  SessionData data = sample();
  data.events[1].fd = -5;
  std::ostringstream out;
  try {
    writeSession(out, data, "s.eps");
    ADD_FAILURE() << "wrote an event with fd -5";
  } catch (const SessionFileError& error) {
    EXPECT_EQ(std::string(error.what()),
              "cannot save s.eps: event seq 2: field 9 fd: -5 is below -1");
  }
  EXPECT_EQ(out.str(), "") << "nothing is written";
  data = sample();
  data.events[2].seq = 2;
  EXPECT_THROW(writeSession(out, data, "s.eps"), SessionFileError);
  data = sample();
  data.knobs = "read=sometimes";
  EXPECT_THROW(writeSession(out, data, "s.eps"), SessionFileError);

  // A failed save leaves an existing file as it was.
  const std::string path = ::testing::TempDir() + "kept.eps";
  saveSessionFile(path, sample());
  EXPECT_THROW(saveSessionFile(path, data), SessionFileError);
  EXPECT_EQ(readSession(path).events.size(), 3u);
  EXPECT_TRUE(looksLikeSession(path));
  EXPECT_THROW(saveSessionFile(::testing::TempDir() + "no/such/dir/s.eps", sample()),
               SessionFileError);
}

}  // namespace
}  // namespace eps
