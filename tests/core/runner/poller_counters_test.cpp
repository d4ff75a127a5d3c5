// The counters a poll-versus-epoll lesson checks, from a real engine: ten idle clients and one
// that talks. poll passes the whole set (the eventfd, the listener, ten connections) on every
// call; epoll_wait passes none, its interest list registered once.
#include <memory>

#include "core/runner/step_counters.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

struct StepCounts {
  std::int64_t wakeups = 0, waits = 0, fdsPassed = 0, epollCtls = 0;
};

StepCounts oneMessageAmongTenClients(Poller poller) {
  Knobs knobs;
  knobs.poller = poller;
  EngineHarness h(knobs);
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 10; ++i) clients.push_back(std::make_unique<RawClient>(h.port()));
  h.waitAccepted(10);
  EXPECT_TRUE(h.waitIdle(100ms));
  StepWindow window;
  window.begin = h.mark();
  clients[3]->send("hello");
  EXPECT_EQ(clients[3]->receive(5), "hello");
  EXPECT_TRUE(h.waitIdle(200ms));
  window.all = h.drain();
  window.endNs = monotonicNs();
  return {stepCounter(window, LessonCounter::Wakeups), stepCounter(window, LessonCounter::Waits),
          stepCounter(window, LessonCounter::FdsPassed),
          stepCounter(window, LessonCounter::EpollCtls)};
}

TEST(PollerCounters, PollPassesTwelveDescriptorsPerCallEpollNone) {
  const StepCounts poll = oneMessageAmongTenClients(Poller::Poll);
  EXPECT_GE(poll.wakeups, 1);
  EXPECT_GE(poll.waits, poll.wakeups);
  EXPECT_EQ(poll.fdsPassed, 12 * poll.waits);
  EXPECT_EQ(poll.epollCtls, 0);

  const StepCounts epoll = oneMessageAmongTenClients(Poller::Epoll);
  EXPECT_GE(epoll.wakeups, 1);
  EXPECT_GE(epoll.waits, epoll.wakeups);
  EXPECT_EQ(epoll.fdsPassed, 0);
  EXPECT_EQ(epoll.epollCtls, 0) << "registered once, at accept, before the step";
}

}  // namespace
}  // namespace eps::testing
