#include "core/trace/fd_kinds.hpp"

#include <array>
#include <utility>

namespace eps {
namespace {

// Prefixes strace 6.1 writes for -yy (strace's src/print_fields / socketutils.c names).
constexpr std::array<std::pair<std::string_view, FdKind>, 16> kPrefixes = {{
    {"TCP", FdKind::Tcp},  // TCP:[...], TCPv6:[...]
    {"UDPLITE", FdKind::Udp},
    {"UDP", FdKind::Udp},
    {"UNIX", FdKind::Unix},  // UNIX:[...], UNIX-STREAM:[...], UNIX-DGRAM:[...]
    {"NETLINK", FdKind::OtherSocket},
    {"RAW", FdKind::OtherSocket},
    {"PACKET", FdKind::OtherSocket},
    {"SCTP", FdKind::OtherSocket},
    {"socket:", FdKind::OtherSocket},
    {"pipe:", FdKind::Pipe},
    {"anon_inode:[eventfd", FdKind::Eventfd},
    {"anon_inode:[timerfd", FdKind::Timerfd},
    {"anon_inode:[signalfd", FdKind::Signalfd},
    {"anon_inode:[eventpoll", FdKind::Epoll},
    {"anon_inode:", FdKind::OtherAnon},
    {"/", FdKind::File},
}};

// "TCP:[127.0.0.1:80->127.0.0.1:5555]" -> "127.0.0.1:80->127.0.0.1:5555".
std::string_view bracketed(std::string_view decoration) {
  const std::size_t open = decoration.find('[');
  if (open == std::string_view::npos || decoration.empty() || decoration.back() != ']') return {};
  return decoration.substr(open + 1, decoration.size() - open - 2);
}

bool allDigits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Two socket decorations of one protocol: the same socket unless both name something that
// does not change for a socket's life and differ (an inode, a local address, a peer).
bool sameSocket(std::string_view previous, std::string_view next) {
  const std::string_view a = bracketed(previous);
  const std::string_view b = bracketed(next);
  if (a == b || allDigits(a) || allDigits(b)) return true;  // unbound: only an inode is shown
  const std::size_t arrowA = a.find("->");
  const std::size_t arrowB = b.find("->");
  if (a.substr(0, arrowA) != b.substr(0, arrowB)) return false;  // another local address
  // Bound, then connected: the peer appears; two different peers are two sockets.
  return arrowA == std::string_view::npos || arrowB == std::string_view::npos;
}

}  // namespace

FdKind fdKindOfDecoration(std::string_view decoration) {
  if (decoration.empty()) return FdKind::Unknown;
  for (const auto& [prefix, kind] : kPrefixes) {
    if (decoration.starts_with(prefix)) return kind;
  }
  return FdKind::File;  // a relative path, or one strace could not resolve
}

std::string_view fdKindName(FdKind kind) {
  switch (kind) {
    case FdKind::Unknown:
      return "unknown";
    case FdKind::Tcp:
      return "tcp";
    case FdKind::Udp:
      return "udp";
    case FdKind::Unix:
      return "unix";
    case FdKind::OtherSocket:
      return "socket";
    case FdKind::Pipe:
      return "pipe";
    case FdKind::Eventfd:
      return "eventfd";
    case FdKind::Timerfd:
      return "timerfd";
    case FdKind::Signalfd:
      return "signalfd";
    case FdKind::Epoll:
      return "epoll";
    case FdKind::OtherAnon:
      return "anon_inode";
    case FdKind::File:
      return "file";
  }
  return "unknown";
}

bool fdKindIsSocket(FdKind kind) {
  return kind == FdKind::Tcp || kind == FdKind::Udp || kind == FdKind::Unix ||
         kind == FdKind::OtherSocket;
}

bool sameDescriptor(std::string_view previous, std::string_view next) {
  if (previous.empty() || next.empty() || previous == next) return true;
  const FdKind kind = fdKindOfDecoration(previous);
  if (kind != fdKindOfDecoration(next)) return false;
  return fdKindIsSocket(kind) && sameSocket(previous, next);
}

std::string_view labelDecoration(std::string_view label) {
  if (!label.starts_with("fd ")) return {};
  const std::size_t space = label.find(' ', 3);
  return space == std::string_view::npos ? std::string_view() : label.substr(space + 1);
}

}  // namespace eps
