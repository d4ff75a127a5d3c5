// What the importer makes of the calls beside epoll's: poll and select waits with their ready
// descriptors, every data-moving call with its bytes, io_uring and the calls the trace keeps no
// record for named in the summary, argument texts of any shape (capget's 1<<CAP_CHOWN), and
// every thread of the log. Real programs are recorded at test time under strace.
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/base/names.hpp"
#include "core/strace/counters.hpp"
#include "core/strace/import.hpp"
#include "core/strace/summary.hpp"
#include "core/trace/event_text.hpp"
#include "core/trace/lanes.hpp"
#include "tests/helpers/strace_recording.hpp"

namespace eps {
namespace {

using test::importText;

std::vector<TraceEvent> callsOf(const StraceImport& log, Call call) {
  std::vector<TraceEvent> out;
  for (const TraceEvent& e : log.events) {
    if (e.kind == EventKind::Call && e.call == call) out.push_back(e);
  }
  return out;
}

std::vector<TraceEvent> readyOf(const StraceImport& log) {
  std::vector<TraceEvent> out;
  for (const TraceEvent& e : log.events) {
    if (e.kind == EventKind::Ready) out.push_back(e);
  }
  return out;
}

class ImportCallsRecorded : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("epollscope_import_calls_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  // Records a Python script under strace; empty (and skipReason_) when the machine refuses.
  std::string recordPython(const std::string& name, const std::string& script) {
    if (access("/usr/bin/python3", X_OK) != 0) {
      skipReason_ = "/usr/bin/python3 is missing";
      return "";
    }
    const std::filesystem::path file = dir_ / (name + "_prog.py");
    std::ofstream(file) << script;
    return test::straceRecord(dir_, name, "/usr/bin/python3 " + file.string(), skipReason_);
  }

  std::filesystem::path dir_;
  std::string skipReason_;
};

// socketserver waits in poll(2): its waits are waits, the listener's readiness Ready records.
TEST_F(ImportCallsRecorded, HttpServerPollWaitsHaveReadyRecordsForTheListener) {
  const std::string log = recordPython("http", R"(
import http.server, threading, urllib.request
server = http.server.HTTPServer(('127.0.0.1', 0), http.server.SimpleHTTPRequestHandler)
port = server.server_address[1]
thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05})
thread.start()
for i in range(3):
    urllib.request.urlopen('http://127.0.0.1:%d/' % port).read()
server.shutdown(); thread.join(); server.server_close()
)");
  if (log.empty()) GTEST_SKIP() << skipReason_;
  const StraceImport result = importStraceFile(log);
  const auto listens = callsOf(result, Call::Listen);
  ASSERT_EQ(listens.size(), 1u) << "the server listens once";
  const int listener = listens[0].fd;
  const auto polls = callsOf(result, Call::Poll);
  ASSERT_FALSE(polls.empty()) << "socketserver waits in poll";
  EXPECT_EQ(callNameOf(polls[0]), "poll");
  EXPECT_GT(polls[0].a, 0) << "fds watched";
  EXPECT_EQ(polls[0].b, 50) << "the timeout in ms";
  const auto ready = readyOf(result);
  const auto onListener = std::count_if(ready.begin(), ready.end(), [&](const TraceEvent& e) {
    return e.fd == listener && (e.events & EPOLLIN) != 0;
  });
  EXPECT_GE(onListener, 3) << "one wakeup per connection at least";
  // The waits and their Ready records share one wait lane, named for the call and the thread.
  LaneTracker lanes;
  lanes.setLabels(&result.labels);
  std::set<std::uint32_t> pollLanes;
  for (const TraceEvent& e : result.events) {
    const std::uint32_t lane = lanes.assign(e);
    if (e.kind == EventKind::Ready || (e.kind == EventKind::Call && e.call == Call::Poll)) {
      pollLanes.insert(lane);
    }
  }
  ASSERT_EQ(pollLanes.size(), 1u) << "one thread serves";
  const LaneInfo& lane = lanes.lanes()[*pollLanes.begin()];
  EXPECT_EQ(lane.kind, LaneKind::EpollWait);
  EXPECT_EQ(lane.name.rfind("poll (tid ", 0), 0u) << lane.name;
  const auto counts = countImport(result);
  EXPECT_GE(counts.at("wakeups"), 3);
  EXPECT_GT(counts.at("bytes_read"), 0);
}

// A wakeup whose handling moved bytes only with splice is not idle: no busy run, bytes counted.
TEST_F(ImportCallsRecorded, SpliceEchoIsNotBusyAndItsBytesAreCounted) {
  const std::string log = recordPython("splice", R"(
import os, select, socket, threading
listener = socket.socket(); listener.bind(('127.0.0.1', 0)); listener.listen(4)
port = listener.getsockname()[1]
def client():
    c = socket.create_connection(('127.0.0.1', port))
    for i in range(12):
        c.sendall(b'x' * 100)
        got = 0
        while got < 100:
            got += len(c.recv(100 - got))
    c.close()
t = threading.Thread(target=client); t.start()
conn, _ = listener.accept()
r, w = os.pipe()
ep = select.epoll(); ep.register(conn.fileno(), select.EPOLLIN)
while True:
    ep.poll(5)
    n = os.splice(conn.fileno(), w, 65536)
    if n == 0: break
    os.splice(r, conn.fileno(), n)
t.join(); conn.close()
)");
  if (log.empty()) GTEST_SKIP() << skipReason_;
  const StraceImport result = importStraceFile(log);
  EXPECT_EQ(result.stats.busyRunsInferred, 0u) << "every wakeup moved bytes with splice";
  std::int64_t splicedIn = 0, splicedOut = 0;
  int conn = -1;
  for (const TraceEvent& e : result.events) {
    if (e.kind != EventKind::Call || callNameOf(e) != "splice") continue;
    if (e.call == Call::Read) {
      splicedIn += bytesMoved(e);
      conn = e.fd;
    } else {
      splicedOut += bytesMoved(e);
    }
  }
  EXPECT_EQ(splicedIn, 1200) << "12 messages of 100 bytes taken from the socket";
  EXPECT_EQ(splicedOut, 1200) << "from the pipe back to the socket";
  EXPECT_GE(conn, 0);
  EXPECT_GE(result.stats.bytesIn, 2400u) << "the client's recv and the server's splice";
  EXPECT_GE(result.stats.bytesOut, 2400u);
}

// select, pselect6 and ppoll print their results differently from poll; each ready fd is one
// Ready record with the epoll bit its set stands for.
TEST(ImportCalls, SelectAndPpollResultsBecomeReadyRecords) {
  const StraceImport log = importText(
      "700 1796511049.100000 select(6, [3<TCP:[127.0.0.1:8000]> 4<TCP:[127.0.0.1:8000->127.0.0.1:"
      "5000]>], [5<TCP:[127.0.0.1:8000->127.0.0.1:5001]>], NULL, {tv_sec=0, tv_usec=500000}) = 3 "
      "(in [3 4], out [5], left {tv_sec=0, tv_usec=499990}) <0.000010>\n"
      "700 1796511049.200000 pselect6(4, [3], NULL, NULL, {tv_sec=1, tv_nsec=0}, NULL) = 0 "
      "(Timeout) <1.000100>\n"
      "700 1796511050.300000 ppoll([{fd=3<TCP:[127.0.0.1:8000]>, events=POLLIN}, {fd=5, "
      "events=POLLOUT}], 2, {tv_sec=2, tv_nsec=0}, NULL, 8) = 2 ([{fd=3, revents=POLLIN}, {fd=5, "
      "revents=POLLOUT|POLLHUP}], left {tv_sec=1, tv_nsec=999}) <0.000020>\n");
  ASSERT_EQ(callsOf(log, Call::Select).size(), 1u);
  ASSERT_EQ(callsOf(log, Call::Pselect6).size(), 1u);
  ASSERT_EQ(callsOf(log, Call::Ppoll).size(), 1u);
  EXPECT_EQ(callsOf(log, Call::Select)[0].b, 500) << "a timeval's microseconds";
  EXPECT_EQ(callsOf(log, Call::Pselect6)[0].b, 1000);
  EXPECT_EQ(callsOf(log, Call::Ppoll)[0].b, 2000);
  const auto ready = readyOf(log);
  ASSERT_EQ(ready.size(), 5u);
  EXPECT_EQ(ready[0].fd, 3);
  EXPECT_EQ(ready[0].events, static_cast<std::uint32_t>(EPOLLIN));
  EXPECT_EQ(ready[2].fd, 5);
  EXPECT_EQ(ready[2].events, static_cast<std::uint32_t>(EPOLLOUT));
  EXPECT_EQ(ready[4].fd, 5);
  EXPECT_EQ(ready[4].events, static_cast<std::uint32_t>(EPOLLOUT | EPOLLHUP));
  EXPECT_EQ(log.stats.otherCalls, 0u);
}

// recvmmsg's result counts messages: its bytes are the msg_len values.
TEST(ImportCalls, RecvmmsgBytesAreItsMessageLengths) {
  const StraceImport log = importText(
      "700 1796511049.100000 recvmmsg(3<UDP:[127.0.0.1:9000]>, [{msg_hdr={msg_name=NULL, "
      "msg_namelen=0, msg_iov=[{iov_base=\"abc\", iov_len=1024}], msg_iovlen=1, msg_controllen=0, "
      "msg_flags=0}, msg_len=3}, {msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="
      "\"hello\", iov_len=1024}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=5}], 2, 0, "
      "NULL) = 2 <0.000010>\n"
      "700 1796511049.200000 sendmmsg(3<UDP:[127.0.0.1:9000]>, 0x7ffd0000, 2, 0) = 2 <0.000010>\n");
  const auto reads = callsOf(log, Call::Read);
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(callNameOf(reads[0]), "recvmmsg");
  EXPECT_EQ(reads[0].ret, 2) << "the result as strace printed it";
  EXPECT_EQ(bytesMoved(reads[0]), 8);
  EXPECT_EQ(reads[0].a, 2048) << "the iovecs' sizes asked";
  EXPECT_EQ(log.stats.bytesIn, 8u);
  EXPECT_EQ(log.stats.mmsgBytesUnknown, 1u) << "sendmmsg's array was not decoded";
  EXPECT_NE(dataCallsText(log.stats).find("without msg_len"), std::string::npos);
  const auto sends = callsOf(log, Call::Write);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(bytesMoved(sends[0]), 0) << "unknown, not 2";
  // 2 messages, bytes unknown, is no evidence of a short read: the result counts messages.
  TraceEvent unknownBytes = reads[0];
  unknownBytes.c = -1;
  EXPECT_EQ(eventExplanation(unknownBytes).find("short read"), std::string::npos);
}

// io_uring's I/O happens without system calls strace could show: the summary says so. Calls
// the trace keeps no record for are counted by name, with their failures.
TEST(ImportCalls, IoUringAndOtherCallsAreNamedInTheSummary) {
  const StraceImport log = importText(
      "700 1796511049.100000 io_uring_setup(256, {flags=0, sq_thread_cpu=0, sq_thread_idle=0, "
      "sq_entries=256, cq_entries=512}) = 3<anon_inode:[io_uring]> <0.000050>\n"
      "700 1796511049.100100 timerfd_settime(4<anon_inode:[timerfd]>, 0, {it_interval={tv_sec=0, "
      "tv_nsec=0}, it_value={tv_sec=1, tv_nsec=0}}, NULL) = 0 <0.000004>\n"
      "700 1796511049.100200 timerfd_settime(9, 0, {it_interval={tv_sec=0, tv_nsec=0}, "
      "it_value={tv_sec=1, tv_nsec=0}}, NULL) = -1 EBADF (Bad file descriptor) <0.000004>\n"
      "700 1796511049.100300 io_uring_enter(3<anon_inode:[io_uring]>, 1, 1, "
      "IORING_ENTER_GETEVENTS, NULL, 8) = 1 <0.000100>\n");
  EXPECT_TRUE(log.stats.usesIoUring);
  EXPECT_EQ(log.stats.otherCalls, 4u);
  ASSERT_TRUE(log.stats.otherByName.contains("timerfd_settime"));
  EXPECT_EQ(log.stats.otherByName.at("timerfd_settime").count, 2u);
  EXPECT_EQ(log.stats.otherByName.at("timerfd_settime").failed, 1u);
  EXPECT_EQ(otherCallsText(log.stats, 1), "timerfd_settime 2 (1 failed), and 2 more names");
}

// capget's sets print as "1<<CAP_CHOWN|...": a shift, not an fd decoration.
TEST(ImportCalls, CapgetLineIsUnderstood) {
  const std::string line =
      "12901 1796511036.089502 capget({version=_LINUX_CAPABILITY_VERSION_3, pid=7700}, "
      "{effective=1<<CAP_CHOWN|1<<CAP_DAC_OVERRIDE|1<<CAP_KILL, permitted=1<<CAP_CHOWN|"
      "1<<CAP_DAC_OVERRIDE|1<<CAP_KILL, inheritable=0}) = 0 <0.000002>\n";
  const StraceImport log = importText(line);  // a log of only this line was "not strace"
  EXPECT_EQ(log.stats.notUnderstood, 0u);
  EXPECT_EQ(log.stats.otherByName.at("capget").count, 1u);
}

TEST_F(ImportCallsRecorded, GetpcapsLogIsUnderstoodWhole) {
  if (access("/usr/sbin/getpcaps", X_OK) != 0) GTEST_SKIP() << "getpcaps is not installed";
  std::string why;
  const std::string log =
      test::straceRecord(dir_, "getpcaps", "/usr/sbin/getpcaps " + std::to_string(getpid()), why);
  if (log.empty()) GTEST_SKIP() << why;
  const StraceImport result = importStraceFile(log);
  EXPECT_EQ(result.stats.notUnderstood, 0u)
      << (result.badLines.empty() ? "" : result.badLines[0].text);
  ASSERT_TRUE(result.stats.otherByName.contains("capget"));
}

// Every tid of the log is a thread, also one that made no call the trace keeps.
TEST(ImportCalls, ThreadsAreEveryTidOfTheLog) {
  const StraceImport log = importText(
      "700 1796511049.100000 epoll_wait(4<anon_inode:[eventpoll]>, [], 8, 0) = 0 <0.000010>\n"
      "701 1796511049.100100 futex(0x7f0000, FUTEX_WAIT_PRIVATE, 0, NULL) = 0 <0.000010>\n"
      "702 1796511049.100200 --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER} ---\n"
      "702 1796511049.100300 +++ killed by SIGTERM +++\n");
  EXPECT_EQ(log.threads.size(), 3u);
}

}  // namespace
}  // namespace eps
