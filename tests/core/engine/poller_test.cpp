// The poller knob: the engine thread waits in poll(2) instead of epoll_wait, for real, every
// call recorded; a switch at run time moves every descriptor out of the epoll set and back;
// knobs that only epoll has are refused under poll; samples and diagnoses keep working.
#include <poll.h>
#include <sys/epoll.h>

#include <cerrno>
#include <memory>

#include "core/trace/event_text.hpp"
#include "core/trace/lanes.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

Knobs polling() {
  Knobs knobs;
  knobs.poller = Poller::Poll;
  return knobs;
}

std::size_t countCtl(const EngineHarness& h, int op, std::size_t from) {
  std::size_t n = 0;
  for (const TraceEvent& e : h.callsOf(Call::EpollCtl, -1, from)) n += e.op == op ? 1 : 0;
  return n;
}

// Every client sends its own bytes and gets exactly those back.
void echoEach(std::vector<std::unique_ptr<RawClient>>& clients, std::size_t bytes) {
  for (std::size_t i = 0; i < clients.size(); ++i) {
    clients[i]->send(std::string(bytes, static_cast<char>('a' + i)));
  }
  for (std::size_t i = 0; i < clients.size(); ++i) {
    EXPECT_EQ(clients[i]->receive(bytes, 10000ms), std::string(bytes, static_cast<char>('a' + i)))
        << "client " << i;
  }
}

std::vector<std::unique_ptr<RawClient>> connectClients(int port, std::size_t count) {
  std::vector<std::unique_ptr<RawClient>> clients;
  for (std::size_t i = 0; i < count; ++i) clients.push_back(std::make_unique<RawClient>(port));
  return clients;
}

TEST(Poller, PollEchoesEveryByteForSeveralClientsAndRegistersNothing) {
  EngineHarness h(polling());
  auto clients = connectClients(h.port(), 5);
  h.waitAccepted(5);
  echoEach(clients, 100);
  echoEach(clients, 70000);  // more than one read and write each
  ASSERT_TRUE(h.waitIdle(100ms));
  EXPECT_EQ(h.countCalls(Call::EpollWait), 0u);
  EXPECT_EQ(h.countCalls(Call::EpollCtl), 0u) << "poll registers nothing";
  const auto polls = h.callsOf(Call::Poll);
  ASSERT_FALSE(polls.empty());
  // After the last accept every poll passes the eventfd, the listener and five connections.
  EXPECT_EQ(polls.back().a, 7);
  EXPECT_EQ(polls.back().b, -1);
  EXPECT_EQ(polls.back().fd, -1);
  // Each poll is followed by exactly `ret` Ready records, in EPOLL bits, on the poll lane.
  LaneTracker lanes;
  std::size_t readyAfterPoll = 0;
  std::int64_t expected = 0;
  for (const TraceEvent& e : h.events()) {
    const std::uint32_t lane = lanes.assign(e);
    if (e.kind == EventKind::Call && e.call == Call::Poll) {
      EXPECT_EQ(readyAfterPoll, static_cast<std::size_t>(expected));
      readyAfterPoll = 0;
      expected = e.ret;
      EXPECT_EQ(lanes.lanes()[lane].name, "poll");
    } else if (e.kind == EventKind::Ready) {
      ++readyAfterPoll;
      EXPECT_EQ(lanes.lanes()[lane].name, "poll");
      EXPECT_NE(e.events & (EPOLLIN | EPOLLOUT | EPOLLHUP | EPOLLERR | EPOLLRDHUP), 0u);
    }
  }
  EXPECT_EQ(eventLine(polls.back()).rfind("poll(7 fds, -1) = ", 0), 0u) << eventLine(polls.back());
}

TEST(Poller, InterestMapsToPollBitsAndBack) {
  EXPECT_EQ(pollBitsOfEpoll(EPOLLIN | EPOLLOUT | EPOLLRDHUP), POLLIN | POLLOUT | POLLRDHUP);
  EXPECT_EQ(pollBitsOfEpoll(0), 0);
  EXPECT_EQ(epollBitsOfPoll(POLLIN | POLLHUP | POLLRDHUP), EPOLLIN | EPOLLHUP | EPOLLRDHUP);
  EXPECT_EQ(epollBitsOfPoll(POLLNVAL), static_cast<std::uint32_t>(EPOLLERR));
}

TEST(Poller, SwitchingEpollPollEpollKeepsEveryConnectionServed) {
  EngineHarness h(Knobs{});
  auto clients = connectClients(h.port(), 3);
  h.waitAccepted(3);
  echoEach(clients, 1000);
  ASSERT_TRUE(h.waitIdle(100ms));

  std::size_t from = h.mark();
  h.engine().setKnob(KnobId::Poller, static_cast<std::int64_t>(Poller::Poll));
  ASSERT_TRUE(h.engine().waitApplied(5000ms));
  clients.push_back(std::make_unique<RawClient>(h.port()));  // accepted under poll
  h.waitAccepted(4);
  echoEach(clients, 5000);
  ASSERT_TRUE(h.waitIdle(100ms));
  // The eventfd, the listener and three connections leave the epoll set; nothing else is
  // registered while polling, the fourth connection included.
  EXPECT_EQ(countCtl(h, EPOLL_CTL_DEL, from), 5u);
  EXPECT_EQ(h.countCalls(Call::EpollCtl, -1, from), 5u);
  EXPECT_GE(h.countCalls(Call::Poll, -1, from), 1u);
  EXPECT_LE(h.countCalls(Call::EpollWait, -1, from), 1u) << "at most the wait it was in";

  from = h.mark();
  h.engine().setKnob(KnobId::Poller, static_cast<std::int64_t>(Poller::Epoll));
  ASSERT_TRUE(h.engine().waitApplied(5000ms));
  clients.push_back(std::make_unique<RawClient>(h.port()));
  h.waitAccepted(5);
  echoEach(clients, 5000);
  ASSERT_TRUE(h.waitIdle(100ms));
  EXPECT_EQ(countCtl(h, EPOLL_CTL_ADD, from), 7u) << "eventfd, listener, 4 + 1 connections";
  EXPECT_LE(h.countCalls(Call::Poll, -1, from), 1u) << "at most the poll it was in";
  EXPECT_GE(h.countCalls(Call::EpollWait, -1, from), 1u);
  for (const TraceEvent& e : h.callsOf(Call::EpollCtl, -1, from)) EXPECT_EQ(e.ret, 0);
}

TEST(Poller, KnobsOnlyEpollHasAreRefusedUnderPollWithTheReason) {
  EngineHarness h(polling());
  std::size_t from = h.mark();
  h.engine().setKnob(KnobId::ConnTrigger, static_cast<std::int64_t>(Trigger::Edge));
  ASSERT_TRUE(h.engine().waitApplied(5000ms));
  EXPECT_EQ(h.engine().knobs().connTrigger, Trigger::Level);
  h.drain();
  auto configs = h.ofKind(EventKind::Config, from);
  ASSERT_EQ(configs.size(), 1u);
  EXPECT_EQ(configs[0].ret, -1);
  EXPECT_EQ(configs[0].err, EOPNOTSUPP);
  EXPECT_EQ(eventLine(configs[0]),
            "config conn-trigger=et (refused: conn-trigger needs poller=epoll: poll(2) reports "
            "readiness by level only; it has no edge trigger)");

  // The other way round: poller=poll while an epoll-only knob is on.
  h.engine().setKnob(KnobId::Poller, static_cast<std::int64_t>(Poller::Epoll));
  h.engine().setKnob(KnobId::Oneshot, 1);
  ASSERT_TRUE(h.engine().waitApplied(5000ms));
  ASSERT_TRUE(h.waitIdle(100ms));  // back in the epoll set (two ADDs) and asleep again
  from = h.mark();
  h.engine().setKnob(KnobId::Poller, static_cast<std::int64_t>(Poller::Poll));
  ASSERT_TRUE(h.engine().waitApplied(5000ms));
  EXPECT_EQ(h.engine().knobs().poller, Poller::Epoll);
  h.drain();
  configs = h.ofKind(EventKind::Config, from);
  ASSERT_EQ(configs.size(), 1u);
  EXPECT_EQ(eventLine(configs[0]),
            "config poller=poll (refused: oneshot needs poller=epoll: poll(2) keeps no "
            "registration to disarm)");
  EXPECT_EQ(h.countCalls(Call::EpollCtl, -1, from), 0u) << "a refused switch moves nothing";
}

TEST(Poller, EveryKnobThatNeedsEpollConflictsOnlyAwayFromItsDefault) {
  Knobs knobs = polling();
  EXPECT_EQ(pollerConflict(knobs), std::nullopt);
  const std::pair<KnobId, std::string> epollOnly[] = {
      {KnobId::ListenTrigger, "et"}, {KnobId::ConnTrigger, "et"}, {KnobId::Oneshot, "on"},
      {KnobId::MaxEvents, "1"},      {KnobId::Workers, "2"},      {KnobId::Exclusive, "on"},
      {KnobId::Handler, "seed000"}};
  for (const auto& [id, value] : epollOnly) {
    Knobs changed = knobs;
    ASSERT_EQ(setKnob(changed, id, value), std::nullopt);
    EXPECT_EQ(pollerConflict(changed), id) << knobInfo(id).name;
    changed.poller = Poller::Epoll;
    EXPECT_EQ(pollerConflict(changed), std::nullopt) << knobInfo(id).name;
  }
  // The rest mean the same under poll: read policy, chunk, write policy, buffers, limits.
  ASSERT_EQ(setKnob(knobs, KnobId::Write, "always"), std::nullopt);
  ASSERT_EQ(setKnob(knobs, KnobId::Read, "once"), std::nullopt);
  ASSERT_EQ(setKnob(knobs, KnobId::Rdhup, "on"), std::nullopt);
  EXPECT_EQ(pollerConflict(knobs), std::nullopt);
}

TEST(Poller, AnEngineStartedWithAConflictRefusesToStartAndSaysWhy) {
  Knobs knobs = polling();
  knobs.listenTrigger = Trigger::Edge;
  Recorder recorder;
  EngineOptions options;
  options.knobs = knobs;
  Engine engine(recorder, options);
  try {
    engine.start();
    ADD_FAILURE() << "started";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "listen-trigger et needs poller=epoll: poll(2) reports readiness by level only; it "
              "has no edge trigger");
  }
}

// Level-triggered poll cannot strand: a read-once engine leaves bytes behind, and the next poll
// reports them at once. Nothing is diagnosed stranded; every byte comes back.
TEST(Poller, ReadOnceUnderPollLeavesNothingStranded) {
  Knobs knobs = polling();
  knobs.read = ReadPolicy::Once;
  knobs.readChunk = 100;
  EngineHarness h(knobs);
  RawClient client(h.port());
  h.waitAccepted(1);
  const std::size_t from = h.mark();
  client.send(std::string(5000, 'x'));
  EXPECT_EQ(client.receive(5000), std::string(5000, 'x'));
  ASSERT_TRUE(h.waitIdle(200ms));
  EXPECT_TRUE(h.ofKind(EventKind::Stranded, from).empty());
  EXPECT_GE(h.callsOf(Call::Read, -1, from).size(), 50u) << "one read of 100 per poll";
}

// POLLOUT kept with nothing to write: poll reports it on every call, the busy loop of LT.
TEST(Poller, PollWithPolloutAlwaysAskedIsABusyLoop) {
  Knobs knobs = polling();
  knobs.write = WritePolicy::Always;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(waitUntil(
      [&] {
        h.drain();
        return !h.ofKind(EventKind::Busy).empty();
      },
      10000ms));
  const auto busy = h.ofKind(EventKind::Busy);
  EXPECT_EQ(busy[0].fd, fd);
  EXPECT_GE(busy[0].a, static_cast<std::int64_t>(kBusyRun));
  h.engine().pause();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
}

// Bytes the engine wrote leave its send queue while it sleeps in poll asking only POLLIN (the
// write took them all): nothing wakes the engine, and the wait sampler sees them go.
TEST(Poller, TheWaitSamplerSamplesWhileTheEngineSleepsInPoll) {
  EngineHarness h(polling());
  RawClient client(h.port(), 1);  // the smallest window: the echo waits in the engine's queue
  const int fd = h.waitAccepted(1).at(0);
  client.send(std::string(8000, 'q'));
  ASSERT_TRUE(waitUntil([&] {
    const SocketView* view = h.socket(fd);
    return view != nullptr && view->sendQueue > 0;
  })) << "the echo is held in the engine's send queue";
  ASSERT_TRUE(h.waitIdle(100ms));
  const std::size_t from = h.mark();
  EXPECT_EQ(client.receive(8000, 10000ms), std::string(8000, 'q'));
  const auto emptiedWhileAsleep = [&] {
    h.drain();
    for (std::size_t i = from; i < h.events().size(); ++i) {
      const TraceEvent& e = h.events()[i];
      if (e.kind == EventKind::Sample && e.fd == fd && e.b == 0 &&
          (e.flags & kEventSamplerThread) != 0) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(waitUntil(emptiedWhileAsleep, 5000ms));
  EXPECT_EQ(h.countCalls(Call::Poll, -1, from), 0u) << "the engine slept through it";
  const EngineStatus status = h.engine().status();
  EXPECT_TRUE(status.inCall);
  EXPECT_EQ(status.pendingCall, Call::Poll);
}

}  // namespace
}  // namespace eps::testing
