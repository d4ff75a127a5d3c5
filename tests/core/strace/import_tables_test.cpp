// The strace importer keeps registrations per descriptor table: after unshare(CLONE_FILES) a
// thread's fd 6 is not another thread's fd 6 (epollscope's own engine thread does this, so
// its clients' and its engine's numbers collide in a log of epollscope itself).
#include <gtest/gtest.h>

#include "core/strace/import.hpp"
#include "tests/helpers/strace_recording.hpp"

namespace eps {
namespace {

using test::importText;

std::size_t strandedCount(const StraceImport& log) {
  std::size_t count = 0;
  for (const TraceEvent& e : log.events) count += e.kind == EventKind::Stranded;
  return count;
}

// Thread 11 (the process's table) registers its fd 6 level-triggered; thread 10 unshares its
// table and registers ITS fd 6 edge-triggered. Thread 11 then reads 8 bytes once and waits
// again: level-triggered, nothing is stranded. Without the unshare both name one socket (two
// decorations on one number in one table would say the number was reused).
std::string collidingLog(bool unshared) {
  const std::string fd6 =
      unshared ? "6<anon_inode:[eventfd]>" : "6<TCP:[127.0.0.1:80->127.0.0.1:4000]>";
  std::string log =
      "11 1795368574.000001 epoll_ctl(4<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, " + fd6 +
      ", {events=EPOLLIN, data={u32=6, u64=6}}) = 0 <0.000010>\n";
  if (unshared) log += "10 1795368574.000002 unshare(CLONE_FILES) = 0 <0.000010>\n";
  log +=
      "10 1795368574.000003 epoll_ctl(4<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
      "6<TCP:[127.0.0.1:80->127.0.0.1:4000]>, {events=EPOLLIN|EPOLLET, data={u32=6, u64=6}}) = 0 "
      "<0.000010>\n"
      "11 1795368574.000100 epoll_wait(4<anon_inode:[eventpoll]>, [{events=EPOLLIN, "
      "data={u32=6, u64=6}}], 8, -1) = 1 <0.000010>\n"
      "11 1795368574.000200 read(" + fd6 + ", \"\\1\\0\\0\\0\\0\\0\\0\\0\", 8) = 8 "
      "<0.000010>\n"
      "11 1795368574.000300 epoll_wait(4<anon_inode:[eventpoll]>, [], 8, 0) = 0 <0.000010>\n";
  return log;
}

TEST(StraceImportTables, AnUnsharedThreadsRegistrationIsNotAnotherTablesFd) {
  const StraceImport result = importText(collidingLog(true));
  EXPECT_EQ(strandedCount(result), 0u) << "thread 11's fd 6 is level-triggered in its table";
  EXPECT_EQ(result.stats.processes, 2u) << "two tables: the lanes may merge equal numbers";
}

TEST(StraceImportTables, WithoutUnshareTheSameNumberIsTheSameFd) {
  // One table: thread 10's registration made fd 6 edge-triggered for both threads, and a read
  // of 8 bytes that did not end in EAGAIN leaves it possibly stranded.
  const StraceImport result = importText(collidingLog(false));
  EXPECT_EQ(strandedCount(result), 1u);
  EXPECT_EQ(result.stats.processes, 1u);
}

}  // namespace
}  // namespace eps
