// The headless command line is a contract (DESIGN "Headless CLI"): scripts rely on the first
// line, the exit codes, the error lines and the Chrome-trace names. These run the binary.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <string>

namespace {

struct BinaryRun {
  int exitCode = -1;
  std::string out;
};

BinaryRun runBinary(const std::string& args) {
  BinaryRun run;
  const std::string command = std::string(EPOLLSCOPE_BINARY) + " " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) run.out += buffer;
  const int status = ::pclose(pipe);
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(CliContract, BadValuesNameTheFlagAndTheAllowedValuesAndExitTwo) {
  BinaryRun run = runBinary("--headless --conn-trigger sideways");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.out, "epollscope: --conn-trigger: 'sideways' is not one of lt|et\n");
  run = runBinary("--headless --read-chunk 70000");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.out, "epollscope: --read-chunk: '70000' is out of range 1..65536\n");
  run = runBinary("--headless --max-events lots");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.out, "epollscope: --max-events: 'lots' is not one of 1..1024|grow\n");
  // A knob only epoll has, under --poller poll: refused with the reason.
  run = runBinary("--headless --poller poll --max-events 1");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.out,
            "epollscope: --poller poll: max-events 1 needs poller=epoll: poll(2) fills in every "
            "descriptor it was passed; it has no maxevents\n");
  run = runBinary("--headless --no-such-flag");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.out.find("--no-such-flag"), std::string::npos);
}

TEST(CliContract, FirstLineIsTheListeningBannerAndDurationEndsTheRun) {
  const std::string trace = ::testing::TempDir() + "cli_duration.json";
  const BinaryRun run =
      runBinary("--headless --duration 0.2 --conn-trigger et --trace-out " + trace);
  EXPECT_EQ(run.exitCode, 0);
  EXPECT_EQ(run.out.rfind("listening on 127.0.0.1:", 0), 0u) << run.out;
  std::ifstream in(trace);
  const nlohmann::json json = nlohmann::json::parse(in);
  bool sawEpollCtl = false;
  for (const auto& event : json["traceEvents"]) {
    if (event.value("name", "") == "epoll_ctl" &&
        event["args"].value("op", "") == "EPOLL_CTL_ADD") {
      sawEpollCtl = true;
      EXPECT_TRUE(event["args"].contains("events"));
    }
  }
  EXPECT_TRUE(sawEpollCtl);
}

TEST(CliContract, SigtermEndsTheRunCleanlyAndStillWritesTheTrace) {
  const std::string trace = ::testing::TempDir() + "cli_sigterm.json";
  std::remove(trace.c_str());
  int pipeFds[2];
  ASSERT_EQ(::pipe(pipeFds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::dup2(pipeFds[1], 1);
    ::execl(EPOLLSCOPE_BINARY, EPOLLSCOPE_BINARY, "--headless", "--trace-out", trace.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipeFds[1]);
  std::string banner;
  char c = 0;
  while (::read(pipeFds[0], &c, 1) == 1 && c != '\n') banner += c;
  ::close(pipeFds[0]);
  EXPECT_EQ(banner.rfind("listening on 127.0.0.1:", 0), 0u);
  ::kill(child, SIGTERM);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::ifstream in(trace);
  ASSERT_TRUE(in.good()) << "the trace was written";
  EXPECT_NO_THROW(nlohmann::json::parse(in));
}

}  // namespace

// --untraced is the echo benchmark's baseline: the same headless server, nothing recorded,
// so nothing to write; asked for an output or a window it says why it cannot.
TEST(CliContract, UntracedRunsHeadlessOnlyAndRefusesOutputs) {
  BinaryRun run = runBinary("--headless --untraced --duration 0.2");
  EXPECT_EQ(run.exitCode, 0) << run.out;
  EXPECT_EQ(run.out.rfind("listening on 127.0.0.1:", 0), 0u) << run.out;
  const std::string refusal =
      "epollscope: --untraced is for a headless engine run only, with no --lesson, --open or "
      "output (there is no trace to write)\n";
  run = runBinary("--headless --untraced --trace-out " + ::testing::TempDir() + "u.json");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.out, refusal);
  run = runBinary("--untraced --frames 1");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.out, refusal);
}
