// Names are the vocabulary of the log, the exports and the strace comparison.
#include "core/base/names.hpp"

#include <gtest/gtest.h>
#include <sys/epoll.h>

#include <cerrno>

namespace eps {
namespace {

TEST(Names, CallsAreNamedAsStraceNamesThem) {
  EXPECT_EQ(callName(Call::EpollWait), "epoll_wait");
  EXPECT_EQ(callName(Call::Accept4), "accept4");
  EXPECT_EQ(callFromName("epoll_pwait"), Call::EpollWait);
  EXPECT_EQ(callFromName("read"), Call::Read);
  EXPECT_FALSE(callFromName("none").has_value());
}

TEST(Names, MasksPrintInStraceOrderAndParseBack) {
  const std::uint32_t mask = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  EXPECT_EQ(epollMaskName(mask), "EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET");
  EXPECT_EQ(epollMaskFromName("EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET"), mask);
  EXPECT_EQ(epollMaskName(0), "0");
  EXPECT_EQ(epollMaskName(EPOLLIN | 0x100000u), "EPOLLIN|0x100000");
  EXPECT_EQ(epollMaskFromName("EPOLLIN|0x100000"), EPOLLIN | 0x100000u);
  EXPECT_FALSE(epollMaskFromName("EPOLLNOPE").has_value());
}

TEST(Names, ErrnosAndOps) {
  EXPECT_EQ(errnoName(EAGAIN), "EAGAIN");
  EXPECT_EQ(errnoName(ECONNRESET), "ECONNRESET");
  EXPECT_EQ(errnoName(0), "");
  EXPECT_EQ(errnoFromName("EWOULDBLOCK"), EAGAIN);
  EXPECT_EQ(epollOpName(EPOLL_CTL_MOD), "EPOLL_CTL_MOD");
  EXPECT_EQ(epollOpFromName("EPOLL_CTL_DEL"), EPOLL_CTL_DEL);
}

TEST(Names, DurationsPrintInTheUnitThatReadsBest) {
  EXPECT_EQ(durationText(0), "0 ns");
  EXPECT_EQ(durationText(850), "850 ns");
  EXPECT_EQ(durationText(1'000), "1.00 \u00b5s");
  EXPECT_EQ(durationText(12'345), "12.3 \u00b5s");
  EXPECT_EQ(durationText(999'600), "1.00 ms") << "999.6 us would round to 1000 us";
  EXPECT_EQ(durationText(7'548'753), "7.55 ms");
  // The tooltip that said "took 7548753.5 us": an epoll_wait that slept 7.5 s.
  EXPECT_EQ(durationText(7'548'753'500), "7.55 s");
  EXPECT_EQ(durationText(125'000'000'000), "125 s");
  EXPECT_EQ(durationText(-5), "0 ns");
}

// Session files name actors with these words; the toolbar and the window's state, modes.
TEST(Names, ActorsAndEngineModesAreNamedOnce) {
  for (const Actor actor : {Actor::Engine, Actor::Clients, Actor::Control}) {
    EXPECT_EQ(actorFromName(actorName(actor)), actor);
  }
  EXPECT_EQ(actorName(Actor::Clients), "clients");
  EXPECT_EQ(actorFromName("kernel"), std::nullopt);
  EXPECT_EQ(actorName(static_cast<Actor>(9)), "?");
  EXPECT_EQ(engineModeName(EngineMode::Starting), "starting");
  EXPECT_EQ(engineModeName(EngineMode::Stepping), "stepping");
  EXPECT_EQ(engineModeName(EngineMode::Stopped), "stopped");
  EXPECT_EQ(engineModeName(static_cast<EngineMode>(9)), "?");
}

}  // namespace
}  // namespace eps
