// What an imported descriptor is and how long its lane lives, and the herd inferred across
// threads, on logs recorded now with `strace -f -ttt -T -yy`: a CPython asyncio echo server
// served by this test's own clients, a program that execs another with a close-on-exec file
// open, and two threads sharing one listener.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/strace/counters.hpp"
#include "core/strace/import.hpp"
#include "tests/helpers/strace_recording.hpp"
#include "core/trace/lanes.hpp"

extern char** environ;

namespace eps {
namespace {

using test::importText;

constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kStrace = "/usr/bin/strace";

// An asyncio echo server on 127.0.0.1: writes its port to argv[1] (atomically), serves argv[2]
// connections and exits (or gives up after 60 s).
constexpr const char* kAsyncioServer = R"(import asyncio, os, sys
portfile, wanted = sys.argv[1], int(sys.argv[2])
async def main():
    done = asyncio.Event()
    served = 0
    async def handle(reader, writer):
        nonlocal served
        writer.write(await reader.read(100))
        await writer.drain()
        writer.close()
        await writer.wait_closed()
        served += 1
        if served == wanted:
            done.set()
    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    with open(portfile + '.tmp', 'w') as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    os.rename(portfile + '.tmp', portfile)
    await asyncio.wait_for(done.wait(), 60)
    server.close()
    await server.wait_closed()
asyncio.run(main())
)";

// Opens itself with O_CLOEXEC, reads it, and execs python again, which makes a socket: the
// lowest free number, the one the exec closed.
constexpr const char* kExecScript = R"(import os, socket, sys
if len(sys.argv) == 1:
    fd = os.open(__file__, os.O_RDONLY | os.O_CLOEXEC)
    os.read(fd, 16)
    os.execv(sys.executable, [sys.executable, __file__, str(fd)])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(('127.0.0.1', 0))
s.listen(1)
print(s.fileno(), sys.argv[1])
s.close()
)";

// Two threads, each with its own epoll instance holding the one listening socket
// (level-triggered, no EPOLLEXCLUSIVE), and a client thread connecting argv[1] times. A short
// pause after each wakeup lets both threads wake for every connection before either accepts.
constexpr const char* kHerdScript = R"(import select, socket, sys, threading, time
CONNECTIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(('127.0.0.1', 0))
listener.listen(16)
listener.setblocking(False)
port = listener.getsockname()[1]
served = 0
lock = threading.Lock()
done = threading.Event()

def worker():
    global served
    ep = select.epoll()
    ep.register(listener.fileno(), select.EPOLLIN)  # level-triggered, not EPOLLEXCLUSIVE
    while not done.is_set():
        if not ep.poll(0.2):
            continue
        time.sleep(0.02)  # some work before accepting: the other thread wakes meanwhile
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            continue  # woken for a connection the other thread took
        with conn:
            conn.setblocking(True)
            conn.sendall(conn.recv(16))
        with lock:
            served += 1
            if served == CONNECTIONS:
                done.set()
    ep.close()

threads = [threading.Thread(target=worker) for _ in range(2)]
for t in threads:
    t.start()
for _ in range(CONNECTIONS):
    with socket.create_connection(('127.0.0.1', port), timeout=10) as c:
        c.sendall(b'x')
        c.recv(16)
done.wait(30)
done.set()
for t in threads:
    t.join()
)";

class StraceLanes : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("epollscope_fd_lanes_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string write(const std::string& name, const char* text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // Starts `strace -f -ttt -T -yy -o LOG python3 ARGS...`; the pid, or -1 with skipReason_.
  pid_t startTraced(const std::vector<std::string>& pythonArgs) {
    if (::access(kStrace, X_OK) != 0 || ::access(kPython, X_OK) != 0) {
      skipReason_ = "strace or /usr/bin/python3 is missing";
      return -1;
    }
    log_ = (dir_ / "python.strace").string();
    std::vector<std::string> argv = {kStrace, "-f", "-ttt", "-T", "-yy", "-o", log_, kPython};
    argv.insert(argv.end(), pythonArgs.begin(), pythonArgs.end());
    std::vector<char*> args;
    for (std::string& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    const std::string err = (dir_ / "strace.err").string();
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = -1;
    if (::posix_spawn(&pid, kStrace, &actions, nullptr, args.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    if (pid < 0) skipReason_ = "cannot start strace";
    return pid;
  }

  // Waits for the traced program; false with skipReason_ when strace could not trace it.
  bool finishTraced(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && std::filesystem::exists(log_)) return true;
    std::ifstream in(dir_ / "strace.err");
    skipReason_ = "strace cannot trace here (status " + std::to_string(status) +
                  "): " + std::string((std::istreambuf_iterator<char>(in)), {});
    return false;
  }

  std::filesystem::path dir_;
  std::string log_;
  std::string skipReason_;
};

// The port the server wrote, waiting for the file at most 30 s; 0 if it never came.
int waitForPort(const std::filesystem::path& file) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int port = 0;
    if (std::ifstream(file) >> port) return port;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

// One connection: sends "hello", reads the echo (a 10 s receive bound), closes.
std::string echoOnce(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const timeval bound{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string echoed;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::write(fd, "hello", 5) == 5) {
    char buffer[16];
    ssize_t got = 0;
    while (echoed.size() < 5 && (got = ::read(fd, buffer, sizeof buffer)) > 0) {
      echoed.append(buffer, static_cast<std::size_t>(got));
    }
  }
  ::close(fd);
  return echoed;
}

std::vector<LaneInfo> lanesOf(const StraceImport& log, std::vector<std::uint32_t>* laneOfEvent) {
  LaneTracker tracker;
  tracker.setLabels(&log.labels);
  for (const TraceEvent& e : log.events) {
    const std::uint32_t lane = tracker.assign(e);
    if (laneOfEvent != nullptr) laneOfEvent->push_back(lane);
  }
  return tracker.lanes();
}

// A number reused without a close in the log (a library's raw close, a dup2 over it): the
// decoration says another descriptor, so the file's lane ends and the socket gets its own.
TEST(StraceLanesText, ANumberReusedWithoutACloseStartsANewLane) {
  const StraceImport log = importText(
      "7 1795368574.000001 read(4</etc/ld.so.cache>, \"\", 10) = 0 <0.000010>\n"
      "7 1795368574.000100 epoll_ctl(5<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
      "4<TCP:[127.0.0.1:80->127.0.0.1:4000]>, {events=EPOLLIN, data={u32=4, u64=4}}) = 0 "
      "<0.000010>\n"
      "7 1795368574.000200 epoll_wait(5<anon_inode:[eventpoll]>, [{events=EPOLLIN, "
      "data={u32=4, u64=4}}], 8, -1) = 1 <0.000010>\n"
      "7 1795368574.000300 read(4<TCP:[127.0.0.1:80->127.0.0.1:4000]>, \"hi\", 10) = 2 "
      "<0.000010>\n");
  std::vector<const LaneInfo*> fd4;
  const std::vector<LaneInfo> lanes = lanesOf(log, nullptr);
  for (const LaneInfo& lane : lanes) {
    if (lane.fd == 4) fd4.push_back(&lane);
  }
  ASSERT_EQ(fd4.size(), 2u) << "one lane per descriptor, not one renamed lane";
  EXPECT_EQ(fd4[0]->fdKind, FdKind::File);
  EXPECT_EQ(fd4[0]->name, "fd 4 /etc/ld.so.cache");
  EXPECT_EQ(fd4[0]->endNs, 1795368574000100000);
  EXPECT_EQ(fd4[1]->fdKind, FdKind::Tcp);
  EXPECT_EQ(fd4[1]->endNs, -1);
  // A socket's decoration growing (bound, then connected) is the same socket: one lane.
  const StraceImport grown = importText(
      "7 1795368574.000001 bind(3<TCP:[12753]>, {sa_family=AF_INET, sin_port=htons(80), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0 <0.000010>\n"
      "7 1795368574.000100 read(3<TCP:[127.0.0.1:80->127.0.0.1:4000]>, \"hi\", 10) = 2 "
      "<0.000010>\n");
  const std::vector<LaneInfo> grownLanes = lanesOf(grown, nullptr);
  EXPECT_EQ(std::count_if(grownLanes.begin(), grownLanes.end(),
                          [](const LaneInfo& lane) { return lane.fd == 3; }),
            1);
}

TEST_F(StraceLanes, AsyncioEchoServerCountsItsSocketsAndNoFile) {
  constexpr int kConnections = 4;
  const std::string script = write("echo_server.py", kAsyncioServer);
  const std::filesystem::path portFile = dir_ / "port";
  const pid_t pid = startTraced({script, portFile.string(), std::to_string(kConnections)});
  if (pid < 0) GTEST_SKIP() << skipReason_;
  const int port = waitForPort(portFile);
  for (int i = 0; i < kConnections && port != 0; ++i) EXPECT_EQ(echoOnce(port), "hello");
  if (!finishTraced(pid)) GTEST_SKIP() << skipReason_;
  ASSERT_NE(port, 0) << "the server never wrote its port";

  const StraceImport log = importStraceFile(log_);
  const auto counts = countImport(log);
  EXPECT_EQ(counts.at("sockets"), 1 + kConnections) << "the listener and one per connection";

  std::vector<std::uint32_t> laneOf;
  const std::vector<LaneInfo> lanes = lanesOf(log, &laneOf);
  std::size_t files = 0;
  for (const LaneInfo& lane : lanes) {
    const bool path = lane.name.find(" /") != std::string::npos;
    if (!path) continue;
    ++files;
    EXPECT_EQ(lane.fdKind, FdKind::File) << lane.name << ": hidden by the window by default";
    EXPECT_EQ(laneKindName(lane.kind), "file") << lane.name;
  }
  EXPECT_GT(files, 10u) << "CPython reads its modules: the log has file lanes";

  // Reads on files (modules) are not the loop's I/O: bytes_read is the sockets' bytes.
  std::int64_t socketBytes = 0;
  std::int64_t fileBytes = 0;
  for (std::size_t i = 0; i < log.events.size(); ++i) {
    const TraceEvent& e = log.events[i];
    if (e.kind != EventKind::Call || e.call != Call::Read || e.ret <= 0) continue;
    (lanes[laneOf[i]].name.find(" /") != std::string::npos ? fileBytes : socketBytes) += e.ret;
  }
  EXPECT_GT(fileBytes, 0);
  EXPECT_GE(socketBytes, 5 * kConnections);
  EXPECT_EQ(counts.at("bytes_read"), socketBytes);

  // One epoll_wait lane per (thread, instance): asyncio's probe instance (created and closed
  // at import of selectors) waits on nothing and gets no wait lane.
  std::vector<std::string> waitLanes;
  for (const LaneInfo& lane : lanes) {
    if (lane.kind == LaneKind::EpollWait) waitLanes.push_back(lane.name);
  }
  EXPECT_EQ(waitLanes.size(), 1u) << ::testing::PrintToString(waitLanes);
}

TEST_F(StraceLanes, ExecEndsTheLaneOfACloseOnExecFileAndTheSocketOnItsNumberGetsItsOwn) {
  const std::string script = write("exec.py", kExecScript);
  const pid_t pid = startTraced({script});
  if (pid < 0) GTEST_SKIP() << skipReason_;
  if (!finishTraced(pid)) GTEST_SKIP() << skipReason_;
  const StraceImport log = importStraceFile(log_);

  const auto note = std::find_if(log.events.begin(), log.events.end(), [](const TraceEvent& e) {
    return e.kind == EventKind::Note && static_cast<NoteOp>(e.op) == NoteOp::ClosedOnExec;
  });
  ASSERT_NE(note, log.events.end()) << "the execve closed the O_CLOEXEC file";
  const int fd = note->fd;
  const std::int64_t execNs = note->tNs;

  const std::vector<LaneInfo> lanes = lanesOf(log, nullptr);
  const LaneInfo* file = nullptr;
  const LaneInfo* socket = nullptr;
  for (const LaneInfo& lane : lanes) {
    if (lane.fd != fd) continue;
    // The new program reads the script again (to run it): that is a later lane.
    if (lane.name.find(script) != std::string::npos && lane.startNs < execNs) file = &lane;
    if (lane.fdKind == FdKind::Tcp) socket = &lane;
  }
  ASSERT_NE(file, nullptr) << "a lane for fd " << fd << " named by the script's path";
  EXPECT_GE(file->endNs, 0);
  EXPECT_LE(file->endNs, execNs) << "the file's lane ends at the execve, not in the new program";
  ASSERT_NE(socket, nullptr) << "the new program's socket on fd " << fd;
  EXPECT_GT(socket->startNs, execNs);
  EXPECT_NE(socket->id, file->id);
}

TEST_F(StraceLanes, TwoThreadsWokenForOneConnectionAreAnInferredHerd) {
  constexpr int kConnections = 5;
  const std::string script = write("herd.py", kHerdScript);
  const pid_t pid = startTraced({script, std::to_string(kConnections)});
  if (pid < 0) GTEST_SKIP() << skipReason_;
  if (!finishTraced(pid)) GTEST_SKIP() << skipReason_;
  const StraceImport log = importStraceFile(log_);
  std::vector<TraceEvent> herds;
  for (const TraceEvent& e : log.events) {
    if (e.kind == EventKind::Herd) herds.push_back(e);
  }
  ASSERT_GE(herds.size(), 1u) << "a connection woke both threads; one accept returned EAGAIN";
  EXPECT_EQ(log.stats.herdsInferred, herds.size());
  EXPECT_EQ(countImport(log).at("inferred_herds"), static_cast<std::int64_t>(herds.size()));
  EXPECT_LE(herds.size(), static_cast<std::size_t>(kConnections)) << "at most one per connection";
  for (const TraceEvent& herd : herds) {
    EXPECT_NE(herd.flags & kEventInferred, 0);
    EXPECT_EQ(herd.a, 1) << "two threads: one accepted, one found nothing";
    EXPECT_GE(herd.c, 0) << "the winner's accepted fd";
  }
}

}  // namespace
}  // namespace eps
