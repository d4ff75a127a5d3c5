// Internal to the strace importer: which descriptors an execve closes. A descriptor opened
// with O_CLOEXEC (SOCK_CLOEXEC, EPOLL_CLOEXEC, accept4's SOCK_CLOEXEC, F_DUPFD_CLOEXEC, ...) or
// marked FD_CLOEXEC by fcntl is closed by a successful execve (execve(2)), and the log shows
// no close for it: without this its lane would go on into the new program.
#pragma once

#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/strace/infer.hpp"
#include "core/strace/line.hpp"

namespace eps {

// Ownership: one per import, owned by the mapper, used by the importing thread. Keys are
// FdKeys (table << 32 | fd), so a forked child's execve closes only its own table's fds.
class CloseOnExecTable {
 public:
  // Notes what `call` (made in fd table `table`) did to close-on-exec flags: a new fd
  // (a decorated return value, or pipe2/socketpair's pair), fcntl F_SETFD, close.
  void note(const StraceCall& call, int table);
  // A successful execve in `table`: the fds it closed, forgotten here, in ascending order.
  std::vector<FdKey> exec(int table);

 private:
  void opened(FdKey fd, bool closeOnExec);

  std::unordered_map<FdKey, bool> closeOnExec_;  // every fd seen made, by key
};

// The fds of an array strace prints for pipe2/socketpair: "[3<pipe:[9]>, 4<pipe:[9]>]".
std::vector<int> fdPair(std::string_view text);

}  // namespace eps
