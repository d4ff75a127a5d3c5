// The event log speaks strace: calls print as strace prints them, with a plain explanation.
#include "core/trace/event_text.hpp"

#include <gtest/gtest.h>
#include <sys/epoll.h>

#include <cerrno>
#include <string>
#include <string_view>

#include "tests/helpers/trace_events.hpp"

namespace eps {
namespace {

using testing::callEvent;

TEST(EventText, DurationsAreSaidForWhatTheyAre) {
  TraceEvent wait = callEvent(Call::EpollWait, 3, 1);
  wait.durNs = 7'548'753'500;  // slept 7.5 s until a client wrote
  EXPECT_EQ(eventDurationText(wait), "took 7.55 s");
  TraceEvent busy;
  busy.kind = EventKind::Busy;
  busy.durNs = 2'000'000'000;  // an import's inferred run: its span, not a call's time
  EXPECT_EQ(eventDurationText(busy), "over 2.00 s");
  TraceEvent blocked;
  blocked.kind = EventKind::Blocked;
  blocked.a = 1'200'000'000;
  EXPECT_EQ(eventDurationText(blocked), "stalled 1.20 s");
  TraceEvent sample;
  sample.kind = EventKind::Sample;
  EXPECT_EQ(eventDurationText(sample), "");
}

// The trace has no "slept" bit: a wait that returned events within a few microseconds never
// slept (the ready list was not empty); one that returned after a while did.
TEST(EventText, AWaitThatReturnedAtOnceIsToldFromOneThatSlept) {
  TraceEvent busy = callEvent(Call::EpollWait, 3, 1);
  busy.b = -1;
  busy.durNs = 2'000;
  EXPECT_TRUE(waitReturnedAtOnce(busy));
  TraceEvent slept = busy;
  slept.durNs = 3'000'000;
  EXPECT_FALSE(waitReturnedAtOnce(slept));
  TraceEvent timedOut = busy;
  timedOut.ret = 0;
  timedOut.b = 1000;
  EXPECT_FALSE(waitReturnedAtOnce(timedOut)) << "a timeout of 0 events slept its timeout";
  TraceEvent polled = timedOut;
  polled.b = 0;
  EXPECT_TRUE(waitReturnedAtOnce(polled)) << "a zero timeout never sleeps";
  EXPECT_FALSE(waitReturnedAtOnce(callEvent(Call::Read, 7, 10)));
}

TEST(EventText, CallsReadLikeStrace) {
  TraceEvent read = callEvent(Call::Read, 7, -1, EAGAIN);
  read.a = 100;
  EXPECT_EQ(eventLine(read), "read(7, 100) = -1 EAGAIN");
  EXPECT_NE(eventExplanation(read).find("receive queue is empty"), std::string::npos);
  TraceEvent ctl = callEvent(Call::EpollCtl, 7, 0);
  ctl.a = 3;
  ctl.op = EPOLL_CTL_MOD;
  ctl.events = EPOLLIN | EPOLLET;
  EXPECT_EQ(eventLine(ctl), "epoll_ctl(3, EPOLL_CTL_MOD, 7, EPOLLIN|EPOLLET) = 0");
  TraceEvent wait = callEvent(Call::EpollWait, 3, 2);
  wait.a = 64;
  wait.b = -1;
  EXPECT_EQ(eventLine(wait), "epoll_wait(3, 64, -1) = 2");
  TraceEvent eof = callEvent(Call::Read, 7, 0);
  eof.a = 4096;
  EXPECT_NE(eventExplanation(eof).find("end of file"), std::string::npos);
}

TEST(EventText, DiagnosesSayWhatWaits) {
  TraceEvent stranded;
  stranded.kind = EventKind::Stranded;
  stranded.fd = 7;
  stranded.a = 3996;
  EXPECT_EQ(eventLine(stranded), "stranded fd 7: 3996 bytes waiting, no wakeup coming");
  stranded.op = static_cast<std::uint8_t>(StrandedWhat::Connections);
  stranded.a = 4;
  EXPECT_EQ(eventLine(stranded), "stranded fd 7: 4 connections waiting, no wakeup coming");
}

// The window shows these words in its language through a translator (core/base/phrases.hpp):
// the phrase's words change, its figures and the call's strace syntax do not; without one
// (exports, the CLI, --state-out) the text is English.
const char* shouting(const char* english) {
  static const std::string stranded = "STRANDED FD %d: %lld BYTES, NO WAKEUP";
  static const std::string took = "TOOK %s";
  static const std::string eagain =
      "EAGAIN: THE RECEIVE QUEUE IS EMPTY NOW; EVERYTHING THAT HAS ARRIVED IS READ.";
  const std::string_view text = english;
  if (text == "stranded fd %d: %lld bytes waiting, no wakeup coming") return stranded.c_str();
  if (text == "took %s") return took.c_str();
  if (text.starts_with("EAGAIN: the receive queue")) return eagain.c_str();
  return english;
}

TEST(EventText, ATranslatorChangesTheWordsNeverTheCallOrTheFigures) {
  TraceEvent stranded;
  stranded.kind = EventKind::Stranded;
  stranded.fd = 7;
  stranded.a = 3996;
  EXPECT_EQ(eventLine(stranded, nullptr, shouting), "STRANDED FD 7: 3996 BYTES, NO WAKEUP");
  EXPECT_EQ(eventLine(stranded), "stranded fd 7: 3996 bytes waiting, no wakeup coming");
  TraceEvent eagain = callEvent(Call::Read, 7, -1);
  eagain.err = EAGAIN;
  eagain.a = 100;
  eagain.durNs = 2'000;
  EXPECT_EQ(eventLine(eagain, nullptr, shouting), eventLine(eagain)) << "strace's syntax in both";
  EXPECT_EQ(eventDurationText(eagain, shouting), "TOOK 2.00 \u00b5s");
  EXPECT_EQ(eventExplanation(eagain, shouting),
            "EAGAIN: THE RECEIVE QUEUE IS EMPTY NOW; EVERYTHING THAT HAS ARRIVED IS READ.");
  EXPECT_EQ(eventExplanation(eagain),
            "EAGAIN: the receive queue is empty now; everything that has arrived is read.");
}

}  // namespace
}  // namespace eps
