// Runs the epollscope binary the way a script does, for the CLI contract tests: stdout and
// stderr apart, and the exit status.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace eps::test {

struct CliRun {
  int exitCode = -1;
  std::string out;
  std::string err;
};

// `timeoutSeconds` > 0: killed after that long (exit 124), so a run that should have ended at
// once fails instead of hanging the suite.
inline CliRun runBinary(const std::string& args, int timeoutSeconds = 0) {
  CliRun run;
  const std::string errPath =
      ::testing::TempDir() + "cli_err_" + std::to_string(::getpid()) + ".txt";
  const std::string limit =
      timeoutSeconds > 0 ? "timeout -k 5 " + std::to_string(timeoutSeconds) + " " : "";
  const std::string command = limit + std::string(EPOLLSCOPE_BINARY) + " " + args + " 2>" + errPath;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) run.out += buffer;
  const int status = ::pclose(pipe);
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(errPath);
  run.err.assign(std::istreambuf_iterator<char>(err), {});
  return run;
}

// Writes `text` to a file in the test's temporary folder; returns its path.
inline std::string writeTempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace eps::test
