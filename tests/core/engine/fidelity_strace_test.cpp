// Fidelity: the `epollscope --headless` binary, run under `strace -f` with no filter, records
// exactly the calls strace sees its engine thread make — call for call, fd for fd, result for
// result, every call (samples expanded into their probe calls), the runtime's own excepted.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "core/base/names.hpp"
#include "core/strace/joiner.hpp"
#include "core/strace/line.hpp"
#include "tests/core/engine/engine_fixture.hpp"

extern char** environ;

namespace eps::testing {
namespace {

// Every call of the engine thread is compared: strace traces everything, and only the C and
// C++ runtime's own calls are left out, each for its reason. No engine code makes them; none
// touches the engine's epoll instance, sockets or descriptor table.
bool runtimeCall(const std::string& name) {
  static const std::set<std::string> kRuntime = {
      // The memory allocator (malloc arenas, thread stacks): memory, not descriptors.
      "mmap", "munmap", "mremap", "brk", "madvise", "mprotect",
      // Synchronisation with the process's other threads (a contended mutex, the command
      // queue's condition variable while paused, a promise, joining the wait sampler).
      "futex",
      // A contended spin lock giving the processor away before it retries: the sanitizer
      // runtimes' internal locks and std::stop_token's lock (libstdc++ <stop_token>, _S_yield)
      // both do. It schedules; it touches no descriptor.
      "sched_yield",
      // pthread_create starting the wait sampler (std::jthread): clone3 between a pair of
      // rt_sigprocmask that block every signal so the new thread starts with none pending;
      // the thread's own start (rseq, set_robust_list) and exit are outside the window below.
      "clone3", "rt_sigprocmask",
      // AddressSanitizer's runtime reads the alternate signal stack's bounds when an
      // exception unwinds the stack (the engine's stop: StopServing); sanitizer builds only.
      "sigaltstack"};
  return kRuntime.count(name) != 0;
}

struct CallRow {
  std::string call;
  int fd = -1;
  long long ret = 0;
  std::string err;
};

std::string describe(const CallRow& row) {
  return row.call + "(" + std::to_string(row.fd) + ") = " + std::to_string(row.ret) +
         (row.err.empty() ? "" : " " + row.err);
}

// The trace's calls from the CSV export, and the engine thread's tid.
std::vector<CallRow> readCsv(const std::string& path, int& engineTid) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header: seq,t_us,dur_us,thread,tid,call,fd,ret,errno,...
  std::vector<CallRow> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream split(line);
    for (std::string cell; std::getline(split, cell, ',');) cells.push_back(cell);
    if (cells.size() < 9) continue;
    engineTid = std::stoi(cells[4]);
    rows.push_back({cells[5], std::stoi(cells[6]), std::stoll(cells[7]), cells[8]});
  }
  return rows;
}

bool takesFd(const std::string& call) {
  return call != "epoll_create1" && call != "eventfd2" && call != "socket" && call != "openat" &&
         call != "prlimit64" && call != "unshare";
}

// poll's first argument is the array: "[{fd=4, events=POLLIN}]" (a sample's probe).
int fdOf(const std::string& call, const std::string& firstArg) {
  if (call != "poll") return leadingFd(firstArg);
  const std::size_t at = firstArg.find("fd=");
  return at == std::string::npos ? -1 : std::atoi(firstArg.c_str() + at + 3);
}

bool probeCall(const std::string& call) {
  return call == "ioctl" || call == "getsockopt" || call == "poll";
}

std::vector<CallRow> readStrace(const std::string& path, int tid, std::uint64_t& unknown) {
  std::ifstream in(path);
  StraceJoiner joiner;
  std::vector<StraceCall> calls;
  for (std::string line; std::getline(in, line);) joiner.feed(line, calls);
  joiner.finish(calls);
  unknown = joiner.notUnderstood();
  // Joined calls come out when their result arrives, which is the engine thread's own order.
  std::vector<CallRow> rows;
  bool started = false;
  bool finished = false;
  int epfd = -1;
  std::set<int> probes;  // a sanitizer's pipe: see below
  for (const StraceCall& call : calls) {
    if (call.pid != tid || !call.ret) continue;
    // The sanitizers probe memory by writing 16 bytes into a fresh pipe (pipe2, write, two
    // closes) on whichever thread needs it, mid-run too (UBSan's vptr check, the first time
    // the engine thread meets a type): the runtime's, never the engine's calls.
    if (call.name == "pipe2") {
      const std::string ends = call.args.empty() ? std::string() : call.args[0];  // "[6, 7]"
      for (const char* digit = ends.c_str(); *digit != '\0'; ++digit) {
        if (std::isdigit(static_cast<unsigned char>(*digit)) != 0) {
          probes.insert(std::atoi(digit));
          while (std::isdigit(static_cast<unsigned char>(digit[1])) != 0) ++digit;
        }
      }
      continue;
    }
    // glibc reads /proc/sys/vm/overcommit_memory once per process, on whichever thread
    // first shrinks a malloc arena (openat, read, close): the allocator's, like madvise.
    if (call.name == "openat" && call.args.size() > 1 &&
        call.args[1].find("/proc/sys/vm/overcommit_memory") != std::string::npos) {
      if (*call.ret >= 0) probes.insert(static_cast<int>(*call.ret));
      continue;
    }
    if (!call.args.empty() && probes.count(leadingFd(call.args[0])) != 0) {
      if (call.name == "close") probes.erase(leadingFd(call.args[0]));
      continue;
    }
    // The engine's first call is eventfd2: its command eventfd, made while it still shares
    // the process's descriptor table (core/engine/fd_table.hpp). What the thread does before
    // it is thread start-up, not the engine: AddressSanitizer's runtime, for one, probes
    // memory by writing 16 bytes into a pipe there.
    // Its last is closing its epoll fd; the sanitizer probes again as the thread exits.
    // Everything between is compared, the unshare(CLONE_FILES) after that eventfd2 and the
    // close_range of the inherited copies too; samples are expanded into their probe calls
    // (the CSV does that).
    if (runtimeCall(call.name)) continue;
    if (started && epfd < 0 && call.name == "epoll_create1") epfd = static_cast<int>(*call.ret);
    started = started || call.name == "eventfd2";
    if (!started || finished) continue;
    finished = call.name == "close" && !call.args.empty() && leadingFd(call.args[0]) == epfd;
    CallRow row{call.name == "epoll_pwait" ? "epoll_wait" : call.name, -1, *call.ret, call.errName};
    if (takesFd(row.call) && !call.args.empty()) row.fd = fdOf(row.call, call.args[0]);
    // The engine's own wait under poller=poll (no timeout) is fd-less in the trace: its
    // descriptors are the Ready records. A sample's probe polls one fd with a zero timeout.
    if (row.call == "poll" && call.args.size() > 2 && call.args[2] != "0") row.fd = -1;
    if (row.call == "epoll_ctl" && call.args.size() > 2) row.fd = leadingFd(call.args[2]);
    rows.push_back(row);
  }
  return rows;
}

// Runs strace -f on the binary; returns strace's pid and the engine's first stdout line.
pid_t spawnUnderStrace(const std::vector<std::string>& args, const std::string& log,
                       int& stdoutFd) {
  std::vector<std::string> argv = {"strace", "-f", "-qq", "-o", log, EPOLLSCOPE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  for (std::string& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
  // LeakSanitizer cannot work under ptrace: in a sanitizer build, the traced child runs
  // without leak detection (the rest of the suite keeps it).
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("ASAN_OPTIONS=", 0) != 0) env.emplace_back(*e);
  }
  const char* asan = std::getenv("ASAN_OPTIONS");
  env.push_back(std::string("ASAN_OPTIONS=") + (asan ? asan : "") + ":detect_leaks=0");
  std::vector<char*> rawEnv;
  for (std::string& e : env) rawEnv.push_back(e.data());
  rawEnv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawnp(&pid, "strace", &actions, nullptr, raw.data(), rawEnv.data()) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipeFds[1]);
  stdoutFd = pipeFds[0];
  return pid;
}

std::string readLine(int fd) {
  std::string line;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') line += c;
  return line;
}

// The traced program is strace's child: find it to send SIGINT (a clean, recorded stop).
pid_t childOf(pid_t parent) {
  std::ifstream children("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) +
                         "/children");
  pid_t child = -1;
  children >> child;
  return child;
}

struct Configuration {
  std::string name;
  std::vector<std::string> knobs;
  bool echoesEverything = true;  // false: the knobs strand data on purpose
};

// Several clients: bulk data, a short message, a half-close, a reset, a large echo. With a
// lossy configuration the engine strands data, so the script only waits for the first bytes.
void driveClients(int port, bool echoesEverything) {
  const auto expect = [&](RawClient& client, std::size_t bytes) {
    const std::size_t want = echoesEverything ? bytes : 1;
    EXPECT_EQ(client.receive(want, 10000ms).size(), want);
  };
  RawClient a(port), b(port), c(port);
  a.send(std::string(5000, 'a'));
  b.send("hello");
  expect(a, 5000);
  expect(b, 5);
  c.send("bye");
  c.shutdownWrite();
  expect(c, 3);
  if (echoesEverything) {
    EXPECT_TRUE(c.waitEof(5000ms));
  }
  b.send("reset follows");
  b.reset();
  a.send(std::string(70000, 'z'));
  if (echoesEverything) expect(a, 70000);
}

class Fidelity : public ::testing::TestWithParam<Configuration> {};

TEST_P(Fidelity, TraceCallsEqualStraceOfTheEngineThread) {
  if (::access("/usr/bin/strace", X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  const std::string dir = ::testing::TempDir();
  // ctest runs each configuration as its own process, two at a time: names must not collide.
  const std::string stem = dir + "fidelity-" + std::to_string(::getpid());
  const std::string log = stem + ".strace";
  const std::string csv = stem + ".csv";
  std::vector<std::string> args = {"--headless", "--csv-out", csv};
  args.insert(args.end(), GetParam().knobs.begin(), GetParam().knobs.end());
  int out = -1;
  const pid_t strace = spawnUnderStrace(args, log, out);
  ASSERT_GT(strace, 0);
  const std::string banner = readLine(out);
  ::close(out);
  if (banner.rfind("listening on 127.0.0.1:", 0) != 0) {
    ::kill(strace, SIGKILL);
    ::waitpid(strace, nullptr, 0);
    GTEST_SKIP() << "strace could not run the binary here (ptrace refused?): '" << banner << "'";
  }
  driveClients(std::stoi(banner.substr(banner.rfind(':') + 1)), GetParam().echoesEverything);
  const pid_t engine = childOf(strace);
  ASSERT_GT(engine, 0);
  ::kill(engine, SIGINT);
  int status = 0;
  ::waitpid(strace, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "exit status " << status;

  int tid = 0;
  const std::vector<CallRow> traced = readCsv(csv, tid);
  std::uint64_t unknown = 0;
  const std::vector<CallRow> seen = readStrace(log, tid, unknown);
  ASSERT_GT(traced.size(), 20u);
  EXPECT_EQ(unknown, 0u) << "every strace line understood";
  const std::size_t common = std::min(traced.size(), seen.size());
  for (std::size_t i = 0; i < common; ++i) {
    const CallRow& t = traced[i];
    const CallRow& s = seen[i];
    // A sample keeps which probe failed, not its errno: the CSV leaves it blank.
    const bool sameErr = t.err == s.err || (probeCall(t.call) && t.ret < 0 && t.err.empty());
    ASSERT_TRUE(t.call == s.call && t.fd == s.fd && t.ret == s.ret && sameErr)
        << "call #" << i << ": trace says " << describe(t) << ", strace says " << describe(s);
  }
  EXPECT_EQ(traced.size(), seen.size()) << "the same number of calls";
}

INSTANTIATE_TEST_SUITE_P(
    Configurations, Fidelity,
    ::testing::Values(
        Configuration{"lt_defaults", {}},
        Configuration{"et_read_once_100",
                      {"--conn-trigger", "et", "--read", "once", "--read-chunk", "100"},
                      false},
        Configuration{"et_flip_oneshot_rdhup",
                      {"--conn-trigger", "et", "--listen-trigger", "et", "--write", "flip",
                       "--oneshot", "--rdhup"}},
        Configuration{
            "short_reads_maxevents_1_small_sndbuf",
            {"--read", "short", "--read-chunk", "1024", "--max-events", "1", "--sndbuf", "4096"}},
        Configuration{
            "grow_idle_fd_accept_once_chunk_7",
            {"--max-events", "grow", "--idle-fd", "on", "--accept", "once", "--read-chunk", "7"}},
        Configuration{"et_out_cap_4096_back_pressure",
                      {"--conn-trigger", "et", "--out-cap", "4096"}},
        Configuration{"et_blocking_sockets",
                      {"--conn-trigger", "et", "--sockets", "blocking", "--block-timeout", "50"}},
        // The descriptor limit: prlimit64, then one fcntl(F_DUPFD_CLOEXEC) per placeholder.
        Configuration{"fd_limit_32", {"--fd-limit", "32"}},
        // poll(2) instead of epoll_wait: the whole set passed on every call, no epoll_ctl.
        Configuration{"poll_defaults", {"--poller", "poll"}},
        Configuration{"poll_read_once_100_rdhup_flip",
                      {"--poller", "poll", "--read", "once", "--read-chunk", "100", "--rdhup",
                       "--write", "flip"}}),
    [](const ::testing::TestParamInfo<Configuration>& param) { return param.param.name; });

}  // namespace
}  // namespace eps::testing
