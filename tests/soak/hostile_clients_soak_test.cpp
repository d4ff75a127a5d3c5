// The hostile-client soak: the real binary, default knobs, RLIMIT_NOFILE 1024, and at once a
// flood of 2,000 connections, a slowloris, an RST storm, a 200 MB sender that never reads and
// clients sending binary garbage, while one well-behaved client sends 50 MB and checks every
// byte of its echo. The server must serve it all, stay bounded, answer new clients (with a
// clean EOF while at the limit, with an echo once descriptors are free) and end cleanly.
//
// Sanitizer builds (__SANITIZE_ADDRESS__ / __SANITIZE_THREAD__, set by -fsanitize) run the
// same scenario with smaller counts and do not assert the RSS bound (shadow memory is RSS).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/soak/hostile_clients.hpp"
#include "tests/soak/server_process.hpp"

namespace eps::soak {
namespace {

using namespace std::chrono_literals;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

struct Scale {
  double seconds = 20;  // how long the hostile clients keep at it; the good client spreads
                        // its bytes over most of it
  std::size_t goodBytes = 50u << 20;
  int flood = 2000;
  int slowloris = 100;
  int rstStorm = 20000;
  std::size_t greedyBytes = 200u << 20;
  int garbageClients = 4;
  std::size_t garbageBytes = 1u << 20;
};

Scale scale() {
  Scale s;
  if (kSanitized) {
    s.seconds = 10;
    s.goodBytes = 8u << 20;
    s.slowloris = 50;
    s.rstStorm = 2000;
  }
  return s;
}

constexpr int kServerFdLimit = 1024;
// Peak RSS allowed to the server (Release). It holds at most out-cap (1 MiB) per greedy
// connection plus the trace it keeps for --trace-out; without back-pressure the 200 MB sender
// alone takes it past 200 MB.
constexpr long kPeakRssBound = 160l << 20;

// Shuts a socket down on the way out, so a thread blocked sending on it returns and can be
// joined even when an assertion ended the test early.
struct ShutDownOnExit {
  int fd;
  ~ShutDownOnExit() { ::shutdown(fd, SHUT_RDWR); }
};

void raiseOwnFdLimit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

// Probes until a new client is told no with EOF, the idle-fd trick at the limit; a probe that
// is echoed took a free descriptor and is kept open, so the limit gets reached.
ProbeAnswer waitToldNoAtTheLimit(int port, std::vector<int>& held) {
  const auto end = Clock::now() + 30s;
  ProbeAnswer answer = ProbeAnswer::Silent;
  while (Clock::now() < end) {
    int kept = -1;
    answer = probe(port, 5s, &kept);
    if (kept >= 0) held.push_back(kept);
    if (answer != ProbeAnswer::Echo) return answer;
  }
  return answer;
}

// After the flood left, a new client must be served (echo) within a bound.
bool newClientServed(int port) {
  const auto end = Clock::now() + 30s;
  while (Clock::now() < end) {
    int kept = -1;
    if (probe(port, 2s, &kept) == ProbeAnswer::Echo) {
      ::close(kept);
      return true;
    }
    std::this_thread::sleep_for(50ms);  // the engine closes the flood's connections meanwhile
  }
  return false;
}

// The --trace-out file parses as JSON with calls in it, back-pressure MODs among them.
void expectValidTrace(const std::string& path) {
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " was not written";
  const nlohmann::json trace = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(trace.is_discarded()) << path << " is not valid JSON";
  ASSERT_TRUE(trace.contains("traceEvents")) << path;
  const auto& events = trace["traceEvents"];
  std::size_t accepts = 0, mods = 0;
  for (const auto& event : events) {
    const std::string name = event.value("name", "");
    if (name == "accept4") ++accepts;
    if (name == "epoll_ctl" && event.contains("args") &&
        event["args"].value("op", "") == "EPOLL_CTL_MOD") {
      ++mods;
    }
  }
  EXPECT_GT(events.size(), 1000u) << path;
  EXPECT_GT(accepts, 0u) << path;
  EXPECT_GT(mods, 0u) << path << ": back-pressure drops EPOLLIN with EPOLL_CTL_MOD";
  std::printf("soak: trace %zu events, %zu accept4, %zu EPOLL_CTL_MOD\n", events.size(), accepts,
              mods);
}

TEST(HostileClientsSoak, TheDefaultServerStaysBoundedAndServesTheGoodClient) {
  const Scale s = scale();
  const auto started = Clock::now();
  raiseOwnFdLimit();
  const std::string tracePath = ::testing::TempDir() + "soak_trace_" +
                                std::to_string(::getpid()) + ".json";
  ServerProcess server(EPOLLSCOPE_BINARY, {"--headless", "--port", "0", "--trace-out", tracePath},
                       kServerFdLimit, 20s);
  const int port = server.port();

  // The clients that must be served connect first, while descriptors are free.
  const int good = connectLoopback(port, 5s);
  const int greedy = connectLoopback(port, 5s);
  ASSERT_TRUE(good >= 0 && greedy >= 0);
  ASSERT_TRUE(ping(good, 5s) && ping(greedy, 5s)) << "the server did not echo a first byte";
  std::vector<int> garbage, lorises, held;
  for (int i = 0; i < s.garbageClients; ++i) garbage.push_back(connectLoopback(port, 5s));
  for (int i = 0; i < s.slowloris; ++i) lorises.push_back(connectLoopback(port, 5s));
  for (const int fd : garbage) ASSERT_TRUE(fd >= 0 && ping(fd, 5s));
  for (const int fd : lorises) ASSERT_TRUE(fd >= 0 && ping(fd, 5s));

  std::atomic<std::size_t> greedySent{0};
  std::jthread greedyThread([&] { sendNeverRead(greedy, s.greedyBytes, greedySent); });
  ShutDownOnExit unblockGreedy{greedy};  // destroyed before the thread is joined
  std::vector<int> flooded = flood(port, s.flood);
  const ProbeAnswer atLimit = waitToldNoAtTheLimit(port, held);
  EXPECT_EQ(atLimit, ProbeAnswer::Eof)
      << "at the descriptor limit a new client must be told no (EOF) at once, not left waiting";
  const double cpuAtLimit = server.cpuSeconds();

  std::atomic<bool> stop{false};
  std::atomic<int> resets{0};
  std::jthread lorisThread([&] { slowloris(lorises, 50ms, stop); });
  std::jthread stormThread([&] { rstStorm(port, s.rstStorm, stop, resets); });
  std::vector<EchoResult> garbageResults(garbage.size());
  std::vector<std::jthread> garbageThreads;
  const auto end = Clock::now() + 120s;
  for (std::size_t i = 0; i < garbage.size(); ++i) {
    garbageThreads.emplace_back([&, i] {
      garbageResults[i] = echoExchange(garbage[i], s.garbageBytes, garbageBytes, end);
    });
  }
  const double rate = static_cast<double>(s.goodBytes) / (s.seconds * 0.8);
  const EchoResult goodResult = echoExchange(good, s.goodBytes, patternBytes, end, rate);
  garbageThreads.clear();  // joined
  // The hostile clients keep on for the whole soak, whatever the good client's pace was.
  const auto soakEnd = started + std::chrono::duration<double>(s.seconds);
  if (Clock::now() < soakEnd) std::this_thread::sleep_until(soakEnd);
  stop = true;
  stormThread.join();
  lorisThread.join();

  EXPECT_FALSE(goodResult.mismatch);
  EXPECT_EQ(goodResult.verified, s.goodBytes) << "every byte back to the well-behaved client";
  for (const EchoResult& r : garbageResults) EXPECT_EQ(r.verified, s.garbageBytes);

  const long floodOpen = static_cast<long>(flooded.size());
  closeAll(flooded);
  closeAll(held);
  EXPECT_TRUE(newClientServed(port)) << "once the flood left, a new client must be served";

  const long peakRss = server.statusBytes("VmHWM");
  const double cpu = server.cpuSeconds();
  ::shutdown(greedy, SHUT_RDWR);  // ends the greedy sender's blocked send
  greedyThread.join();
  EXPECT_EQ(server.terminate(60s), 0) << "SIGTERM ends the run with status 0";
  const double wall = std::chrono::duration<double>(Clock::now() - started).count();
  std::printf(
      "soak: peak RSS %.1f MB (bound %.0f MB%s), good client %zu of %zu bytes verified, "
      "garbage %d x %zu bytes, greedy sender got %.1f MB in, flood %ld, RST storm %d, "
      "server CPU %.2f s (%.2f s when the flood was in), wall %.1f s%s\n",
      static_cast<double>(peakRss) / (1 << 20), static_cast<double>(kPeakRssBound) / (1 << 20),
      kSanitized ? ", not asserted" : "", goodResult.verified, s.goodBytes, s.garbageClients,
      s.garbageBytes, static_cast<double>(greedySent.load()) / (1 << 20), floodOpen,
      resets.load(), cpu, cpuAtLimit, wall, kSanitized ? " (sanitizer scale)" : "");
  RecordProperty("peak_rss_bytes", std::to_string(peakRss));
  RecordProperty("good_bytes_verified", std::to_string(goodResult.verified));
  EXPECT_GT(peakRss, 0);
  if (!kSanitized) {
    EXPECT_LT(peakRss, kPeakRssBound) << "server peak RSS (VmHWM)";
  }
  expectValidTrace(tracePath);

  for (const int fd : garbage) ::close(fd);
  closeAll(lorises);
  ::close(good);
  ::close(greedy);
  std::remove(tracePath.c_str());
}

}  // namespace
}  // namespace eps::soak
