#include "core/engine/engine_bug.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/base/names.hpp"

namespace eps {

void engineBug(std::string_view what, std::source_location where) {
  std::fprintf(stderr, "epollscope: engine bug at %s:%u (%s): %.*s\n", where.file_name(),
               static_cast<unsigned>(where.line()), where.function_name(),
               static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  std::abort();
}

bool impossibleOnOwnFd(int err) {
  return err == EBADF || err == EFAULT || err == EINVAL;
}

void abortIfImpossible(Call call, int fd, int err, std::source_location where) {
  if (!impossibleOnOwnFd(err)) return;
  engineBug(std::string(callName(call)) + "(" + std::to_string(fd) + ") failed with " +
                errnoName(err) + " on a descriptor the engine owns",
            where);
}

}  // namespace eps
