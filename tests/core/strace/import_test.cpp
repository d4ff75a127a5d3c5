// The strace importer: hand-made logs in the exact line formats strace writes (midnight wrap,
// malformed lines, files that are not logs), and real logs made at test time by running
// `strace -f -ttt -T -yy` on a small epoll program and on epollscope itself.
#include "core/strace/import.hpp"

#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/base/input_limits.hpp"
#include "core/base/names.hpp"
#include "core/trace/lanes.hpp"
#include "tests/helpers/strace_recording.hpp"

namespace eps {
namespace {

using test::importText;

std::size_t countCalls(const StraceImport& log, Call call) {
  return static_cast<std::size_t>(std::count_if(
      log.events.begin(), log.events.end(),
      [call](const TraceEvent& e) { return e.kind == EventKind::Call && e.call == call; }));
}

std::vector<TraceEvent> ofKind(const StraceImport& log, EventKind kind) {
  std::vector<TraceEvent> out;
  for (const TraceEvent& e : log.events) {
    if (e.kind == kind) out.push_back(e);
  }
  return out;
}

// The lanes the timeline and the exports would draw for this import.
std::vector<LaneInfo> lanesOf(const StraceImport& log) {
  LaneTracker lanes;
  lanes.setLabels(&log.labels);
  for (const TraceEvent& e : log.events) {
    lanes.assign(e);
    if (e.kind == EventKind::Ready) lanes.fdLane(e);
  }
  return lanes.lanes();
}

bool hasLane(const std::vector<LaneInfo>& lanes, LaneKind kind, const std::string& part) {
  return std::any_of(lanes.begin(), lanes.end(), [&](const LaneInfo& lane) {
    return lane.kind == kind && lane.name.find(part) != std::string::npos;
  });
}

// An ET echo server's log, in the -tt form of ECOSYSTEM.md §2 (real lines, one pid).
const std::string kEtServerLog =
    "5114  17:19:10.653897 epoll_create1(EPOLL_CLOEXEC) = 4<anon_inode:[eventpoll]> <0.000015>\n"
    "5114  17:19:10.653990 epoll_ctl(4<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
    "3<TCP:[127.0.0.1:5555]>, {events=EPOLLIN, data={u32=3, u64=3}}) = 0 <0.000015>\n"
    "5114  17:19:11.658028 epoll_wait(4<anon_inode:[eventpoll]>, [{events=EPOLLIN, data={u32=3, "
    "u64=3}}], 64, 1000) = 1 <0.688558>\n"
    "5114  17:19:12.346747 accept4(3<TCP:[127.0.0.1:5555]>, NULL, NULL, "
    "SOCK_CLOEXEC|SOCK_NONBLOCK) = 5<TCP:[127.0.0.1:5555->127.0.0.1:59808]> <0.000019>\n"
    "5114  17:19:12.348766 accept4(3<TCP:[127.0.0.1:5555]>, NULL, NULL, "
    "SOCK_CLOEXEC|SOCK_NONBLOCK) = -1 EAGAIN (Resource temporarily unavailable) <0.000016>\n"
    "5114  17:19:12.348664 epoll_ctl(4<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
    "5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>, {events=EPOLLIN|EPOLLRDHUP|EPOLLET, "
    "data={u32=5, u64=5}}) = 0 <0.000017>\n"
    "5114  17:19:12.348800 epoll_wait(4<anon_inode:[eventpoll]>, [{events=EPOLLIN, data={u32=5, "
    "u64=5}}], 64, 1000) = 1 <0.000100>\n"
    "5114  17:19:12.348950 read(5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>, \"hello\\n\", 6) = 6 "
    "<0.000053>\n"
    "5114  17:19:12.349037 write(5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>, \"hello\\n\", 6) = 6 "
    "<0.000025>\n"
    "5114  17:19:12.400221 epoll_wait(4<anon_inode:[eventpoll]>, [], 64, 1000) = 0 <1.000000>\n"
    "5114  17:19:13.454903 read(5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>, \"\", 65536) = 0 "
    "<0.000020>\n"
    "5114  17:19:13.456052 close(5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>) = 0 <0.000233>\n"
    "5114  17:19:13.457933 exit_group(0)     = ?\n"
    "5114  17:19:13.459275 +++ exited with 0 +++\n";

TEST(StraceImport, EtServerLogBecomesCallsReadyRecordsAndNamedLanes) {
  const StraceImport log = importText(kEtServerLog);
  EXPECT_EQ(log.stats.lines, 14u);
  EXPECT_EQ(log.stats.notUnderstood, 0u);
  EXPECT_EQ(countCalls(log, Call::EpollWait), 3u);
  EXPECT_EQ(countCalls(log, Call::Accept4), 2u);
  EXPECT_EQ(countCalls(log, Call::Read), 2u);
  EXPECT_EQ(countCalls(log, Call::Close), 1u);
  EXPECT_EQ(log.stats.otherCalls, 1u);  // exit_group
  EXPECT_EQ(log.stats.unfinished, 0u);
  const auto ready = ofKind(log, EventKind::Ready);
  ASSERT_EQ(ready.size(), 2u);
  EXPECT_EQ(ready[0].fd, 3);
  EXPECT_EQ(ready[1].fd, 5);
  EXPECT_EQ(ready[1].events, static_cast<std::uint32_t>(EPOLLIN));
  for (const TraceEvent& e : log.events) EXPECT_TRUE(e.flags & kEventImported);
  const auto accepted = std::find_if(log.events.begin(), log.events.end(), [](const auto& e) {
    return e.call == Call::Accept4 && e.ret == 5;
  });
  ASSERT_NE(accepted, log.events.end());
  EXPECT_EQ(accepted->a, 59808);  // peer port, from the -yy decoration
  const auto wait = std::find_if(log.events.begin(), log.events.end(),
                                 [](const auto& e) { return e.call == Call::EpollWait; });
  EXPECT_EQ(wait->durNs, 688'558'000);
  EXPECT_EQ(wait->a, 64);
  EXPECT_EQ(wait->b, 1000);
  // The last read returned 6 bytes, not EAGAIN, before the next wait: possibly stranded.
  const auto stranded = ofKind(log, EventKind::Stranded);
  ASSERT_EQ(stranded.size(), 1u);
  EXPECT_EQ(stranded[0].fd, 5);
  EXPECT_EQ(stranded[0].b, 6);
  EXPECT_TRUE(stranded[0].flags & kEventInferred);
  const auto lanes = lanesOf(log);
  EXPECT_TRUE(hasLane(lanes, LaneKind::EpollWait, "epoll_wait epfd 4 (tid 5114)"));
  EXPECT_TRUE(hasLane(lanes, LaneKind::Listener, "fd 3 TCP:[127.0.0.1:5555]"));
  EXPECT_TRUE(hasLane(lanes, LaneKind::Connection, "TCP:[127.0.0.1:5555->127.0.0.1:59808]"));
}

TEST(StraceImport, MidnightWrapOfTimeOfDayIsUnwrapped) {
  const std::string log =
      "700   23:59:59.900000 epoll_wait(4<anon_inode:[eventpoll]>, [], 8, 100) = 0 <0.100100>\n"
      "700   00:00:00.000200 epoll_wait(4<anon_inode:[eventpoll]>, [], 8, 100) = 0 <0.100100>\n"
      "701   23:59:59.999000 read(5, \"x\", 1) = 1 <0.000010>\n"  // a late line, not a wrap
      "700   00:00:00.100400 epoll_wait(4<anon_inode:[eventpoll]>, [], 8, 100) = 0 <0.100100>\n";
  const StraceImport result = importText(log);
  EXPECT_EQ(result.stats.midnightWraps, 1u);
  std::vector<std::int64_t> waits;
  for (const TraceEvent& e : result.events) {
    if (e.call == Call::EpollWait) waits.push_back(e.tNs);
  }
  ASSERT_EQ(waits.size(), 3u);
  EXPECT_EQ(waits[1] - waits[0], 100'200'000);
  EXPECT_EQ(waits[2] - waits[1], 100'200'000);
  const auto read = std::find_if(result.events.begin(), result.events.end(),
                                 [](const auto& e) { return e.call == Call::Read; });
  EXPECT_EQ(read->tNs - waits[0], 99'000'000);  // the day before, not a day later
}

TEST(StraceImport, UnfinishedAndResumedHalvesJoinPerThread) {
  const std::string log =
      "5672  17:19:24.064483 epoll_wait(4<anon_inode:[eventpoll]>,  <unfinished ...>\n"
      "5671  17:19:24.162360 connect(5<TCP:[14787]>, {sa_family=AF_INET, "
      "sin_port=htons(5601), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0 <0.000277>\n"
      "5672  17:19:24.164077 <... epoll_wait resumed>[{events=EPOLLIN, data={u32=3, u64=3}}], "
      "16, 200) = 1 <0.099577>\n"
      "5672  17:19:24.164164 accept4(3<TCP:[127.0.0.1:5601]>, NULL, NULL, "
      "SOCK_CLOEXEC|SOCK_NONBLOCK <unfinished ...>\n"
      "5672  17:19:24.165785 <... accept4 resumed>) = 6<TCP:[127.0.0.1:5601->127.0.0.1:33736]> "
      "<0.001602>\n"
      "5671  17:19:24.170000 epoll_pwait(7<anon_inode:[eventpoll]>, [], 4, 0, NULL, 8) = 0 "
      "<0.000012>\n";
  const StraceImport result = importText(log);
  EXPECT_EQ(result.stats.notUnderstood, 0u);
  EXPECT_EQ(result.threads.size(), 2u);
  EXPECT_EQ(countCalls(result, Call::EpollWait), 2u);
  const auto wait = std::find_if(result.events.begin(), result.events.end(),
                                 [](const auto& e) { return e.call == Call::EpollWait; });
  EXPECT_EQ(wait->ret, 1);
  EXPECT_EQ(wait->a, 16);
  EXPECT_EQ(wait->durNs, 99'577'000);
  const auto pwait = std::find_if(result.events.begin(), result.events.end(), [](const auto& e) {
    return e.call == Call::EpollWait && e.fd == 7;
  });
  ASSERT_NE(pwait, result.events.end());
  EXPECT_EQ(callNameOf(*pwait), "epoll_pwait");
  EXPECT_NE(pwait->thread, wait->thread);
  const auto lanes = lanesOf(result);
  EXPECT_TRUE(hasLane(lanes, LaneKind::EpollWait, "epfd 4 (tid 5672)"));
  EXPECT_TRUE(hasLane(lanes, LaneKind::EpollWait, "epfd 7 (tid 5671)"));
  EXPECT_TRUE(hasLane(lanes, LaneKind::Connection, "fd 6 TCP:[127.0.0.1:5601->127.0.0.1:33736]"));
}

TEST(StraceImport, ReadyDataIsMappedBackToTheRegisteredFd) {
  // The program registers a pointer-like value, not the fd: the Ready must still name fd 9.
  const std::string log =
      "10 1795368574.000001 epoll_ctl(3<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
      "9<TCP:[127.0.0.1:80->127.0.0.1:4000]>, {events=EPOLLIN|EPOLLOUT, data={u32=1234, "
      "u64=94558428312784}}) = 0 <0.000010>\n"
      "10 1795368574.000100 epoll_wait(3<anon_inode:[eventpoll]>, [{events=EPOLLOUT, "
      "data={u32=1234, u64=94558428312784}}], 8, -1) = 1 <0.000010>\n";
  const StraceImport result = importText(log);
  const auto ready = ofKind(result, EventKind::Ready);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].fd, 9);
  EXPECT_EQ(ready[0].events, static_cast<std::uint32_t>(EPOLLOUT));
  const auto ctl = std::find_if(result.events.begin(), result.events.end(),
                                [](const auto& e) { return e.call == Call::EpollCtl; });
  EXPECT_EQ(ctl->events, static_cast<std::uint32_t>(EPOLLIN | EPOLLOUT));
  EXPECT_EQ(ctl->op, EPOLL_CTL_ADD);
  EXPECT_EQ(ctl->a, 3);
}

TEST(StraceImport, LevelTriggeredWakeupsThatDoNothingAreABusyRun) {
  std::string log =
      "42 1795368574.000000 epoll_ctl(3<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
      "5<TCP:[127.0.0.1:80->127.0.0.1:4000]>, {events=EPOLLIN, data={u32=5, u64=5}}) = 0 "
      "<0.000010>\n";
  for (int i = 0; i < 12; ++i) {
    const std::string t = "1795368574." + std::to_string(100000 + i * 100);
    log += "42 " + t +
           " epoll_wait(3<anon_inode:[eventpoll]>, [{events=EPOLLIN|EPOLLRDHUP, data={u32=5, "
           "u64=5}}], 8, -1) = 1 <0.000010>\n";
    log += "42 " + t + " read(5<TCP:[127.0.0.1:80->127.0.0.1:4000]>, \"\", 100) = 0 <0.00001>\n";
  }
  log += "42 1795368575.000000 close(5<TCP:[127.0.0.1:80->127.0.0.1:4000]>) = 0 <0.000010>\n";
  const StraceImport result = importText(log);
  const auto busy = ofKind(result, EventKind::Busy);
  ASSERT_EQ(busy.size(), 1u);
  EXPECT_EQ(busy[0].a, 12);
  EXPECT_TRUE(busy[0].flags & kEventInferred);
  EXPECT_EQ(result.stats.busyRunsInferred, 1u);
  EXPECT_EQ(result.stats.busyWakeupsInferred, 12u);
  EXPECT_EQ(result.stats.strandedInferred, 0u);  // read 0 is the end: nothing stranded
}

TEST(StraceImport, MalformedLinesAreCountedKeptAndNeverFatal) {
  std::string log = kEtServerLog;
  const std::vector<std::string> bad = {
      "5114  17:19:12.348950 read(5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>, \"hel",  // cut
      "garbage that is no strace line at all",
      "5114  17:19:12.348950 epoll_wait(4, [{events=EPOLLIN, data={u32=5, u64=5}], 64) = 1",
      "5114  17:19:12.348950 epoll_ctl(4<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, 5<TCP:[",
      std::string("5114  17:19:12.3 read(\x01\x02\xff\xfe", 24),
      "5114  17:19:12.348950 " + std::string(100000, '('),
      "))))]]]}}} = = = <<<>>>",
  };
  for (const std::string& line : bad) log += line + "\n";
  const StraceImport result = importText(log, {.keepBadLines = 3});
  EXPECT_EQ(result.stats.notUnderstood, bad.size());
  ASSERT_EQ(result.badLines.size(), 3u);
  EXPECT_EQ(result.badLines[0].number, 15u);
  EXPECT_EQ(result.badLines[1].text, "garbage that is no strace line at all");
  EXPECT_EQ(countCalls(result, Call::EpollWait), 3u);  // the good lines still count
}

// A log naming thousands of files (or one very long path): labels stop at kImportMaxLabels,
// each cut to kImportMaxLabelBytes, and those refused are counted; the calls all import.
TEST(StraceImport, LaneLabelsAreBoundedAndTheRestCounted) {
  const std::string head = "301 1795368574.000100 read(";
  const std::string tail = ">, \"x\", 1) = 1 <0.000010>\n";
  std::string log = head + "8</tmp/" + std::string(5000, 'a') + tail;
  for (int i = 0; i < 6000; ++i) log += head + "7</tmp/file-" + std::to_string(i) + tail;
  const StraceImport result = importText(log);
  EXPECT_EQ(countCalls(result, Call::Read), 6001u);
  ASSERT_EQ(result.labels.size(), kImportMaxLabels + 1);  // [0] is the empty label
  EXPECT_EQ(result.labels[1], "fd 8 /tmp/" + std::string(kImportMaxLabelBytes - 5, 'a') + "...");
  EXPECT_EQ(result.labels.back(), "fd 7 /tmp/file-" + std::to_string(kImportMaxLabels - 2));
  EXPECT_EQ(result.stats.labelsDropped, 6000 - (kImportMaxLabels - 1));
  EXPECT_EQ(result.events.back().conn, 0u);  // a refused label: the lane keeps its plain name
}

TEST(StraceImport, RandomBytesAndMutatedLinesNeverCrash) {
  std::mt19937 random(7);
  std::istringstream in(kEtServerLog);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  StraceImporter importer;
  for (const std::string& line : lines) importer.feed(line);  // understood: no sniff error
  for (int i = 0; i < 20000; ++i) {
    std::string line = lines[random() % lines.size()];
    const auto edits = 1 + random() % 4;
    for (std::size_t k = 0; k < edits; ++k) {
      line[random() % line.size()] = static_cast<char>(random() % 256);
    }
    if (random() % 3 == 0) line.resize(random() % line.size());
    importer.feed(line);
  }
  const StraceImport result = importer.finish();
  EXPECT_GT(result.stats.notUnderstood, 0u);
  EXPECT_EQ(result.stats.lines, lines.size() + 20000);
}

TEST(StraceImport, TextThatIsNotAnStraceLogIsRefusedNamingTheLine) {
  std::string prose;
  for (int i = 0; i < 30; ++i)
    prose += "It was a dark and stormy night, line " + std::to_string(i) + "\n";
  try {
    importText("\n" + prose, {.source = "story.txt"});
    FAIL() << "a story is not an strace log";
  } catch (const StraceImportError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("story.txt:2: not an strace log", 0), 0u)
        << error.what();
  }
  EXPECT_THROW(importText("a short note\n", {.source = "note"}), StraceImportError);
  try {
    importText(std::string("\x7f"
                           "ELF\x02\x01\x01\0\0\0",
                           10) +
                   "\n",
               {.source = "a.out"});
    FAIL() << "a binary is not an strace log";
  } catch (const StraceImportError& error) {
    EXPECT_STREQ(error.what(), "a.out:1: binary data, not an strace log");
  }
  try {
    importText("\n  \n", {.source = "blank.log"});
    FAIL() << "an empty log";
  } catch (const StraceImportError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("blank.log: empty file", 0), 0u) << error.what();
  }
}

class StraceImportFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("epollscope_import_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Runs `strace -f -ttt -T -yy` on a command; the log's path, or empty with skipReason_ set.
  std::string straceRun(const std::string& name, const std::string& command) {
    return test::straceRecord(dir_, name, command, skipReason_);
  }

  std::string subject(const std::string& mode) {
    return straceRun(mode, std::string(EPOLLSCOPE_STRACE_SUBJECT) + " " + mode);
  }

  std::filesystem::path dir_;
  std::string skipReason_;
};

TEST_F(StraceImportFile, MissingFileAndDirectoryAreClearErrors) {
  const std::string missing = (dir_ / "nope.log").string();
  try {
    importStraceFile(missing);
    FAIL();
  } catch (const StraceImportError& error) {
    EXPECT_EQ(std::string(error.what()), "cannot open " + missing + ": No such file or directory");
  }
  EXPECT_THROW(importStraceFile(dir_.string()), StraceImportError);
  const std::string empty = (dir_ / "empty.log").string();
  std::ofstream(empty).close();
  EXPECT_THROW(importStraceFile(empty), StraceImportError);
}

TEST_F(StraceImportFile, OverlongLinesAreCountedNotLoaded) {
  const std::string path = (dir_ / "long.log").string();
  {
    std::ofstream out(path);
    out << kEtServerLog << "5114  17:19:14.000000 write(1, \"" << std::string(3 << 20, 'x')
        << "\", 3145728) = 3145728 <0.000100>\n"
        << "5114  17:19:14.100000 close(3) = 0 <0.000010>";  // no final newline
  }
  const StraceImport result = importStraceFile(path, {.maxLineBytes = 1 << 20});
  EXPECT_EQ(result.stats.notUnderstood, 1u);
  ASSERT_EQ(result.badLines.size(), 1u);
  EXPECT_EQ(result.badLines[0].number, 15u);
  EXPECT_NE(result.badLines[0].text.find("[line too long]"), std::string::npos);
  EXPECT_EQ(countCalls(result, Call::Close), 2u);  // the last line, without its newline, too
}

TEST_F(StraceImportFile, EdgeTriggeredPartialReadIsInferredStranded) {
  const std::string log = subject("et-once");
  if (log.empty()) GTEST_SKIP() << skipReason_;
  const StraceImport result = importStraceFile(log);
  EXPECT_EQ(result.stats.notUnderstood, 0u);
  const auto stranded = ofKind(result, EventKind::Stranded);
  ASSERT_EQ(stranded.size(), 1u);
  EXPECT_EQ(stranded[0].b, 100);
  const auto accepted = std::find_if(result.events.begin(), result.events.end(),
                                     [](auto& e) { return e.call == Call::Accept4 && e.ret >= 0; });
  ASSERT_NE(accepted, result.events.end());
  EXPECT_EQ(stranded[0].fd, accepted->ret);
  EXPECT_EQ(countCalls(result, Call::Accept4), 2u);  // one connection, then EAGAIN
  const auto lanes = lanesOf(result);
  EXPECT_TRUE(hasLane(lanes, LaneKind::Connection, "TCP:[127.0.0.1:"));
  EXPECT_TRUE(hasLane(lanes, LaneKind::Listener, "TCP:[127.0.0.1:"));
  EXPECT_TRUE(hasLane(lanes, LaneKind::EpollWait, "epoll_wait epfd"));
}

TEST_F(StraceImportFile, DrainingUntilEagainStrandsNothing) {
  const std::string log = subject("et-drain");
  if (log.empty()) GTEST_SKIP() << skipReason_;
  const StraceImport result = importStraceFile(log);
  EXPECT_EQ(result.stats.strandedInferred, 0u);
  std::size_t dataReads = 0;
  std::size_t eagains = 0;
  for (const TraceEvent& e : result.events) {
    if (e.call != Call::Read || e.a != 100) continue;
    dataReads += e.ret > 0 ? 1 : 0;
    eagains += e.ret < 0 && e.err == EAGAIN ? 1 : 0;
  }
  EXPECT_EQ(dataReads, 10u);  // 1000 bytes, 100 at a time
  EXPECT_EQ(eagains, 1u);
}

TEST_F(StraceImportFile, LevelTriggeredEofNeverClosedIsABusyRun) {
  const std::string log = subject("lt-busy");
  if (log.empty()) GTEST_SKIP() << skipReason_;
  const StraceImport result = importStraceFile(log);
  const auto busy = ofKind(result, EventKind::Busy);
  ASSERT_EQ(busy.size(), 1u);
  EXPECT_EQ(busy[0].a, 30);  // every wakeup read 0 and left the socket open
  EXPECT_GT(busy[0].b, 0);
  EXPECT_EQ(countCalls(result, Call::Shutdown), 1u);
}

TEST_F(StraceImportFile, SignalDuringEpollWaitIsEintr) {
  const std::string log = subject("eintr");
  if (log.empty()) GTEST_SKIP() << skipReason_;
  const StraceImport result = importStraceFile(log);
  EXPECT_GE(result.stats.signals, 1u);
  const auto interrupted = std::find_if(result.events.begin(), result.events.end(), [](auto& e) {
    return e.call == Call::EpollWait && e.ret == -1 && e.err == EINTR;
  });
  ASSERT_NE(interrupted, result.events.end());
  EXPECT_EQ(interrupted->b, 2000);
  EXPECT_GT(interrupted->durNs, 50'000'000);  // the alarm came after 100 ms
}

TEST_F(StraceImportFile, ThreadsGetTheirOwnEpollLanesAndResumedCallsJoin) {
  const std::string log = subject("threads");
  if (log.empty()) GTEST_SKIP() << skipReason_;
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  const StraceImport result = importStraceFile(log);
  EXPECT_EQ(result.stats.notUnderstood, 0u);
  EXPECT_NE(text.find(" resumed>"), std::string::npos) << "two busy threads interleave";
  std::vector<std::uint8_t> waiting;  // threads that waited
  for (const TraceEvent& e : result.events) {
    if (e.call == Call::EpollWait &&
        std::find(waiting.begin(), waiting.end(), e.thread) == waiting.end()) {
      waiting.push_back(e.thread);
    }
  }
  EXPECT_EQ(waiting.size(), 2u);
  EXPECT_EQ(countCalls(result, Call::EpollWait), 2u * (1 + 5 + 1));
  // The data registered is (0xabc << 32 | fd): every Ready still names a listener or an
  // accepted fd.
  std::vector<std::int64_t> known;
  for (const TraceEvent& e : result.events) {
    if (e.call == Call::Accept4 && e.ret >= 0) known.push_back(e.ret);
    if (e.call == Call::Listen) known.push_back(e.fd);
  }
  const auto ready = ofKind(result, EventKind::Ready);
  EXPECT_EQ(ready.size(), 2u * (1 + 5));
  for (const TraceEvent& e : ready) {
    EXPECT_NE(std::find(known.begin(), known.end(), e.fd), known.end()) << e.fd;
  }
  const auto lanes = lanesOf(result);
  const auto epollLanes = std::count_if(lanes.begin(), lanes.end(), [](const LaneInfo& lane) {
    return lane.kind == LaneKind::EpollWait;
  });
  EXPECT_EQ(epollLanes, 2);
  EXPECT_EQ(result.stats.strandedInferred, 0u);
}

TEST_F(StraceImportFile, EpollscopeLostWakeupLessonIsInferredStranded) {
  const std::string lesson = std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/02-et-lost-wakeup.toml";
  const std::string log = straceRun(
      "lesson", std::string(EPOLLSCOPE_BINARY) + " --headless --lesson " + lesson + " --check");
  if (log.empty()) GTEST_SKIP() << skipReason_;
  const StraceImport result = importStraceFile(log);
  EXPECT_EQ(result.stats.notUnderstood, 0u);
  EXPECT_GE(result.threads.size(), 3u);  // main, engine, clients
  const auto stranded = ofKind(result, EventKind::Stranded);
  ASSERT_GE(stranded.size(), 1u);
  EXPECT_EQ(stranded[0].b, 100);  // read-chunk 100, read once
  const auto lanes = lanesOf(result);
  // The engine's and the clients' epoll instances, each a lane of its own thread.
  const auto epollLanes = std::count_if(lanes.begin(), lanes.end(), [](const LaneInfo& lane) {
    return lane.kind == LaneKind::EpollWait;
  });
  EXPECT_GE(epollLanes, 2);
  EXPECT_TRUE(hasLane(lanes, LaneKind::Connection, "->127.0.0.1:"));
}

}  // namespace
}  // namespace eps
