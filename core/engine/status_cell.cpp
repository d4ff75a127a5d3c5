#include "core/engine/status_cell.hpp"

namespace eps {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;
}

// The classic sequence lock (Linux's seqcount, Boehm's "Can seqlocks get along with
// programming language memory models?"): the version goes odd, the fields are written, the
// version goes even. Every field is an atomic, so no access is a data race.
void StatusCell::store(const EngineStatus& status) {
  const std::uint64_t version = version_.load(kRelaxed);
  version_.store(version + 1, kRelaxed);
  std::atomic_thread_fence(std::memory_order_release);
  mode_.store(status.mode, kRelaxed);
  pendingCall_.store(status.pendingCall, kRelaxed);
  pendingFd_.store(status.pendingFd, kRelaxed);
  pendingBytes_.store(status.pendingBytes, kRelaxed);
  inCall_.store(status.inCall, kRelaxed);
  callSinceNs_.store(status.callSinceNs, kRelaxed);
  paceMs_.store(status.paceMs, kRelaxed);
  callsMade_.store(status.callsMade, kRelaxed);
  idleWakeups_.store(status.idleWakeups, kRelaxed);
  version_.store(version + 2, std::memory_order_release);
}

EngineStatus StatusCell::load() const {
  EngineStatus status;
  for (;;) {
    const std::uint64_t before = version_.load(std::memory_order_acquire);
    status.mode = mode_.load(kRelaxed);
    status.pendingCall = pendingCall_.load(kRelaxed);
    status.pendingFd = pendingFd_.load(kRelaxed);
    status.pendingBytes = pendingBytes_.load(kRelaxed);
    status.inCall = inCall_.load(kRelaxed);
    status.callSinceNs = callSinceNs_.load(kRelaxed);
    status.paceMs = paceMs_.load(kRelaxed);
    status.callsMade = callsMade_.load(kRelaxed);
    status.idleWakeups = idleWakeups_.load(kRelaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    if ((before & 1) == 0 && version_.load(kRelaxed) == before) return status;
  }
}

}  // namespace eps
