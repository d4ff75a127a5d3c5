// The runner's step counters, computed as each counter's registry row says: every lesson
// counter has a value, and a name that is no lesson counter has none (never a 0 a check
// could pass with).
#include "core/runner/step_counters.hpp"

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/epoll.h>

#include <cerrno>
#include <vector>

#include "tests/helpers/trace_events.hpp"

namespace eps {
namespace {

using testing::callEvent;

TEST(StepCounters, ANameThatIsNoLessonCounterHasNoValue) {
  const StepWindow empty;
  EXPECT_EQ(stepCounter(empty, "no_such_counter"), std::nullopt);
  EXPECT_EQ(stepCounter(empty, "ctl_adds"), std::nullopt);  // a tour's counter
  for (const CounterInfo& info : lessonCounters()) {
    // ready_due: no look at the ready list yet, so unknown.
    EXPECT_EQ(stepCounter(empty, info.name), info.name == "ready_due" ? -1 : 0) << info.name;
  }
}

// ready_due: the engine's last poll of its epoll fd, unless a call of the engine came after
// it; an engine asleep in epoll_wait has nothing due.
TEST(StepCounters, ReadyDueIsTheLastLookAtTheReadyListUntilTheEngineCallsAgain) {
  TraceEvent due;
  due.kind = EventKind::Sample;
  due.actor = Actor::Engine;
  due.op = static_cast<std::uint8_t>(SampleOf::ReadyList);
  due.fd = 4;
  due.events = POLLIN;
  TraceEvent socketSample = due;
  socketSample.op = static_cast<std::uint8_t>(SampleOf::Socket);
  socketSample.fd = 5;
  TraceEvent client = callEvent(Call::Write, 9, 10);
  client.actor = Actor::Clients;
  std::vector<TraceEvent> events = {callEvent(Call::Read, 5, 100), due, socketSample, client};
  StepWindow window;
  window.all = events;
  EXPECT_EQ(stepCounter(window, LessonCounter::ReadyDue), 1) << "samples, clients' calls: still";
  events[1].events = 0;
  window.all = events;
  EXPECT_EQ(stepCounter(window, LessonCounter::ReadyDue), 0);
  events.push_back(callEvent(Call::Read, 5, 100));
  window.all = events;
  EXPECT_EQ(stepCounter(window, LessonCounter::ReadyDue), -1) << "a read since: unknown";
  window.engineAsleep = true;
  EXPECT_EQ(stepCounter(window, LessonCounter::ReadyDue), 0);
}

// One counter of each kind, from a step's events, the sockets and the clients at its end.
TEST(StepCounters, EachKindIsComputedFromItsSource) {
  std::vector<TraceEvent> events = {callEvent(Call::Listen, 3, 0), callEvent(Call::EpollWait, 4, 1),
                                    callEvent(Call::Accept4, 3, 5), callEvent(Call::Read, 5, 100),
                                    callEvent(Call::Read, 5, -1, EAGAIN)};
  events[2].a = 40000;  // the peer's port
  TraceEvent ready;
  ready.kind = EventKind::Ready;
  ready.actor = Actor::Engine;
  ready.fd = 3;
  events.insert(events.begin() + 2, ready);
  StepWindow window;
  window.all = events;
  window.begin = 1;
  window.endNs = 1'000'000'000;
  SocketView conn;
  conn.fd = 5;
  conn.stranded = 7;
  window.sockets = {conn};
  ClientStats first, second;
  first.sent = 10;
  second.sent = 20;
  second.localPort = 40000;
  window.clients = {first, second};
  EXPECT_EQ(stepCounter(window, LessonCounter::Wakeups), 1);
  EXPECT_EQ(stepCounter(window, LessonCounter::WakeupsPerS), 1);
  EXPECT_EQ(stepCounter(window, LessonCounter::Reads), 2);
  EXPECT_EQ(stepCounter(window, LessonCounter::BytesRead), 100);
  EXPECT_EQ(stepCounter(window, LessonCounter::LastReadErrno), EAGAIN);
  EXPECT_EQ(stepCounter(window, LessonCounter::AcceptedClient), 2);
  EXPECT_EQ(stepCounter(window, LessonCounter::StrandedBytes), 7);
  EXPECT_EQ(stepCounter(window, LessonCounter::StrandedConnections), 0);
  EXPECT_EQ(stepCounter(window, LessonCounter::SentBytes), 30);
  EXPECT_EQ(stepCounter(window, "sent_bytes"), 30);
}

}  // namespace
}  // namespace eps
