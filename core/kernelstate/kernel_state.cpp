// The state's queries and its words: what the kernel panel, the epoll picture and
// --state-out say about a thread's position and a diagnosis.
#include "core/kernelstate/kernel_state.hpp"

#include "core/base/names.hpp"
#include "core/base/phrases.hpp"

namespace eps {

std::int64_t KernelState::heldTotal() const {
  std::int64_t total = 0;
  for (const auto& [fd, socket] : sockets) total += socket.held;
  return total;
}

const SocketState* KernelState::socket(int fd) const {
  const auto found = sockets.find(fd);
  return found == sockets.end() ? nullptr : &found->second;
}

bool KernelState::onReadyList(int fd) const {
  for (const auto& [epfd, instance] : epolls) {
    for (const ReadyEntry& ready : instance.ready) {
      if (ready.fd == fd) return true;
    }
  }
  return false;
}

const InterestEntry* KernelState::interestOf(int fd) const {
  for (const auto& [epfd, instance] : epolls) {
    if (const auto found = instance.interest.find(fd); found != instance.interest.end()) {
      return &found->second;
    }
  }
  return nullptr;
}

const DiagnosisState* KernelState::strandedAt(int fd) const {
  for (const DiagnosisState& d : diagnoses) {
    if (d.kind == EventKind::Stranded && d.fd == fd) return &d;
  }
  return nullptr;
}

std::string positionText(const EnginePosition& position, std::int64_t atNs, Phrases say) {
  if (position.call == Call::None) return words(say, "not started");
  TraceEvent call;
  call.kind = EventKind::Call;
  call.call = position.call;
  call.op = position.op;
  const std::string name(callNameOf(call));
  if (position.asleepAfter) return words(say, "asleep in epoll_wait (stranded)");
  const bool inside = atNs < position.tNs + position.durNs;
  const auto ret = static_cast<long long>(position.ret);
  if (isReadinessWait(position.call)) {
    return inside ? phrase(say, "in %s (%lld ready)", name.c_str(), ret)
                  : phrase(say, "back from %s (%lld ready)", name.c_str(), ret);
  }
  if (position.fd < 0) {
    return inside ? phrase(say, "in %s", name.c_str()) : phrase(say, "after %s", name.c_str());
  }
  return phrase(say, "handling fd %d: %s = %lld", position.fd, name.c_str(), ret);
}

std::string diagnosisText(const DiagnosisState& d, Phrases say) {
  const std::string on = d.fd >= 0 ? phrase(say, " on fd %d", d.fd) : "";
  const std::string guessed = d.inferred ? words(say, " (inferred)") : "";
  const auto count = static_cast<long long>(d.count);
  switch (d.kind) {
    case EventKind::Stranded:
      if (d.count <= 0) return words(say, "stranded") + on + guessed;
      return (d.connections ? phrase(say, "stranded %lld conns", count)
                            : phrase(say, "stranded %lld B", count)) +
             on + guessed;
    case EventKind::Busy:
      return phrase(say, "busy: %lld idle wakeups", count) + on + guessed;
    case EventKind::Blocked:
      return words(say, "blocked") + on + guessed;
    case EventKind::Crash:
      return words(say, "crash") + on;
    case EventKind::Herd:
      return words(say, "thundering herd") + on + guessed;
    default: return std::string(eventKindName(d.kind)) + on;
  }
}

}  // namespace eps
