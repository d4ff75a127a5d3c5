// Names are the vocabulary of the log, the exports and the strace comparison.
#include "core/names.hpp"

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

}  // namespace
}  // namespace eps
