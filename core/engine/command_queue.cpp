#include "core/engine/command_queue.hpp"

#include <unistd.h>

#include <cstdint>

namespace eps {

std::uint64_t CommandQueue::push(Command command) {
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(mutex_);
    ticket = nextTicket_++;
    command.ticket = ticket;
    queue_.push_back(command);
    pending_.store(true, std::memory_order_seq_cst);
    // Dekker-style handshake with enterWait(): both sides use seq_cst, so either the engine
    // sees pending_ before it sleeps, or we see inWait_ and wake it through the eventfd.
    // The write happens under the lock: the engine cannot take this command, stop, and
    // close the eventfd (retireWakeFd) while the write is still to come.
    if (wakeFd_ >= 0 && inWait_.load(std::memory_order_seq_cst)) {
      const std::uint64_t one = 1;
      [[maybe_unused]] const ssize_t n = ::write(wakeFd_, &one, sizeof one);
    }
  }
  engineCv_.notify_one();
  return ticket;
}

void CommandQueue::setWakeFd(int eventFd) {
  std::lock_guard lock(mutex_);
  wakeFd_ = eventFd;
}

std::deque<Command> CommandQueue::takeAll() {
  std::lock_guard lock(mutex_);
  std::deque<Command> out;
  out.swap(queue_);
  pending_.store(false, std::memory_order_seq_cst);
  return out;
}

bool CommandQueue::enterWait() {
  inWait_.store(true, std::memory_order_seq_cst);
  return pending_.load(std::memory_order_seq_cst);
}

void CommandQueue::waitForCommand(std::chrono::milliseconds bound) {
  std::unique_lock lock(mutex_);
  engineCv_.wait_for(lock, bound, [this] { return !queue_.empty() || closed_; });
}

void CommandQueue::markApplied(std::uint64_t ticket) {
  {
    std::lock_guard lock(mutex_);
    if (ticket > applied_) applied_ = ticket;
  }
  appliedCv_.notify_all();
}

bool CommandQueue::waitApplied(std::uint64_t ticket, std::chrono::milliseconds bound) {
  std::unique_lock lock(mutex_);
  return appliedCv_.wait_for(lock, bound, [&] { return applied_ >= ticket || closed_; }) &&
         applied_ >= ticket;
}

std::uint64_t CommandQueue::lastTicket() const {
  std::lock_guard lock(mutex_);
  return nextTicket_ - 1;
}

std::uint64_t CommandQueue::appliedTicket() const {
  std::lock_guard lock(mutex_);
  return applied_;
}

void CommandQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  appliedCv_.notify_all();
  engineCv_.notify_all();
}

}  // namespace eps
