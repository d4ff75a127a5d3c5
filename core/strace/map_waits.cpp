// The readiness waits other than epoll's (poll, ppoll, select, pselect6): a wait on its
// thread's lane named for the call, and a Ready record per descriptor its result reports, with
// the poll(2) bits as the epoll bits they equal (POLLIN is EPOLLIN, ...).
#include <poll.h>
#include <sys/epoll.h>

#include <array>

#include "core/base/names.hpp"
#include "core/strace/mapper.hpp"
#include "core/strace/parse.hpp"

namespace eps {
namespace {

using ReadyFd = std::pair<int, std::uint32_t>;  // fd, epoll-like events

// "POLLIN|POLLHUP" as epoll bits. POLLNVAL (not an open fd) has no epoll twin: an error.
std::uint32_t pollMask(std::string_view names) {
  static constexpr std::array<std::pair<std::string_view, std::uint32_t>, 10> kBits = {{
      {"POLLIN", EPOLLIN},
      {"POLLPRI", EPOLLPRI},
      {"POLLOUT", EPOLLOUT},
      {"POLLERR", EPOLLERR},
      {"POLLHUP", EPOLLHUP},
      {"POLLNVAL", EPOLLERR},
      {"POLLRDNORM", EPOLLRDNORM},
      {"POLLRDBAND", EPOLLRDBAND},
      {"POLLWRNORM", EPOLLWRNORM},
      {"POLLRDHUP", EPOLLRDHUP},
  }};
  std::uint32_t mask = 0;
  while (!names.empty()) {
    const std::size_t bar = names.find('|');
    const std::string_view name = names.substr(0, bar);
    for (const auto& [known, bit] : kBits) {
      if (known == name) mask |= bit;
    }
    if (bar == std::string_view::npos) break;
    names.remove_prefix(bar + 1);
  }
  return mask;
}

void addReady(std::vector<ReadyFd>& out, int fd, std::uint32_t events) {
  if (fd < 0) return;
  for (ReadyFd& ready : out) {
    if (ready.first == fd) {
      ready.second |= events;
      return;
    }
  }
  out.emplace_back(fd, events);
}

// poll's and ppoll's result: "[{fd=3, revents=POLLIN}, {fd=5, revents=POLLOUT}], left {...}".
void pollReady(std::string_view note, std::vector<ReadyFd>& out) {
  constexpr std::string_view kFd = "{fd=", kRevents = "revents=";
  for (std::size_t at = note.find(kFd); at != std::string_view::npos; at = note.find(kFd, at + 1)) {
    const std::size_t close = note.find('}', at);
    const std::string_view entry =
        note.substr(at, close == std::string_view::npos ? close : close - at);
    const std::size_t revents = entry.find(kRevents);
    if (revents == std::string_view::npos) continue;
    std::string_view names = entry.substr(revents + kRevents.size());
    names = names.substr(0, names.find_first_of(", }"));
    std::string_view fd = entry.substr(kFd.size());
    addReady(out, leadingFd(fd.substr(0, fd.find(','))), pollMask(names));
  }
}

// select's and pselect6's result: "in [3 4], out [5], except [6], left {...}".
void selectReady(std::string_view note, std::vector<ReadyFd>& out) {
  static constexpr std::array<std::pair<std::string_view, std::uint32_t>, 3> kSets = {
      {{"in [", EPOLLIN}, {"out [", EPOLLOUT}, {"except [", EPOLLPRI}}};
  for (const auto& [prefix, events] : kSets) {
    const std::size_t at = note.find(prefix);
    if (at == std::string_view::npos) continue;
    std::string_view fds = note.substr(at + prefix.size());
    fds = fds.substr(0, fds.find(']'));
    while (!fds.empty()) {
      const std::size_t space = fds.find(' ');
      addReady(out, leadingFd(fds.substr(0, space)), events);
      if (space == std::string_view::npos) break;
      fds.remove_prefix(space + 1);
    }
  }
}

}  // namespace

// "poll (tid 5114)": the lane of one thread's waits in one call, named once per (tid, call).
std::uint32_t StraceMapper::pollLabel(int pid, Call call) {
  const std::uint64_t key =
      (std::uint64_t{static_cast<std::uint32_t>(pid)} << 8) | static_cast<std::uint8_t>(call);
  auto [it, inserted] = pollLabels_.try_emplace(key, 0);
  if (inserted) {
    it->second = intern(std::string(callName(call)) + " (tid " + std::to_string(pid) + ")");
  }
  return it->second;
}

void StraceMapper::mapPollWait(const StraceCall& call, TraceEvent& event) {
  const bool isPoll = event.call == Call::Poll || event.call == Call::Ppoll;
  const std::string_view nfds = call.args.size() > 1 && isPoll ? call.args[1]
                                : call.args.empty()            ? std::string_view()
                                                               : call.args[0];
  event.a = parseInteger(nfds).value_or(0);
  const std::size_t timeoutArg = isPoll ? 2 : 4;
  const std::string_view timeout =
      timeoutArg < call.args.size() ? std::string_view(call.args[timeoutArg]) : "NULL";
  event.b = event.call == Call::Poll ? parseInteger(timeout).value_or(-1) : timespecMillis(timeout);
  event.conn = pollLabel(call.pid, event.call);
  emit(event);
  if (event.ret <= 0) return;
  readyFds_.clear();
  if (isPoll) {
    pollReady(call.retNote, readyFds_);
  } else {
    selectReady(call.retNote, readyFds_);
  }
  std::int64_t index = 0;
  for (const auto& [fd, events] : readyFds_) {
    TraceEvent ready;
    ready.kind = EventKind::Ready;
    ready.flags = kEventImported;
    ready.thread = event.thread;
    ready.tNs = event.tNs + event.durNs;  // as epoll_wait's: stamped as the wait returns
    ready.fd = fd;
    ready.events = events;
    ready.a = index++;
    ready.conn = fdLabel(keyOf(call.pid, fd), {});
    emit(ready);
  }
}

}  // namespace eps
