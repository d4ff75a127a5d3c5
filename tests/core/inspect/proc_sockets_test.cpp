// Listing another process's sockets from /proc: fixed /proc/net/tcp text, a real example
// server as a child, and a process that is gone.
#include "core/inspect/proc_sockets.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "tests/core/inspect/example_child.hpp"

namespace eps {
namespace {

TEST(ProcSockets, ParsesListenersAndConnectionsOfProcNetTcp) {
  const std::string text =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
      "timeout inode\n"
      "   0: 0100007F:A1B2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0"
      "        0 4242 1 0000000000000000 100 0 0 10 0\n"
      "   1: 0100007F:A1B2 0100007F:C3D4 01 00000000:00000F9C 00:00000000 00000000     0"
      "        0 4343 1 0000000000000000 20 4 30 10 -1\n"
      "   2: truncated line\n";
  const auto inodes = parseProcNetTcp(text);
  ASSERT_EQ(inodes.size(), 2U);
  EXPECT_EQ(inodes[0].inode, 4242U);
  EXPECT_TRUE(inodes[0].listening);
  EXPECT_EQ(inodes[1].inode, 4343U);
  EXPECT_FALSE(inodes[1].listening);
}

TEST(ProcSockets, ListsAServersListenerAndConnection) {
  auto server = testing::startExample(EPOLLSCOPE_ET_DRAIN);
  const UniqueFd client = testing::connectTo(server.port());
  ASSERT_TRUE(client.valid());
  ASSERT_TRUE(testing::waitForConnection(server.pid()));

  const ProcSockets listed = listProcSockets(server.pid());
  ASSERT_EQ(listed.error, 0) << listed.where;
  int listeners = 0;
  int connections = 0;
  for (const ProcSocket& socket : listed.sockets) {
    EXPECT_TRUE(socket.tcp) << "fd " << socket.fd << " inode " << socket.inode;
    EXPECT_NE(socket.inode, 0U);
    (socket.listening ? listeners : connections) += 1;
  }
  EXPECT_EQ(listeners, 1);
  EXPECT_EQ(connections, 1);
  ASSERT_FALSE(listed.sockets.empty());
  EXPECT_TRUE(listed.sockets.front().listening) << "the listener is the server's first socket";
}

TEST(ProcSockets, NamesThePathOfAGoneProcess) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);

  const ProcSockets listed = listProcSockets(child);
  EXPECT_EQ(listed.error, ENOENT);
  EXPECT_EQ(listed.where, "/proc/" + std::to_string(child) + "/fd");
  EXPECT_TRUE(listed.sockets.empty());
}

}  // namespace
}  // namespace eps
