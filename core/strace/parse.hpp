// Internal to the strace importer: readers for the argument texts strace prints (epoll_event
// structs and arrays, sockaddrs, flag sets, timespecs). Hand-written scanners, no std::regex:
// they run once or more per line of logs of millions of lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace eps {

// A decimal (or 0x hex) integer, the whole text: "64", "-1", "0x10"; nullopt otherwise.
std::optional<std::int64_t> parseInteger(std::string_view text);
// epoll_pwait2's timeout "{tv_sec=1, tv_nsec=500000000}" in ms (select's {tv_sec, tv_usec}
// too); "NULL" (wait forever) is -1.
std::int64_t timespecMillis(std::string_view text);
// "{events=EPOLLIN|EPOLLET, data={u32=5, u64=5}}": the mask and the 64-bit data. Unknown mask
// names are skipped; false if there is no events= field.
bool parseEpollEvent(std::string_view text, std::uint32_t& mask, std::uint64_t& data);
// accept4's flags: "SOCK_CLOEXEC|SOCK_NONBLOCK" as numbers; "0" and unknown names are 0.
std::int64_t socketFlags(std::string_view text);
// The peer's port in a connected socket's -yy decoration, "TCP:[127.0.0.1:5555->127.0.0.1:
// 59808]" -> 59808 (IPv6 "[::1]:59808" too); 0 if there is none.
int peerPort(std::string_view decoration);
// The port of a sockaddr argument: "{sa_family=AF_INET, sin_port=htons(42052), ...}"; 0 if none.
int sinPort(std::string_view text);
// shutdown's how: SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2 (or the number).
std::int64_t shutdownHow(std::string_view text);

// Calls each(mask, data) for every {events=..., data=...} entry of an epoll_event array as
// epoll_wait prints it; stops at strace's "..." abbreviation and at anything unbalanced.
template <typename Each>
void forEachEpollEvent(std::string_view array, Each each) {
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const char c = array[i];
    if (c == '{') {
      if (depth++ == 0) start = i;
    } else if (c == '}') {
      if (depth == 0) return;
      if (--depth == 0) {
        std::uint32_t mask = 0;
        std::uint64_t data = 0;
        if (parseEpollEvent(array.substr(start, i - start + 1), mask, data)) each(mask, data);
      }
    }
  }
}

}  // namespace eps
