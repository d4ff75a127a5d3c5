#include "core/strace/fd_lanes.hpp"

#include <algorithm>

#include "core/strace/mapper.hpp"

namespace eps {

std::vector<int> fdPair(std::string_view text) {
  std::vector<int> fds;
  if (!text.starts_with('[')) return fds;
  // Each element starts after "[" or after the ">, " that ends the previous decoration (a
  // decoration's own brackets and "->" never are followed by ", " and a digit).
  for (std::size_t at = 1; at < text.size() && fds.size() < 2;) {
    const int fd = leadingFd(text.substr(at, text.find_first_of(",]", at) - at));
    const std::size_t next = text.find(">, ", at);
    if (fd >= 0) fds.push_back(fd);
    if (next == std::string_view::npos) break;
    at = next + 3;
  }
  return fds;
}

void CloseOnExecTable::opened(FdKey fd, bool closeOnExec) {
  if (fd >= 0) closeOnExec_[fd] = closeOnExec;
}

void CloseOnExecTable::note(const StraceCall& call, int table) {
  if (!call.ret || *call.ret < 0) return;
  // Most calls (reads, writes, waits) make no fd: leave before searching their arguments.
  const bool pair = call.name == "pipe" || call.name == "pipe2" || call.name == "socketpair";
  const bool setfd = call.name == "fcntl" && call.args.size() >= 3 && call.args[1] == "F_SETFD";
  if (call.name != "close" && !pair && !setfd && call.retDecoration.empty()) return;
  const bool cloexec = call.argsText.find("CLOEXEC") != std::string::npos;
  if (call.name == "close") {
    closeOnExec_.erase(fdKey(table, leadingFd(call.args.empty() ? "" : call.args[0])));
  } else if (pair) {
    for (const int fd : fdPair(call.args.empty() ? "" : call.args.back())) {
      opened(fdKey(table, fd), cloexec);
    }
  } else if (setfd) {
    opened(fdKey(table, leadingFd(call.args[0])), cloexec);
  } else if (!call.retDecoration.empty()) {
    // -yy decorates a returned fd: openat, socket, accept4, dup*, epoll_create1, eventfd2, ...
    opened(fdKey(table, static_cast<int>(*call.ret)), cloexec);
  }
}

std::vector<FdKey> CloseOnExecTable::exec(int table) {
  std::vector<FdKey> closed;
  for (auto it = closeOnExec_.begin(); it != closeOnExec_.end();) {
    if ((it->first >> 32) == table && it->second) {
      closed.push_back(it->first);
      it = closeOnExec_.erase(it);
    } else {
      ++it;
    }
  }
  std::sort(closed.begin(), closed.end());
  return closed;
}

// A successful execve closes every close-on-exec fd of the caller's table: each gets a Note
// (NoteOp::ClosedOnExec) that ends its lane, and its registrations are forgotten.
void StraceMapper::noteDescriptors(const StraceCall& call) {
  if (!call.ret || *call.ret < 0) return;
  const int table = tableOfPid_.try_emplace(call.pid, 0).first->second;
  if ((call.name != "execve" && call.name != "execveat") || *call.ret != 0) {
    closeOnExec_.note(call, table);
    return;
  }
  std::int64_t tNs = -1;
  for (const FdKey fd : closeOnExec_.exec(table)) {
    if (tNs < 0) tNs = timeOf(call);
    TraceEvent note;
    note.kind = EventKind::Note;
    note.op = static_cast<std::uint8_t>(NoteOp::ClosedOnExec);
    note.flags = kEventImported;
    note.thread = threadOf(call.pid);
    note.tNs = tNs;
    note.fd = fdOfKey(fd);
    emit(note);
    forgetFd(fd);
  }
}

}  // namespace eps
