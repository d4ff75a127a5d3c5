// What an imported descriptor is, read from strace's -yy decoration ("TCP:[127.0.0.1:80]",
// "pipe:[123]", "anon_inode:[eventfd]", a path). Written once here: the lanes, the tour
// counters and the window's lane filters all ask these functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace eps {

enum class FdKind : std::uint8_t {
  Unknown,  // no decoration seen (a log without -yy, or the engine's own lanes)
  Tcp,
  Udp,
  Unix,
  OtherSocket,  // netlink, raw, packet, "socket:[inode]"
  Pipe,
  Eventfd,
  Timerfd,
  Signalfd,
  Epoll,
  OtherAnon,  // another anon_inode: io_uring, pidfd, inotify, ...
  File,       // a path: regular files, directories, devices (/dev/null, a tty)
};

FdKind fdKindOfDecoration(std::string_view decoration);
std::string_view fdKindName(FdKind kind);  // "tcp", "udp", "unix", "pipe", "eventfd", "file", ...
bool fdKindIsSocket(FdKind kind);

// Whether `next` may name the same open descriptor as `previous` did. A socket's decoration
// grows as it is bound and connected ("TCP:[12753]" -> "TCP:[127.0.0.1:80]" ->
// "TCP:[127.0.0.1:80->127.0.0.1:5555]"); anything else that changes (another kind, another
// path, another pipe inode, another peer) is a new descriptor on a reused number.
bool sameDescriptor(std::string_view previous, std::string_view next);

// The decoration an imported lane label carries ("fd 5 TCP:[...]" -> "TCP:[...]"); "" for
// labels that name no descriptor (an epoll_wait lane's).
std::string_view labelDecoration(std::string_view label);

}  // namespace eps
