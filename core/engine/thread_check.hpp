// Thread affinity, stated and asserted (muduo's EventLoop::assertInLoopThread): every class
// of the engine belongs to the engine thread, and says so in its first comment line. Each
// holds an EngineThread made where it is constructed — on the engine thread, in
// Engine::Impl::runEngineThread — and checks it at the top of what it does; a call from any
// other thread is a bug and aborts with where it happened (engine_bug.hpp).
//
// Active in Debug and sanitizer builds (the asan and tsan presets build Debug; the sanitizer
// macros keep it on should one ever add NDEBUG), compiled out in Release: the check costs a
// thread-id comparison per call the engine makes. EPOLLSCOPE_THREAD_ASSERTS=0 or 1 forces it.
#pragma once

#include <source_location>
#include <thread>

#include "core/engine/engine_bug.hpp"

#if !defined(EPOLLSCOPE_THREAD_ASSERTS)
#if !defined(NDEBUG) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define EPOLLSCOPE_THREAD_ASSERTS 1
#else
#define EPOLLSCOPE_THREAD_ASSERTS 0
#endif
#endif

namespace eps {

// Ownership: a value inside each engine class; remembers the thread that constructed it.
class EngineThread {
 public:
  static constexpr bool kChecked = EPOLLSCOPE_THREAD_ASSERTS != 0;

#if EPOLLSCOPE_THREAD_ASSERTS
  EngineThread() : id_(std::this_thread::get_id()) {}
  void check(std::source_location where = std::source_location::current()) const {
    if (std::this_thread::get_id() != id_) engineBug("called off the engine thread", where);
  }

 private:
  std::thread::id id_;
#else
  void check(std::source_location = std::source_location::current()) const {}
#endif
};

}  // namespace eps
