// Lists another process's socket descriptors from /proc, so the foreign-socket sampler
// (pid_sampler.hpp) can be pointed at any program rather than at fd numbers someone knows:
// /proc/PID/fd/N links to "socket:[INODE]", and /proc/PID/net/tcp and tcp6 (the process's
// own network namespace) give each TCP inode its state, LISTEN being 0A. Reading these needs
// the same ptrace rights over the process as sampling does; nothing here touches a socket.
// Stateless; callable from any thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace eps {

struct ProcSocket {
  int fd = -1;
  std::uint64_t inode = 0;  // from the fd's link, "socket:[INODE]"
  bool tcp = false;         // the inode has a line in /proc/PID/net/tcp or tcp6
  bool listening = false;   // ... and its state there is LISTEN
};

struct ProcSockets {
  std::vector<ProcSocket> sockets;  // ascending by fd
  int error = 0;                    // errno that refused reading `where`; 0 when listed
  std::string where;                // the path that refused
};

ProcSockets listProcSockets(pid_t pid);

// The TCP inodes of one /proc/net/tcp-format text, and whether each is listening: the
// parser of listProcSockets, apart so it can be tested on fixed text.
struct TcpInode {
  std::uint64_t inode = 0;
  bool listening = false;
};
std::vector<TcpInode> parseProcNetTcp(const std::string& text);

}  // namespace eps
