// Worker threads sharing the engine's listener, to show the thundering herd (EPOLL-FACTS
// §2.13): each worker has its own epoll instance with the listener registered (with or
// without EPOLLEXCLUSIVE), its own trace writer (its own epoll_wait lane), and accepts;
// the engine thread serves what they accept.
#pragma once

#include <netinet/in.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/engine/kernel_seam.hpp"
#include "core/trace/recorder.hpp"

namespace eps {

// A connection a worker accepted, waiting for the engine thread to adopt it.
struct HandedOff {
  int fd = -1;
  sockaddr_in peer{};
};

// Ownership: owned by the EventLoop, started and stopped on the engine thread. Each worker
// runs on its own thread; `takeAccepted` is thread-safe. Workers do not pause or step: the
// engine's gate governs the engine thread only.
class WorkerPool {
 public:
  // `wake` is called (from a worker thread) after a connection was handed off.
  WorkerPool(Recorder& recorder, std::function<void()> wake);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Starts `count` workers on `listenFd`; returns when each has registered the listener.
  void start(int count, int listenFd, bool exclusive);
  // Engine thread: writes each worker's eventfd through the engine's seam (recorded), joins
  // them, then closes those eventfds; each worker closes its own epoll instance.
  void stop(KernelSeam& engineSeam);
  bool running() const { return !workers_.empty(); }
  // Engine thread, on every registration pass: a relaxed load when nothing was handed over.
  std::vector<HandedOff> takeAccepted();

 private:
  struct Worker;
  void handOff(const HandedOff& accepted);

  Recorder& recorder_;
  std::function<void()> wake_;
  std::vector<TraceWriter*> writers_;  // one per worker index, made once and reused
  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex mutex_;
  std::vector<HandedOff> accepted_;  // guarded by mutex_
  std::atomic<bool> anyAccepted_{false};
};

}  // namespace eps
