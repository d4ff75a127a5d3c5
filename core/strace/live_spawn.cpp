#include "core/strace/live_spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

namespace eps {
namespace {

[[noreturn]] void throwErrno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

std::vector<char*> argvOf(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// In a forked child, before exec: the default mask and dispositions for what epollscope
// changed, so the program and strace take Ctrl-C as they would from a shell.
void restoreSignals() {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
}

// Puts `from` at `to` without FD_CLOEXEC, through a copy above the standard numbers: `from`
// may itself be 2 or 3 when epollscope was started with a standard descriptor closed.
bool placeFd(int from, int to) {
  const int high = ::fcntl(from, F_DUPFD_CLOEXEC, 10);
  return high >= 0 && ::dup2(high, to) == to;
}

}  // namespace

std::optional<std::string> findExecutable(const std::string& name) {
  const auto runnable = [](const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
  };
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos) {
    return runnable(name) ? std::optional<std::string>(name) : std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (runnable(candidate)) return candidate;
  }
  return std::nullopt;
}

HeldProgram holdProgram(const std::string& path, const std::vector<std::string>& argv,
                        int stdoutFd) {
  int release[2];
  int exec[2];
  if (::pipe2(release, O_CLOEXEC) != 0) throwErrno("pipe2");
  if (::pipe2(exec, O_CLOEXEC) != 0) {
    ::close(release[0]);
    ::close(release[1]);
    throwErrno("pipe2");
  }
  std::vector<char*> args = argvOf(argv);
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only the parent may hold the release pipe's write end: if epollscope dies before
    // releasing, the read below sees end of file and the held child leaves, and strace with it.
    ::close(release[1]);
    ::close(exec[0]);
    restoreSignals();
    // Yama's ptrace_scope 1 lets only ancestors attach; strace is our sibling.
    ::prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
    char go = 0;
    if (::read(release[0], &go, 1) != 1) ::_exit(127);  // never released: never run
    if (stdoutFd >= 0 && !placeFd(stdoutFd, STDOUT_FILENO)) ::_exit(127);
    ::execv(path.c_str(), args.data());
    const int err = errno;
    [[maybe_unused]] const ssize_t told = ::write(exec[1], &err, sizeof err);
    ::_exit(127);
  }
  const int forkErrno = errno;
  ::close(release[0]);
  ::close(exec[1]);
  if (pid < 0) {
    ::close(release[1]);
    ::close(exec[0]);
    errno = forkErrno;
    throwErrno("fork");
  }
  return {pid, release[1], exec[0]};
}

std::string releaseProgram(HeldProgram& program) {
  const char go = 'g';
  std::string problem;
  if (::write(program.releaseFd, &go, 1) != 1) problem = std::strerror(errno);
  ::close(program.releaseFd);
  program.releaseFd = -1;
  int err = 0;
  ssize_t got = 0;
  do {
    got = ::read(program.execFd, &err, sizeof err);
  } while (got < 0 && errno == EINTR);
  if (got == sizeof err) problem = std::strerror(err);
  ::close(program.execFd);
  program.execFd = -1;
  return problem;
}

pid_t spawnStrace(const std::string& strace, const std::vector<std::string>& args, int outFd,
                  int errFd) {
  std::vector<std::string> all{strace};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv = argvOf(all);
  const pid_t pid = ::fork();
  if (pid < 0) throwErrno("fork");
  if (pid == 0) {
    restoreSignals();
    // epollscope gone (even by SIGKILL): strace detaches, as on Ctrl-C, rather than tracing on
    // into a pipe nobody reads.
    ::prctl(PR_SET_PDEATHSIG, SIGINT, 0, 0, 0);
    const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int out = ::fcntl(outFd, F_DUPFD_CLOEXEC, 10);  // before 0, 2, 3 are replaced
    const int err = ::fcntl(errFd, F_DUPFD_CLOEXEC, 10);
    if (null < 0 || out < 0 || err < 0 || !placeFd(null, 0) || !placeFd(err, 2) ||
        !placeFd(out, 3)) {
      ::_exit(126);
    }
    ::execv(strace.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

int tracerPidOf(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  if (!status) return -1;
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("TracerPid:", 0) == 0) return std::atoi(line.c_str() + 10);
  }
  return -1;
}

std::string commandLineOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), {}};
  while (!text.empty() && text.back() == '\0') text.pop_back();
  for (char& c : text) {
    if (c == '\0') c = ' ';
  }
  return text;
}

}  // namespace eps
