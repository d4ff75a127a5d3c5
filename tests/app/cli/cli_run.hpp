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

// `prefix` goes before the binary: "timeout 60 prlimit --as=N --" to bound a run.
inline CliRun runBinary(const std::string& args, const std::string& prefix = "") {
  CliRun run;
  const std::string errPath =
      ::testing::TempDir() + "cli_err_" + std::to_string(::getpid()) + ".txt";
  const std::string command =
      prefix + std::string(EPOLLSCOPE_BINARY) + " " + args + " 2>" + errPath;
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

// Killed after `timeoutSeconds` (exit 124), so a run that should have ended at once fails
// instead of hanging the suite.
inline CliRun runBinary(const std::string& args, int timeoutSeconds) {
  return runBinary(args, "timeout -k 5 " + std::to_string(timeoutSeconds) + " ");
}

// Writes `text` to a file in the test's temporary folder; returns its path.
inline std::string writeTempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace eps::test
