// The engine's setup and descriptor-table calls read as calls, and a sample names the probe
// calls it made: in the event log, the CSV and the Chrome export.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <cerrno>
#include <sstream>

#include "core/base/option_names.hpp"
#include "core/formats/export.hpp"
#include "core/trace/event_text.hpp"
#include "tests/helpers/trace_events.hpp"

namespace eps {
namespace {

// A setup call with its arguments in a, b, c (as the seam records them).
TraceEvent call(Call c, int fd, std::int64_t ret, std::int64_t a = 0, std::int64_t b = 0,
                std::int64_t cValue = 0) {
  TraceEvent e = testing::callEvent(c, fd, ret);
  e.a = a;
  e.b = b;
  e.c = cValue;
  return e;
}

TraceEvent socketSample(std::int64_t probes, std::uint32_t revents) {
  TraceEvent e;
  e.kind = EventKind::Sample;
  e.op = static_cast<std::uint8_t>(SampleOf::Socket);
  e.fd = 7;
  e.a = 3;
  e.ret = probes;
  e.events = revents;
  return e;
}

TEST(SetupCallText, EachCallSaysWhatDistinguishesIt) {
  EXPECT_EQ(eventLine(call(Call::Setsockopt, 7, 0, IPPROTO_TCP, TCP_NODELAY, 1)),
            "setsockopt(7, IPPROTO_TCP, TCP_NODELAY, 1) = 0");
  EXPECT_EQ(eventLine(call(Call::Setsockopt, 5, 0, SOL_SOCKET, SO_RCVTIMEO, 50)),
            "setsockopt(5, SOL_SOCKET, SO_RCVTIMEO, 50 ms) = 0");
  EXPECT_EQ(eventLine(call(Call::Fcntl, 7, 0, O_RDWR, F_SETFL)), "fcntl(7, F_SETFL, O_RDWR) = 0");
  EXPECT_EQ(eventLine(call(Call::Fcntl, 7, O_RDWR | O_NONBLOCK, 0, F_GETFL)),
            "fcntl(7, F_GETFL) = O_RDWR|O_NONBLOCK");
  TraceEvent free = call(Call::Fcntl, 9, -1, 0, F_GETFD);
  free.err = EBADF;
  EXPECT_EQ(eventLine(free), "fcntl(9, F_GETFD) = -1 EBADF");
  EXPECT_EQ(eventLine(call(Call::Getsockname, 5, 0, 41234)),
            "getsockname(5) = 0 (127.0.0.1:41234)");
  EXPECT_EQ(eventLine(call(Call::Prlimit64, -1, 0, RLIMIT_NOFILE, 0, 1024)),
            "prlimit64(0, RLIMIT_NOFILE, NULL) = 0 (soft limit 1024)");
  EXPECT_EQ(eventLine(call(Call::Unshare, -1, 0, 0, CLONE_FILES)), "unshare(CLONE_FILES) = 0");
  EXPECT_EQ(eventLine(call(Call::CloseRange, 4, 0, 4294967295LL)),
            "close_range(4, 4294967295, 0) = 0");
}

TEST(SetupCallText, ASampleExpandsIntoItsProbeCallsInOrder) {
  const TraceEvent sample = socketSample(kProbeSiocinq | kProbeSiocoutq | kProbePoll, EPOLLIN);
  const std::vector<ProbeCall> calls = probeCallsOf(sample);
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].call, "ioctl");
  EXPECT_EQ(calls[0].what, "SIOCINQ");
  EXPECT_EQ(calls[1].what, "SIOCOUTQ");
  EXPECT_EQ(calls[2].call, "poll");
  EXPECT_EQ(calls[2].ret, 1);  // one entry with events
  EXPECT_EQ(calls[2].fd, 7);
  EXPECT_EQ(eventLine(sample),
            "sample fd 7: receive queue 3, send queue 0 [ioctl(SIOCINQ) ioctl(SIOCOUTQ) poll]");
  // A failed probe returned -1; a level poll with nothing returns 0.
  const TraceEvent failed =
      socketSample(kProbeSiocinq | (kProbeSiocinq << kProbeFailedShift) | kProbePoll, 0);
  ASSERT_EQ(probeCallsOf(failed).size(), 2u);
  EXPECT_EQ(probeCallsOf(failed)[0].ret, -1);
  EXPECT_EQ(probeCallsOf(failed)[1].ret, 0);
}

TEST(SetupCallText, TheCsvHasALinePerProbeCallAndTheOptionOfEachCall) {
  TraceEvent opt = call(Call::Setsockopt, 7, 0, IPPROTO_TCP, TCP_NODELAY, 1);
  opt.tNs = 1000;
  opt.seq = 1;
  TraceEvent sample = socketSample(kProbeSiocinq | kProbeSiocoutq, 0);
  sample.tNs = 2000;
  sample.seq = 2;
  TraceEvent offThread = sample;  // the wait sampler's: not the engine thread's calls
  offThread.flags = kEventSamplerThread;
  offThread.tNs = 3000;
  offThread.seq = 3;
  const std::vector<TraceEvent> events = {opt, sample, offThread};
  TraceMeta meta;
  meta.writers.push_back({"engine", Actor::Engine, 0, 321});
  std::ostringstream out;
  writeCallsCsv(out, events, meta);
  EXPECT_EQ(out.str(),
            "seq,t_us,dur_us,thread,tid,call,fd,ret,errno,bytes,events,op\n"
            "1,0.000,0.000,0,321,setsockopt,7,0,,,,TCP_NODELAY\n"
            "2,1.000,0,0,321,ioctl,7,0,,,,SIOCINQ\n"
            "2,1.000,0,0,321,ioctl,7,0,,,,SIOCOUTQ\n");
}

TEST(SetupCallText, TheChromeExportHasAnInstantPerProbeCall) {
  TraceEvent sample = socketSample(kProbeSiocinq | kProbeSiocoutq, 0);
  sample.tNs = 2000;
  sample.seq = 2;
  std::ostringstream out;
  writeChromeTrace(out, std::vector<TraceEvent>{sample}, TraceMeta{});
  const std::string json = out.str();
  EXPECT_NE(json.find(R"("name":"ioctl","cat":"probe")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("request":"SIOCOUTQ")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("name":"queues fd 7")"), std::string::npos) << json;
}

}  // namespace
}  // namespace eps
