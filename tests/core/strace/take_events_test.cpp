// The importer's incremental side, for a live trace: events, lane labels and threads taken
// while lines still arrive add up to what one import of the whole log gives; and strace's
// output cut into chunks at any byte (a pipe read) is the same log as its lines.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/strace/chunk_lines.hpp"
#include "core/strace/import.hpp"

namespace eps {
namespace {

// Two threads, a listener, a connection read twice (once to EAGAIN) and closed.
const char* const kLog =
    "301 1795368574.000100 epoll_create1(EPOLL_CLOEXEC) = 3<anon_inode:[eventpoll]> <0.000010>\n"
    "301 1795368574.000150 accept4(4<TCP:[127.0.0.1:8080]>, NULL, NULL, SOCK_NONBLOCK) = "
    "5<TCP:[127.0.0.1:8080->127.0.0.1:41234]> <0.000010>\n"
    "301 1795368574.000200 epoll_ctl(3<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
    "5<TCP:[127.0.0.1:8080->127.0.0.1:41234]>, {events=EPOLLIN|EPOLLET, data={u32=5, u64=5}}) = "
    "0 <0.000010>\n"
    "302 1795368574.000250 write(1</dev/pts/0>, \"x\", 1) = 1 <0.000010>\n"
    "301 1795368574.000300 epoll_wait(3<anon_inode:[eventpoll]>, [{events=EPOLLIN, data={u32=5, "
    "u64=5}}], 64, -1) = 1 <0.000500>\n"
    "301 1795368574.000900 read(5<TCP:[127.0.0.1:8080->127.0.0.1:41234]>, \"xxxxxxxx\"..., 100) "
    "= 100 <0.000010>\n"
    "301 1795368574.001000 read(5<TCP:[127.0.0.1:8080->127.0.0.1:41234]>, 0x7ffd, 100) = -1 "
    "EAGAIN (Resource temporarily unavailable) <0.000010>\n"
    "301 1795368574.001100 close(5<TCP:[127.0.0.1:8080->127.0.0.1:41234]>) = 0 <0.000010>\n"
    "301 1795368574.001200 epoll_wait(3<anon_inode:[eventpoll]>, [], 64, 100) = 0 <0.100100>\n";

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

StraceImport wholeImport() {
  StraceImporter importer;
  for (const std::string& line : linesOf(kLog)) importer.feed(line);
  return importer.finish();
}

void expectSameEvents(const std::vector<TraceEvent>& got, const std::vector<TraceEvent>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].seq, want[i].seq) << i;
    EXPECT_EQ(got[i].kind, want[i].kind) << i;
    EXPECT_EQ(got[i].call, want[i].call) << i;
    EXPECT_EQ(got[i].fd, want[i].fd) << i;
    EXPECT_EQ(got[i].ret, want[i].ret) << i;
    EXPECT_EQ(got[i].conn, want[i].conn) << i;
    EXPECT_EQ(got[i].tNs, want[i].tNs) << i;
  }
}

TEST(StraceTakeEvents, TakesAfterEveryLineAddUpToTheWholeImport) {
  const StraceImport whole = wholeImport();
  ASSERT_GE(whole.events.size(), 7u);
  ASSERT_GE(whole.labels.size(), 3u);

  StraceImporter importer;
  std::vector<TraceEvent> events;
  std::vector<std::string> labels;
  std::vector<Recorder::WriterInfo> threads;
  int takesWithEvents = 0;
  for (const std::string& line : linesOf(kLog)) {
    importer.feed(line);
    StraceDelta delta = importer.takeEvents();
    EXPECT_EQ(delta.firstLabel, labels.size());  // labels arrive in order, none twice
    labels.insert(labels.end(), delta.newLabels.begin(), delta.newLabels.end());
    threads.insert(threads.end(), delta.newThreads.begin(), delta.newThreads.end());
    takesWithEvents += delta.events.empty() ? 0 : 1;
    events.insert(events.end(), delta.events.begin(), delta.events.end());
  }
  EXPECT_GE(takesWithEvents, 5);  // streamed, not all at the end
  EXPECT_EQ(importer.takeEvents().events.size(), 0u);  // a second take has nothing new
  StraceImport rest = importer.finish();
  events.insert(events.end(), rest.events.begin(), rest.events.end());

  expectSameEvents(events, whole.events);
  EXPECT_EQ(labels, whole.labels);
  EXPECT_EQ(rest.labels, whole.labels);  // finish() still has every label
  ASSERT_EQ(threads.size(), whole.threads.size());
  for (std::size_t i = 0; i < threads.size(); ++i) EXPECT_EQ(threads[i].tid, whole.threads[i].tid);
  EXPECT_EQ(rest.stats.callsImported, whole.stats.callsImported);
}

TEST(StraceChunkLines, AnyCutOfTheStreamIsTheSameLog) {
  const StraceImport whole = wholeImport();
  const std::string text = kLog;
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{64}, text.size()}) {
    StraceImporter importer;
    StraceChunkLines lines(importer, StraceImportOptions{}.maxLineBytes);
    for (std::size_t at = 0; at < text.size(); at += chunk) lines.feed(text.substr(at, chunk));
    lines.end();
    const StraceImport log = importer.finish();
    SCOPED_TRACE("chunks of " + std::to_string(chunk));
    expectSameEvents(log.events, whole.events);
    EXPECT_EQ(log.stats.lines, whole.stats.lines);
    EXPECT_EQ(log.stats.notUnderstood, 0u);
  }
}

TEST(StraceChunkLines, AnOverlongLineKeepsItsHeadAndALastLineWithoutNewlineCounts) {
  StraceImporter importer;
  StraceChunkLines lines(importer, 100);
  const std::vector<std::string> log = linesOf(kLog);
  lines.feed(log[0] + "\n");
  lines.feed(std::string(150, 'y'));
  lines.feed(std::string(150, 'y') + "\n");
  lines.feed(log.back());  // no newline: strace was killed mid-line
  lines.end();
  const StraceImport result = importer.finish();
  EXPECT_EQ(result.stats.lines, 3u);
  EXPECT_EQ(result.stats.notUnderstood, 1u);
  ASSERT_EQ(result.badLines.size(), 1u);
  EXPECT_NE(result.badLines[0].text.find("[line too long]"), std::string::npos);
  EXPECT_LT(result.badLines[0].text.size(), 300u);
}

}  // namespace
}  // namespace eps
