// The foreign-socket sampler against real programs: the example servers of assets/examples
// started as children, sampled through pidfd_getfd while they run, stopped or gone.
#include "core/inspect/pid_sampler.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "tests/core/inspect/example_child.hpp"

namespace eps {
namespace {

using testing::connectTo;
using testing::readAtLeast;
using testing::startExample;
using testing::waitForConnection;
using testing::waitUntil;

constexpr std::size_t kBurst = 4096;
constexpr std::size_t kOneRead = 100;  // what et_one_read takes per wakeup

bool sendBurst(int fd, std::size_t count) {
  const std::string bytes(count, 'x');
  return ::send(fd, bytes.data(), bytes.size(), 0) == static_cast<ssize_t>(bytes.size());
}

// A client of `server` that has sent one burst of kBurst bytes at once, and the server's fd
// for that connection (-1 when it never accepted one or the send failed).
struct Burst {
  UniqueFd client;
  int conn = -1;
};
Burst connectAndBurst(const soak::ServerProcess& server) {
  Burst burst{connectTo(server.port()), -1};
  if (!burst.client.valid()) return burst;
  const auto conn = waitForConnection(server.pid());
  if (conn && sendBurst(burst.client.get(), kBurst)) burst.conn = *conn;
  return burst;
}

// The classic ET bug, seen from outside: one read of 100 per wakeup strands 3996 bytes of a
// 4096-byte burst in the server's receive queue, and sampling it takes none of them.
TEST(PidSampler, SeesTheBytesEtOneReadStrands) {
  auto server = startExample(EPOLLSCOPE_ET_ONE_READ);
  const Burst burst = connectAndBurst(server);
  ASSERT_GE(burst.conn, 0) << "et_one_read accepted no connection, or the burst failed";
  const int client = burst.client.get();
  const int conn = burst.conn;
  // The echo of its one read is the sign the server has made it.
  ASSERT_EQ(readAtLeast(client, kOneRead), kOneRead);

  const PidSampler sampler(server.pid());
  ASSERT_EQ(sampler.error(), 0);
  FdSample sample = sampler.sample(conn);
  EXPECT_EQ(sample.kind, SampledKind::Connected) << toString(sample.kind);
  EXPECT_EQ(sample.queues.recvQueue, static_cast<std::int64_t>(kBurst - kOneRead))
      << "the receive queue of et_one_read's fd " << conn;
  EXPECT_EQ(sampler.sample(conn).queues.recvQueue, sample.queues.recvQueue)
      << "a sample must take nothing from the program's socket";

  // One more byte is a new edge: the server reads 100 more, so 3897 remain. The sampler's
  // duplicate did not steal the edge or the bytes.
  ASSERT_TRUE(sendBurst(client, 1));
  ASSERT_EQ(readAtLeast(client, kOneRead), kOneRead);
  EXPECT_TRUE(waitUntil([&] {
    sample = sampler.sample(conn);
    return sample.queues.recvQueue == static_cast<std::int64_t>(kBurst + 1 - 2 * kOneRead);
  })) << "receive queue " << sample.queues.recvQueue;
}

// The fixed server reads until EAGAIN: nothing is left once the echo is back.
TEST(PidSampler, SeesEtDrainEmptyTheSocket) {
  auto server = startExample(EPOLLSCOPE_ET_DRAIN);
  const Burst burst = connectAndBurst(server);
  ASSERT_GE(burst.conn, 0) << "et_drain accepted no connection, or the burst failed";
  ASSERT_EQ(readAtLeast(burst.client.get(), kBurst), kBurst);

  const FdSample sample = PidSampler(server.pid()).sample(burst.conn);
  EXPECT_EQ(sample.kind, SampledKind::Connected) << toString(sample.kind);
  EXPECT_EQ(sample.error, 0);
  EXPECT_EQ(sample.queues.recvQueue, 0);
  EXPECT_GE(sample.queues.sendQueue, 0) << "SIOCOUTQ refused";
}

// A stopped server accepts nothing, but the kernel completes handshakes for it: the
// listener's accept queue holds both connections, against the limit listen() asked for.
TEST(PidSampler, CountsAListenersBacklog) {
  auto server = startExample(EPOLLSCOPE_ET_DRAIN);
  const auto listener = testing::findSocket(server.pid(), [](const ProcSocket& s) {
    return s.listening;
  });
  ASSERT_TRUE(listener) << "no listening socket in /proc/" << server.pid() << "/fd";
  ASSERT_EQ(::kill(server.pid(), SIGSTOP), 0);
  ASSERT_TRUE(waitUntil([&] { return testing::processState(server.pid()) == 'T'; }));
  const UniqueFd first = connectTo(server.port());
  const UniqueFd second = connectTo(server.port());
  ASSERT_TRUE(first.valid() && second.valid());

  const PidSampler sampler(server.pid());
  FdSample sample;
  EXPECT_TRUE(waitUntil([&] {
    sample = sampler.sample(*listener);
    return sample.backlog.acceptQueue >= 2;
  })) << "accept queue " << sample.backlog.acceptQueue;
  EXPECT_EQ(sample.kind, SampledKind::Listener) << toString(sample.kind);
  EXPECT_EQ(sample.backlog.acceptQueue, 2);
  EXPECT_EQ(sample.backlog.backlogLimit, 16) << "example_server.c listens with 16";
  ::kill(server.pid(), SIGCONT);
}

// The fd of `pid`'s epoll instance, from its /proc/PID/fd link, or -1.
int epollFdOf(pid_t pid) {
  for (int fd = 0; fd < 64; ++fd) {
    char link[64] = {};
    const std::string path = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
    if (::readlink(path.c_str(), link, sizeof link - 1) > 0 &&
        std::string(link) == "anon_inode:[eventpoll]") {
      return fd;
    }
  }
  return -1;
}

TEST(PidSampler, TellsAnEpollInstanceIsNoSocket) {
  auto server = startExample(EPOLLSCOPE_ET_DRAIN);
  // Once it has accepted a connection its epoll instance surely exists.
  const UniqueFd client = connectTo(server.port());
  ASSERT_TRUE(client.valid());
  ASSERT_TRUE(waitForConnection(server.pid()));
  const int epfd = epollFdOf(server.pid());
  ASSERT_GE(epfd, 0) << "no anon_inode:[eventpoll] in /proc/" << server.pid() << "/fd";
  const FdSample sample = PidSampler(server.pid()).sample(epfd);
  EXPECT_EQ(sample.kind, SampledKind::NotSocket) << toString(sample.kind);
  EXPECT_EQ(sample.error, 0);
}

// A process that has exited and been reaped: refused with ESRCH, never a crash.
TEST(PidSampler, RefusesAGoneProcessWithEsrch) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);

  const PidSampler sampler(child);
  EXPECT_EQ(sampler.error(), ESRCH);
  const FdSample sample = sampler.sample(3);
  EXPECT_EQ(sample.kind, SampledKind::Refused);
  EXPECT_EQ(sample.error, ESRCH);
}

TEST(PidSampler, RefusesAFdTheProgramDoesNotHaveWithEbadf) {
  auto server = startExample(EPOLLSCOPE_ET_DRAIN);
  const FdSample sample = PidSampler(server.pid()).sample(1000);
  EXPECT_EQ(sample.kind, SampledKind::Refused);
  EXPECT_EQ(sample.error, EBADF);
}

// Without ptrace rights over the target the kernel refuses the duplicate: a child that gives
// up root samples the root-owned server and reports the errno as its exit status.
TEST(PidSampler, RefusesWithoutPtraceRightsWithEperm) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to another user";
  auto server = startExample(EPOLLSCOPE_ET_DRAIN);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    constexpr uid_t kNobody = 65534;
    if (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) ::_exit(255);
    const FdSample sample = PidSampler(server.pid()).sample(0);
    ::_exit(sample.kind == SampledKind::Refused ? sample.error : 0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_NE(WEXITSTATUS(status), 255) << "could not drop to uid 65534";
  EXPECT_EQ(WEXITSTATUS(status), EPERM);
}

}  // namespace
}  // namespace eps
