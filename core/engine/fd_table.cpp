#include "core/engine/fd_table.hpp"

#include "core/engine/kernel_seam.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace eps {
namespace {

// Above this soft limit the emulation would fill a million-entry table: see softLimit().
// Each placeholder is a recorded fcntl, so this also bounds the burst of events one limit
// change writes: 16384 fits the engine's trace ring (Recorder::kDefaultRingCapacity, 65536)
// with room for the calls around it, where 65536 placeholders would overflow it.
constexpr rlim_t kMostPlaceholderRoom = 16384;

}  // namespace

// close_range(2) (Linux 5.9) in one call; before it, one close per number below the soft
// limit (no descriptor can be above it here). Recorded, like every call of the engine thread.
void EngineFdTable::closeRange(unsigned first, unsigned last) {
  if (first > last || seam_.closeRange(first, last) == 0) return;
  rlimit limit{};
  seam_.prlimit(RLIMIT_NOFILE, nullptr, &limit);
  const rlim_t end =
      std::min<rlim_t>(rlim_t{last} + 1, std::min(limit.rlim_cur, kMostPlaceholderRoom));
  for (rlim_t fd = first; fd < end; ++fd) seam_.close(static_cast<int>(fd));
}

int EngineFdTable::makeOwn(int keep) {
  if (seam_.unshare(CLONE_FILES) != 0) {
    ownError_ = errno;
    return ownError_;
  }
  own_ = true;
  constexpr unsigned kFirstAfterStdio = 3;
  constexpr unsigned kLast = ~0U;
  if (keep < static_cast<int>(kFirstAfterStdio)) {
    closeRange(kFirstAfterStdio, kLast);
  } else {
    closeRange(kFirstAfterStdio, static_cast<unsigned>(keep) - 1);
    closeRange(static_cast<unsigned>(keep) + 1, kLast);
  }
  return 0;
}

// The real soft limit, which bounds the placeholders. When it is huge (a container's 1M),
// filling it would take a million descriptors and seconds; it is lowered once, for the
// whole process, to 16384 — still far more than the window or the clients ever use.
int EngineFdTable::softLimit() {
  rlimit limit{};
  if (seam_.prlimit(RLIMIT_NOFILE, nullptr, &limit) != 0) {
    return static_cast<int>(kMostPlaceholderRoom);
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > kMostPlaceholderRoom) {
    limit.rlim_cur = kMostPlaceholderRoom;
    if (seam_.prlimit(RLIMIT_NOFILE, &limit, nullptr) != 0) {
      return static_cast<int>(kMostPlaceholderRoom);
    }
  }
  return static_cast<int>(limit.rlim_cur);
}

// Counted by asking this table about each number (fcntl F_GETFD: EBADF means free) rather
// than by listing /proc/thread-self/fd: a listing opens a descriptor, which takes a number
// itself. Whatever other threads of the process hold (a sanitizer's pipes, the window's files)
// is not in this table. Placeholders count as free: they are the limit in force, which this
// one replaces.
// Each probe is recorded (fcntl F_GETFD on the engine's lanes). Why ask the kernel rather than
// keep a shadow of the table: after unshare + close_range the table holds stdio and the
// command eventfd only, but the engine thread is not its only user — the workers and the wait
// sampler share it, and stdio may be closed by the embedding program — so a shadow could be
// wrong exactly where a lesson counts free numbers. The scan is short, not a flood: the kernel
// hands out the lowest free number, the table is dense, and it stops at the (more+1)-th free
// number (a handful of calls for `allow N more`).
int EngineFdTable::limitAllowing(int more) {
  const int soft = softLimit();
  int freeSeen = 0;
  for (int fd = 0; fd < soft; ++fd) {
    const bool free = placeholder(fd) || (seam_.fcntl(fd, F_GETFD) == -1 && errno == EBADF);
    if (free && freeSeen++ == more) return fd;
  }
  return soft;
}

bool EngineFdTable::placeholder(int fd) const {
  for (const auto& [first, last] : placeholders_) {
    if (fd >= first && fd <= last) return true;
  }
  return false;
}

int EngineFdTable::setLimit(int limit, int source) {
  release();
  if (limit <= 0) return 0;
  if (!own_) return ownError_ != 0 ? ownError_ : EPERM;  // it would starve the whole process
  limit_ = limit;
  const int soft = softLimit();
  for (int from = limit; from < soft;) {
    // The lowest free number at or above `from`: EMFILE (or EINVAL) once there is none.
    const int fd = seam_.fcntl(source, F_DUPFD_CLOEXEC, from);
    if (fd < 0) return errno == EMFILE || errno == EINVAL ? 0 : errno;
    if (!placeholders_.empty() && placeholders_.back().second + 1 == fd) {
      placeholders_.back().second = fd;
    } else {
      placeholders_.emplace_back(fd, fd);
    }
    from = fd + 1;
  }
  return 0;
}

// F_DUPFD rather than dup2: should another thread of this table have taken the number in
// between (a worker's accept4), dup2 would silently close its descriptor.
void EngineFdTable::refill(int fd, int source) {
  if (limit_ <= 0 || fd < limit_) return;
  const int placeholder = seam_.fcntl(source, F_DUPFD_CLOEXEC, fd);
  if (placeholder >= 0) placeholders_.emplace_back(placeholder, placeholder);
}

void EngineFdTable::release() {
  for (const auto& [first, last] : placeholders_) {
    closeRange(static_cast<unsigned>(first), static_cast<unsigned>(last));
  }
  placeholders_.clear();
  limit_ = 0;
}

}  // namespace eps
