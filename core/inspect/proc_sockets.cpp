#include "core/inspect/proc_sockets.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace eps {
namespace {
// The kernel's TCP_LISTEN, as /proc/net/tcp prints it (include/net/tcp_states.h).
constexpr std::string_view kListenState = "0A";
// Columns of a /proc/net/tcp line: sl local rem st tx:rx tr:when retrnsmt uid timeout inode.
constexpr std::size_t kStateColumn = 3;
constexpr std::size_t kInodeColumn = 9;
constexpr std::string_view kSocketLink = "socket:[";

std::string procPath(pid_t pid, std::string_view tail) {
  return "/proc/" + std::to_string(pid) + std::string(tail);
}

// The inode of a "socket:[INODE]" link, or 0 when `link` names no socket.
std::uint64_t socketInode(std::string_view link) {
  if (!link.starts_with(kSocketLink) || !link.ends_with(']')) return 0;
  link.remove_prefix(kSocketLink.size());
  link.remove_suffix(1);
  std::uint64_t inode = 0;
  const auto [end, ec] = std::from_chars(link.data(), link.data() + link.size(), inode);
  return ec == std::errc{} && end == link.data() + link.size() ? inode : 0;
}

// The socket fds of /proc/PID/fd, unsorted; sets `out.error` when the directory refuses.
void readFdLinks(pid_t pid, ProcSockets& out) {
  const std::string dir = procPath(pid, "/fd");
  DIR* listing = ::opendir(dir.c_str());
  if (listing == nullptr) {
    out.error = errno;
    out.where = dir;
    return;
  }
  while (const dirent* entry = ::readdir(listing)) {
    int fd = -1;
    const std::string_view name = entry->d_name;
    if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc{}) continue;
    char link[64];
    const std::string path = dir + "/" + std::string(name);
    const ssize_t n = ::readlink(path.c_str(), link, sizeof link);
    // A fd closed since the listing (ENOENT) is simply not there any more.
    if (n <= 0 || static_cast<std::size_t>(n) >= sizeof link) continue;
    const std::uint64_t inode = socketInode(std::string_view(link, static_cast<std::size_t>(n)));
    if (inode != 0) out.sockets.push_back(ProcSocket{fd, inode, false, false});
  }
  ::closedir(listing);
}
}  // namespace

std::vector<TcpInode> parseProcNetTcp(const std::string& text) {
  std::vector<TcpInode> inodes;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    std::istringstream columns(line);
    std::vector<std::string> fields;
    for (std::string field; columns >> field && fields.size() <= kInodeColumn;)
      fields.push_back(field);
    if (fields.size() <= kInodeColumn) continue;  // not a socket line
    std::uint64_t inode = 0;
    const std::string& column = fields[kInodeColumn];
    if (std::from_chars(column.data(), column.data() + column.size(), inode).ec != std::errc{})
      continue;
    inodes.push_back(TcpInode{inode, fields[kStateColumn] == kListenState});
  }
  return inodes;
}

ProcSockets listProcSockets(pid_t pid) {
  ProcSockets out;
  readFdLinks(pid, out);
  if (out.error != 0) return out;
  std::unordered_map<std::uint64_t, bool> tcp;  // inode -> listening
  for (const char* table : {"/net/tcp", "/net/tcp6"}) {
    // tcp6 is absent on a kernel without IPv6: then there is simply no IPv6 socket.
    std::ifstream file(procPath(pid, table));
    std::stringstream text;
    text << file.rdbuf();
    for (const TcpInode& entry : parseProcNetTcp(text.str())) tcp[entry.inode] = entry.listening;
  }
  for (ProcSocket& socket : out.sockets) {
    const auto found = tcp.find(socket.inode);
    socket.tcp = found != tcp.end();
    socket.listening = socket.tcp && found->second;
  }
  std::sort(out.sockets.begin(), out.sockets.end(),
            [](const ProcSocket& a, const ProcSocket& b) { return a.fd < b.fd; });
  return out;
}

}  // namespace eps
