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
#include <memory>
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

void raiseOwnFdLimit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

// Probes until a new client is told no with EOF, the idle-fd trick at the limit; a probe that
// is echoed took a free descriptor and is kept open, so the limit gets reached. A probe that
// hears nothing is tried again: while the flood's backlog is being shed, a SYN may find the
// accept queue full and wait for its retransmission. Without the trick every probe is silent
// for the whole bound.
ProbeAnswer waitToldNoAtTheLimit(int port, std::vector<int>& held) {
  const auto end = Clock::now() + 30s;
  ProbeAnswer answer = ProbeAnswer::Silent;
  while (Clock::now() < end) {
    int kept = -1;
    answer = probe(port, 5s, &kept);
    if (kept >= 0) held.push_back(kept);
    if (answer == ProbeAnswer::Eof) return answer;
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

// One soak run. Ownership: the test thread; the threads it starts end before TearDown returns.
class HostileClientsSoak : public ::testing::Test {
 protected:
  void SetUp() override {
    raiseOwnFdLimit();
    tracePath_ = ::testing::TempDir() + "soak_trace_" + std::to_string(::getpid()) + ".json";
    server_ = std::make_unique<ServerProcess>(
        EPOLLSCOPE_BINARY,
        std::vector<std::string>{"--headless", "--port", "0", "--trace-out", tracePath_},
        kServerFdLimit, 20s);
    port_ = server_->port();
  }

  void TearDown() override {
    if (greedy_ >= 0) ::shutdown(greedy_, SHUT_RDWR);  // ends the greedy sender's blocked send
    if (greedyThread_.joinable()) greedyThread_.join();
    for (std::vector<int>* fds : {&garbage_, &lorises_, &held_, &flooded_}) closeAll(*fds);
    for (const int fd : {good_, greedy_}) {
      if (fd >= 0) ::close(fd);
    }
    server_.reset();
    std::remove(tracePath_.c_str());
  }

  // The clients that must be served connect first, while descriptors are free; each is
  // echoed one byte, so the server has accepted it before the flood.
  void connectTheServedClients() {
    good_ = connectLoopback(port_, 5s);
    greedy_ = connectLoopback(port_, 5s);
    ASSERT_TRUE(good_ >= 0 && greedy_ >= 0);
    ASSERT_TRUE(ping(good_, 5s) && ping(greedy_, 5s)) << "the server did not echo a first byte";
    for (int i = 0; i < s_.garbageClients; ++i) garbage_.push_back(connectLoopback(port_, 5s));
    for (int i = 0; i < s_.slowloris; ++i) lorises_.push_back(connectLoopback(port_, 5s));
    for (const int fd : garbage_) ASSERT_TRUE(fd >= 0 && ping(fd, 5s));
    for (const int fd : lorises_) ASSERT_TRUE(fd >= 0 && ping(fd, 5s));
  }

  // The greedy sender starts, the flood takes every descriptor left; a new client is then
  // told no at once.
  void saturate() {
    greedyThread_ = std::jthread([this] { sendNeverRead(greedy_, s_.greedyBytes, greedySent_); });
    flooded_ = flood(port_, s_.flood);
    EXPECT_EQ(waitToldNoAtTheLimit(port_, held_), ProbeAnswer::Eof)
        << "at the descriptor limit a new client must be told no (EOF) at once, not left waiting";
    cpuAtLimit_ = server_->cpuSeconds();
  }

  // Slowloris, RST storm and garbage at once, while the good client's echo is checked; the
  // hostile clients keep on for the whole soak, whatever the good client's pace was.
  void runTheHostileLoad() {
    std::atomic<bool> stop{false};
    std::jthread lorisThread([&] { slowloris(lorises_, 50ms, stop); });
    std::jthread stormThread([&] { rstStorm(port_, s_.rstStorm, stop, resets_); });
    std::vector<EchoResult> garbageResults(garbage_.size());
    const auto end = Clock::now() + 120s;
    {
      std::vector<std::jthread> garbageThreads;
      for (std::size_t i = 0; i < garbage_.size(); ++i) {
        garbageThreads.emplace_back([&, i] {
          garbageResults[i] = echoExchange(garbage_[i], s_.garbageBytes, garbageBytes, end);
        });
      }
      const double rate = static_cast<double>(s_.goodBytes) / (s_.seconds * 0.8);
      goodResult_ = echoExchange(good_, s_.goodBytes, patternBytes, end, rate);
    }
    const auto soakEnd = started_ + std::chrono::duration<double>(s_.seconds);
    if (Clock::now() < soakEnd) std::this_thread::sleep_until(soakEnd);
    stop = true;
    EXPECT_FALSE(goodResult_.mismatch);
    EXPECT_EQ(goodResult_.verified, s_.goodBytes) << "every byte back to the well-behaved client";
    for (const EchoResult& r : garbageResults) EXPECT_EQ(r.verified, s_.garbageBytes);
  }

  // The flood leaves; a new client is served; the run ends with SIGTERM and status 0.
  void endTheRun() {
    floodOpened_ = static_cast<long>(flooded_.size());
    closeAll(flooded_);
    closeAll(held_);
    EXPECT_TRUE(newClientServed(port_)) << "once the flood left, a new client must be served";
    peakRss_ = server_->statusBytes("VmHWM");
    cpu_ = server_->cpuSeconds();
    EXPECT_EQ(server_->terminate(60s), 0) << "SIGTERM ends the run with status 0";
    EXPECT_GT(peakRss_, 0);
    if (!kSanitized) {
      EXPECT_LT(peakRss_, kPeakRssBound) << "server peak RSS (VmHWM)";
    }
  }

  void report() {
    const double wall = std::chrono::duration<double>(Clock::now() - started_).count();
    std::printf(
        "soak: peak RSS %.1f MB (bound %.0f MB%s), good client %zu of %zu bytes verified, "
        "garbage %d x %zu bytes, greedy sender got %.1f MB in, flood %ld, RST storm %d, "
        "server CPU %.2f s (%.2f s when the flood was in), wall %.1f s%s\n",
        static_cast<double>(peakRss_) / (1 << 20), static_cast<double>(kPeakRssBound) / (1 << 20),
        kSanitized ? ", not asserted" : "", goodResult_.verified, s_.goodBytes, s_.garbageClients,
        s_.garbageBytes, static_cast<double>(greedySent_.load()) / (1 << 20), floodOpened_,
        resets_.load(), cpu_, cpuAtLimit_, wall, kSanitized ? " (sanitizer scale)" : "");
    RecordProperty("peak_rss_bytes", std::to_string(peakRss_));
    RecordProperty("good_bytes_verified", std::to_string(goodResult_.verified));
  }

  const Scale s_ = scale();
  const Clock::time_point started_ = Clock::now();
  std::string tracePath_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
  int good_ = -1, greedy_ = -1;
  std::vector<int> garbage_, lorises_, held_, flooded_;
  std::atomic<std::size_t> greedySent_{0};
  std::jthread greedyThread_;
  std::atomic<int> resets_{0};
  EchoResult goodResult_;
  double cpuAtLimit_ = 0, cpu_ = 0;
  long peakRss_ = -1, floodOpened_ = 0;
};

TEST_F(HostileClientsSoak, TheDefaultServerStaysBoundedAndServesTheGoodClient) {
  ASSERT_NO_FATAL_FAILURE(connectTheServedClients());
  saturate();
  runTheHostileLoad();
  endTheRun();
  report();
  expectValidTrace(tracePath_);
}

}  // namespace
}  // namespace eps::soak
