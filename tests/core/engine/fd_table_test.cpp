// The engine's descriptor budget is its own (core/engine/fd_table.hpp): with the engine out of
// descriptors — accept4 failing with EMFILE, as lesson 11 wants — the rest of the process (the
// window, the clients, a test) still opens files; and the engine leaves nothing behind.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/lessons/lesson.hpp"
#include "core/runner/lesson_runner.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

int listenerFd(EngineHarness& h) {
  for (const SocketView& view : h.engine().sockets()) {
    if (view.listener) return view.fd;
  }
  return -1;
}

std::size_t processDescriptors() {
  std::size_t count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  while (const dirent* entry = ::readdir(dir)) count += entry->d_name[0] != '.';
  ::closedir(dir);
  return count - 1;  // the listing's own descriptor
}

// What the window does while a lesson runs: open a font, write a session file. Opens `count`
// descriptors at once (more than any spare a limit could have left) and writes through one.
std::string openFilesHere(int count) {
  std::vector<int> fds;
  std::string failure;
  for (int i = 0; i < count && failure.empty(); ++i) {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) failure = std::string("open(/dev/null): ") + std::strerror(errno);
    if (fd >= 0) fds.push_back(fd);
  }
  std::string path = ::testing::TempDir() + "fd-table-XXXXXX";
  const int file = failure.empty() ? ::mkstemp(path.data()) : -1;
  if (failure.empty() && file < 0) failure = std::string("mkstemp: ") + std::strerror(errno);
  if (file >= 0) {
    if (::write(file, "session", 7) != 7) failure = "write to a temporary file failed";
    ::close(file);
    ::unlink(path.c_str());
  }
  for (const int fd : fds) ::close(fd);
  return failure;
}

// The engine records the limit as a `config` event; ret -1 when it could not have a descriptor
// table of its own (unshare refused), and then it does not starve the process either.
bool limitRefused(EngineHarness& h) {
  h.drain();
  const auto configs = h.ofKind(EventKind::Config);
  return configs.empty() || configs.back().op != static_cast<std::uint8_t>(KnobId::FdLimit) ||
         configs.back().ret != 0;
}

bool sawEmfile(EngineHarness& h, int listener, std::size_t from) {
  for (const TraceEvent& e : h.callsOf(Call::Accept4, listener, from)) {
    if (e.ret == -1 && e.err == EMFILE) return true;
  }
  return false;
}

TEST(EngineFdTable, OutOfDescriptorsTheEngineFailsAcceptWithEmfileAndTheProcessDoesNot) {
  Knobs knobs;
  knobs.listenTrigger = Trigger::Edge;  // one EMFILE, then quiet
  knobs.idleFd = false;                 // the mistake: no spare to shed the connection with
  EngineHarness h(knobs);
  h.engine().allowMoreFds(0);
  ASSERT_TRUE(h.engine().waitApplied(5000ms));
  if (limitRefused(h)) GTEST_SKIP() << "unshare(CLONE_FILES) refused on this machine";
  const std::size_t from = h.mark();
  RawClient client(h.port());
  const int listener = listenerFd(h);
  ASSERT_TRUE(waitUntil([&] {
    h.drain();
    return sawEmfile(h, listener, from);
  })) << "the engine's accept4 fails with EMFILE: no number left in its own table";
  EXPECT_EQ(h.countCalls(Call::Accept4, listener, from), 1u) << "ET: reported once";
  EXPECT_EQ(openFilesHere(64), "") << "the test's thread is not bound by the engine's limit";
}

TEST(EngineFdTable, TheLimitGoesBackUpAndTheQueuedConnectionIsAccepted) {
  Knobs knobs;           // LT: the listener is reported again once accept4 can succeed
  knobs.idleFd = false;  // no spare: the connection stays queued at the limit, not shed
  EngineHarness h(knobs);
  h.engine().allowMoreFds(0);
  ASSERT_TRUE(h.engine().waitApplied(5000ms));
  if (limitRefused(h)) GTEST_SKIP() << "unshare(CLONE_FILES) refused on this machine";
  const std::size_t from = h.mark();
  RawClient client(h.port());
  ASSERT_TRUE(waitUntil([&] {
    h.drain();
    return sawEmfile(h, listenerFd(h), from);
  }));
  h.setKnobs([](Knobs& k) { k.fdLimit = 0; });
  EXPECT_EQ(h.waitAccepted(1).size(), 1u) << "the placeholders are gone: accept4 succeeds";
}

TEST(EngineFdTable, TheProcessKeepsOnlyTheWakeEventfdAndGetsItBackAtStop) {
  const std::size_t before = processDescriptors();
  {
    EngineHarness h(Knobs{});
    RawClient client(h.port());
    ASSERT_EQ(h.waitAccepted(1).size(), 1u);
    // The listener, the epoll fd and the connection live in the engine's table; only the
    // command eventfd, which other threads write, is in the process's table too.
    EXPECT_EQ(processDescriptors(), before + 2) << "the eventfd's copy and the test's client";
  }
  EXPECT_EQ(processDescriptors(), before) << "the facade closed the eventfd's copy";
}

// Lesson 11, step 1 as the window plays it: the engine out of descriptors, spinning on EMFILE.
// The window's thread must still open files (Dear ImGui rebuilding its font atlas, a session
// save). With RLIMIT_NOFILE lowered for the whole process this failed with EMFILE.
TEST(EngineFdTable, LessonElevenStepOneLeavesTheRestOfTheProcessItsDescriptors) {
  const LessonLoad loaded =
      loadLessonFile(std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/11-emfile.toml");
  ASSERT_TRUE(loaded.lesson) << (loaded.error ? loaded.error->text() : "");
  LessonRunner runner(*loaded.lesson);
  ASSERT_EQ(runner.start(), "");
  const StepResult result = runner.playStep(0);
  ASSERT_TRUE(result.passed()) << result.failure;
  EXPECT_GE(runner.counter(LessonCounter::AcceptEmfile), 100);
  EXPECT_EQ(openFilesHere(64), "");
}

}  // namespace
}  // namespace eps::testing
