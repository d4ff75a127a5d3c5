#include "core/engine/workers.hpp"

#include <sys/eventfd.h>
#include <sys/socket.h>

#include <unistd.h>

#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <utility>

namespace eps {
namespace {

constexpr std::uint64_t kStopData = 3;  // high half of epoll data; the listener keeps serial 1

// A woken worker waits this long before accept4, so the other woken workers are seen to wake
// too. Without it the herd is mostly invisible as returns: woken threads re-poll, find
// nothing and sleep again inside epoll_wait (EPOLL-FACTS §2.13, e17).
constexpr auto kHerdWindow = std::chrono::milliseconds(5);

}  // namespace

struct WorkerPool::Worker {
  Worker(TraceWriter& writer, WorkerPool& owner) : seam(writer, gate), pool(owner) {}

  void run(int listenFd, bool exclusive) {
    epfd = seam.epollCreate1(EPOLL_CLOEXEC);
    const int stop = seam.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    seam.epollCtl(epfd, EPOLL_CTL_ADD, stop, EPOLLIN,
                  kStopData << 32 | static_cast<unsigned>(stop));
    const std::uint32_t mask = EPOLLIN | (exclusive ? EPOLLEXCLUSIVE : 0u);
    seam.epollCtl(epfd, EPOLL_CTL_ADD, listenFd, mask,
                  std::uint64_t{1} << 32 | static_cast<unsigned>(listenFd));
    ready.set_value(stop);
    serve(listenFd);
    // The stop eventfd is closed by the engine thread after the join: closing it here could
    // race the engine's write, which may still be inside the kernel when this thread wakes.
    seam.close(epfd);
  }

  void serve(int listenFd) {
    epoll_event events[4];
    for (;;) {
      const int n = seam.epollWait(epfd, events, 4, -1);
      for (int i = 0; i < n; ++i) {
        if (events[i].data.u64 >> 32 == kStopData) return;
        std::this_thread::sleep_for(kHerdWindow);
        HandedOff accepted;
        accepted.fd = seam.accept4(listenFd, &accepted.peer, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (accepted.fd >= 0) pool.handOff(accepted);
      }
    }
  }

  OpenGate gate;
  KernelSeam seam;
  WorkerPool& pool;
  int epfd = -1;
  int stopFd = -1;
  std::promise<int> ready;  // the worker's eventfd, once the listener is registered
  std::thread thread;
};

WorkerPool::WorkerPool(Recorder& recorder, std::function<void()> wake)
    : recorder_(recorder), wake_(std::move(wake)) {}

// The engine's teardown always calls stop(); a worker still joinable here would terminate
// the process (std::thread's rule) rather than outlive the pool it refers to.
WorkerPool::~WorkerPool() = default;

void WorkerPool::start(int count, int listenFd, bool exclusive) {
  for (int i = 0; i < count; ++i) {
    if (static_cast<int>(writers_.size()) <= i) {
      writers_.push_back(&recorder_.addWriter("worker " + std::to_string(i + 1), Actor::Engine,
                                              static_cast<std::uint8_t>(i + 1)));
    }
    auto worker = std::make_unique<Worker>(*writers_[static_cast<std::size_t>(i)], *this);
    auto stopFd = worker->ready.get_future();
    Worker& w = *worker;
    TraceWriter& writer = *writers_[static_cast<std::size_t>(i)];
    worker->thread = std::thread([&w, &writer, listenFd, exclusive] {
      writer.setTid(static_cast<int>(::gettid()));
      w.run(listenFd, exclusive);
    });
    worker->stopFd = stopFd.get();
    workers_.push_back(std::move(worker));
  }
}

void WorkerPool::stop(KernelSeam& engineSeam) {
  for (auto& worker : workers_) {
    const std::uint64_t one = 1;
    engineSeam.write(worker->stopFd, &one, sizeof one);
  }
  for (auto& worker : workers_) {
    worker->thread.join();
    engineSeam.close(worker->stopFd);
  }
  workers_.clear();
}

std::vector<HandedOff> WorkerPool::takeAccepted() {
  if (!anyAccepted_.load(std::memory_order_acquire)) return {};
  std::lock_guard lock(mutex_);
  anyAccepted_.store(false, std::memory_order_relaxed);
  return std::exchange(accepted_, {});
}

void WorkerPool::handOff(const HandedOff& accepted) {
  {
    std::lock_guard lock(mutex_);
    accepted_.push_back(accepted);
    anyAccepted_.store(true, std::memory_order_release);
  }
  wake_();
}

}  // namespace eps
