// The kernel fact lesson 14 teaches (engine/seed000_handler.cpp): a write of under 1024 bytes
// made only after TCP reported the socket writable never comes back partial, so seed 000's
// restart-at-byte-0 write loop cannot fire with its own char buf[1024]. TCP reports
// writability only when a third of the send buffer is free (sk_stream_is_writeable).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace {

struct Outcome {
  int writes = 0;
  int partial = 0;
  int eagain = 0;
};

// A loopback pair whose client never reads; the server writes `size` bytes each time poll
// says POLLOUT, until poll times out (the buffers are full).
Outcome writeAfterPollout(int sndbuf, int peerRcvbuf, std::size_t size) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ::setsockopt(listener, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  EXPECT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(::listen(listener, 1), 0);
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ::setsockopt(client, SOL_SOCKET, SO_RCVBUF, &peerRcvbuf, sizeof peerRcvbuf);
  EXPECT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const int server = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  const int on = 1;
  ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  const std::string message(size, 'a');
  Outcome outcome;
  for (int i = 0; i < 1000; ++i) {
    pollfd ready{server, POLLOUT, 0};
    if (::poll(&ready, 1, 20) != 1) break;
    const ssize_t n = ::write(server, message.data(), message.size());
    if (n < 0) {
      ++outcome.eagain;
      break;
    }
    ++outcome.writes;
    if (static_cast<std::size_t>(n) < size) ++outcome.partial;
  }
  ::close(server);
  ::close(client);
  ::close(listener);
  return outcome;
}

TEST(SeedWriteFact, WritesUnder1024BytesAfterPolloutAreNeverPartial) {
  int writes = 0;
  for (const int sndbuf : {1, 4096, 8192}) {
    for (const int rcvbuf : {1, 4096, 65536}) {
      for (const std::size_t size : {700u, 1000u, 1023u}) {
        const Outcome outcome = writeAfterPollout(sndbuf, rcvbuf, size);
        EXPECT_EQ(outcome.partial, 0) << "SO_SNDBUF " << sndbuf << ", peer SO_RCVBUF " << rcvbuf
                                      << ", " << size << "-byte writes";
        EXPECT_EQ(outcome.eagain, 0) << "POLLOUT then EAGAIN";
        EXPECT_GE(outcome.writes, 1);
        writes += outcome.writes;
      }
    }
  }
  EXPECT_GE(writes, 500) << "enough writes to fill every buffer";
}

// The counter-case the lesson then shows: a message larger than the free space does come back
// partial after POLLOUT (seed000-strings).
TEST(SeedWriteFact, AMessageLargerThanTheSendBufferIsWrittenPartially) {
  const Outcome outcome = writeAfterPollout(4096, 4096, 30000);
  EXPECT_GE(outcome.partial, 1);
}

}  // namespace
