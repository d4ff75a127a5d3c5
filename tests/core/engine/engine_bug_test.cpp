// errno sorted on purpose (core/engine/engine_bug.hpp): what a peer or the kernel's limits
// cause stays data; what cannot happen on a descriptor the engine owns aborts with a message
// naming the call, the descriptor and the errno — including in the echo handler's read,
// which used to take EBADF for a reset peer and close quietly.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <gtest/gtest.h>

#include "core/engine/acceptor.hpp"
#include "core/engine/echo_handler.hpp"
#include "core/engine/engine_bug.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

TEST(EngineBug, ExpectedErrnosAreNotBugs) {
  for (const int err : {ECONNRESET, EPIPE, EAGAIN, EMFILE, ENFILE, EINTR, ETIMEDOUT, ENOMEM}) {
    EXPECT_FALSE(impossibleOnOwnFd(err)) << "errno " << err << " is a result, not a bug";
    abortIfImpossible(Call::Read, 7, err);  // returns
  }
  for (const int err : {EBADF, EFAULT, EINVAL}) {
    EXPECT_TRUE(impossibleOnOwnFd(err)) << "errno " << err << " cannot happen on an own fd";
  }
}

TEST(EngineBugDeathTest, ImpossibleErrnoAbortsNamingCallFdAndErrno) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(abortIfImpossible(Call::Write, 9, EBADF),
               "engine bug at .*engine_bug_test.cpp.*write\\(9\\) failed with EBADF");
}

TEST(EngineBugDeathTest, EscapedExceptionAbortsNamingIt) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(abortOnException([] { throw std::runtime_error("epoll_wait: boom"); }),
               "exception escaped the engine thread: epoll_wait: boom");
  EXPECT_DEATH(abortOnException([] { throw 42; }), "exception of unknown type escaped");
}

// A connected loopback pair; returns the accepted end, `client` gets the other.
int acceptedPair(int& client) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener, 1) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return -1;
  }
  client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return -1;
  const int accepted = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  ::close(listener);
  return accepted;
}

// The echo handler reads a connection whose descriptor was closed behind the engine's back:
// EBADF is the engine's own bookkeeping gone wrong, not a peer's reset, so it must not be
// treated like ECONNRESET (close the "connection", carry on with a wrong table).
TEST(EngineBugDeathTest, EchoReadOnClosedDescriptorAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        TableOnSeam parts;
        ConnTable& table = parts.table;
        Acceptor acceptor(table);
        EchoHandler echo(table, acceptor);
        table.setEpfd(::epoll_create1(EPOLL_CLOEXEC));
        int client = -1;
        const int fd = acceptedPair(client);
        if (fd < 0 || table.epfd() < 0) std::abort();
        table.adopt(fd, sockaddr_in{});
        Conn& conn = *table.conns().at(fd);
        ::close(fd);  // behind the engine's back
        echo.connReady(conn, EPOLLIN);
        std::fprintf(stderr, "the echo handler carried on\n");
        std::exit(0);
      },
      "read\\([0-9]+\\) failed with EBADF on a descriptor the engine owns");
}

}  // namespace
}  // namespace eps::testing
