// The processes of a live trace (core/strace/live_tracer.hpp): the program to trace, started
// by us and held before exec until strace has attached, and strace itself with its output on
// a pipe. fork + exec by hand because the program must wait between the two and strace needs
// its descriptors at fixed numbers; both children get the default signal mask back (epollscope
// blocks SIGINT and SIGTERM in every thread, and a mask survives exec).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace eps {

// The full path of `name` as execvp would find it (a name with a '/' is taken as a path), or
// nullopt when there is no executable file by that name.
std::optional<std::string> findExecutable(const std::string& name);

// A forked child that waits for release() and then execs the program; it exists so that strace
// can attach before the program's first instruction. Ownership: the thread that made it.
struct HeldProgram {
  pid_t pid = -1;
  int releaseFd = -1;  // write one byte to let it exec; closing it unreleased ends it
  int execFd = -1;     // reads errno if exec failed, end of file once it succeeded
};

// Throws std::system_error when fork or pipe fails. `stdoutFd` >= 0 becomes the program's
// standard output (else it shares ours).
HeldProgram holdProgram(const std::string& path, const std::vector<std::string>& argv,
                        int stdoutFd = -1);

// Lets the program exec. "" when it did, else why not ("No such file or directory").
std::string releaseProgram(HeldProgram& program);

// strace running `args` with `outFd` as its descriptor 3 and `errFd` as its stderr (stdin is
// /dev/null: strace must not read the terminal). Throws std::system_error.
pid_t spawnStrace(const std::string& strace, const std::vector<std::string>& args, int outFd,
                  int errFd);

// The TracerPid line of /proc/PID/status: 0 when no tracer is attached, -1 when PID is gone.
int tracerPidOf(pid_t pid);

// /proc/PID/cmdline with spaces between the arguments, or "" when it cannot be read.
std::string commandLineOf(pid_t pid);

}  // namespace eps
