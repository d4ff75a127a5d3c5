// The state's queries and its words: what the kernel panel, the epoll picture and
// --state-out say about a thread's position and a diagnosis.
#include "core/kernelstate/kernel_state.hpp"

#include "core/base/names.hpp"

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

std::string positionText(const EnginePosition& position, std::int64_t atNs) {
  if (position.call == Call::None) return "not started";
  TraceEvent call;
  call.kind = EventKind::Call;
  call.call = position.call;
  call.op = position.op;
  const std::string name(callNameOf(call));
  if (position.asleepAfter) return "asleep in epoll_wait (stranded)";
  const bool inside = atNs < position.tNs + position.durNs;
  if (isReadinessWait(position.call)) {
    return (inside ? "in " : "back from ") + name + " (" + std::to_string(position.ret) +
           " ready)";
  }
  if (position.fd < 0) return (inside ? "in " : "after ") + name;
  return "handling fd " + std::to_string(position.fd) + ": " + name + " = " +
         std::to_string(position.ret);
}

std::string diagnosisText(const DiagnosisState& d) {
  const std::string on = d.fd >= 0 ? " on fd " + std::to_string(d.fd) : "";
  const std::string guessed = d.inferred ? " (inferred)" : "";
  switch (d.kind) {
    case EventKind::Stranded:
      if (d.count <= 0) return "stranded" + on + guessed;
      return "stranded " + std::to_string(d.count) + (d.connections ? " conns" : " B") + on +
             guessed;
    case EventKind::Busy:
      return "busy: " + std::to_string(d.count) + " idle wakeups" + on + guessed;
    case EventKind::Blocked: return "blocked" + on + guessed;
    case EventKind::Crash: return "crash" + on;
    case EventKind::Herd: return "thundering herd" + on + guessed;
    default: return std::string(eventKindName(d.kind)) + on;
  }
}

}  // namespace eps
