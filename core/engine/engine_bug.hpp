// A bug in the engine, found on the engine thread: said on stderr with what and where, then
// std::abort. errno is sorted on purpose (STYLE.md point 4): results such as EAGAIN, EPIPE,
// ECONNRESET and EMFILE are data in the trace; EINTR is retried; an error that cannot happen
// on a descriptor the engine made and still owns (EBADF, EFAULT, EINVAL) means the engine's
// own bookkeeping is wrong, and going on would only hide where.
#pragma once

#include <exception>
#include <source_location>
#include <string>
#include <string_view>

#include "core/base/trace_event.hpp"

namespace eps {

// Prints "epollscope: engine bug at FILE:LINE (FUNCTION): WHAT" to stderr and aborts.
[[noreturn]] void engineBug(std::string_view what,
                            std::source_location where = std::source_location::current());

// True for the errno values a call on a descriptor the engine owns can never return.
bool impossibleOnOwnFd(int err);

// After a failed `call` on `fd`, a descriptor the engine owns: aborts (engineBug, naming the
// call, the fd and the errno) when `err` is impossible there; returns otherwise.
void abortIfImpossible(Call call, int fd, int err,
                       std::source_location where = std::source_location::current());

// Runs `body`; an exception escaping it is an engine bug: engineBug names the exception.
template <typename Body>
void abortOnException(Body&& body, std::source_location where = std::source_location::current()) {
  try {
    body();
  } catch (const std::exception& error) {
    engineBug(std::string("exception escaped the engine thread: ") + error.what(), where);
  } catch (...) {
    engineBug("exception of unknown type escaped the engine thread", where);
  }
}

}  // namespace eps
