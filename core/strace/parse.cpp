#include "core/strace/parse.hpp"

#include <sys/socket.h>

#include <charconv>

#include "core/base/names.hpp"

namespace eps {
namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The unsigned number right after `key` in `text` ("u64=" in "{u32=5, u64=5}"), decimal or
// 0x hex; nullopt if the key or the digits are missing.
std::optional<std::uint64_t> numberAfter(std::string_view text, std::string_view key) {
  const std::size_t at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const char* begin = text.data() + at + key.size();
  const char* end = text.data() + text.size();
  int base = 10;
  if (end - begin > 2 && begin[0] == '0' && begin[1] == 'x') {
    begin += 2;
    base = 16;
  }
  std::uint64_t value = 0;
  const auto result = std::from_chars(begin, end, value, base);
  if (result.ec != std::errc()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::int64_t> parseInteger(std::string_view text) {
  text = trimmed(text);
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const auto result = text.starts_with("0x") ? std::from_chars(begin + 2, end, value, 16)
                                             : std::from_chars(begin, end, value);
  if (result.ec != std::errc() || result.ptr != end) return std::nullopt;
  return value;
}

std::int64_t timespecMillis(std::string_view text) {
  const auto seconds = numberAfter(text, "tv_sec=");
  if (!seconds) return -1;
  // select's timeval counts microseconds, the others' timespec nanoseconds.
  const auto usec = numberAfter(text, "tv_usec=");
  const auto nanos = usec ? *usec * 1000 : numberAfter(text, "tv_nsec=").value_or(0);
  return static_cast<std::int64_t>(*seconds * 1000 + nanos / 1'000'000);
}

bool parseEpollEvent(std::string_view text, std::uint32_t& mask, std::uint64_t& data) {
  const std::size_t at = text.find("events=");
  if (at == std::string_view::npos) return false;
  std::string_view names = text.substr(at + 7);
  names = names.substr(0, names.find_first_of(",}"));
  mask = 0;
  // Part by part, so one name this build does not know (EPOLLWAKEUP) keeps the others.
  while (!names.empty()) {
    const std::size_t bar = names.find('|');
    mask |= epollMaskFromName(trimmed(names.substr(0, bar))).value_or(0);
    if (bar == std::string_view::npos) break;
    names.remove_prefix(bar + 1);
  }
  if (const auto u64 = numberAfter(text, "u64=")) {
    data = *u64;
  } else if (const auto plain = numberAfter(text, "data=")) {
    data = *plain;  // newer strace prints data=0x5
  }
  return true;
}

std::int64_t socketFlags(std::string_view text) {
  std::int64_t flags = 0;
  if (text.find("SOCK_NONBLOCK") != std::string_view::npos) flags |= SOCK_NONBLOCK;
  if (text.find("SOCK_CLOEXEC") != std::string_view::npos) flags |= SOCK_CLOEXEC;
  return flags;
}

int peerPort(std::string_view decoration) {
  const std::size_t arrow = decoration.find("->");
  if (arrow == std::string_view::npos) return 0;
  std::string_view peer = decoration.substr(arrow + 2);
  peer = peer.substr(0, peer.rfind(']'));  // TCP:[a->b]: drop the closing bracket
  const std::size_t colon = peer.rfind(':');
  if (colon == std::string_view::npos) return 0;
  int port = 0;
  const auto result = std::from_chars(peer.data() + colon + 1, peer.data() + peer.size(), port);
  return result.ec == std::errc() ? port : 0;
}

int sinPort(std::string_view text) {
  auto port = numberAfter(text, "sin_port=htons(");
  if (!port) port = numberAfter(text, "sin6_port=htons(");
  return port && *port < 65536 ? static_cast<int>(*port) : 0;
}

std::int64_t shutdownHow(std::string_view text) {
  text = trimmed(text);
  if (text == "SHUT_RD") return SHUT_RD;
  if (text == "SHUT_WR") return SHUT_WR;
  if (text == "SHUT_RDWR") return SHUT_RDWR;
  return parseInteger(text).value_or(-1);
}

}  // namespace eps
