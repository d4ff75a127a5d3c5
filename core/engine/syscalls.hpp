// The descriptor calls the engine makes in its own descriptor table (engine/fd_table.hpp),
// spelled once for the seam and the table.
//
// Why this file: ThreadSanitizer keeps one record per descriptor *number* for the whole
// process — it assumes one table. The engine's table reuses numbers the rest of the process
// uses for other files, so under TSan the engine's accept4() = 6 and a client's read(6) on its
// own eventfd look like a data race "on file descriptor 6" between unrelated files. In a
// ThreadSanitizer build these calls therefore go to the kernel through syscall(2), past
// TSan's interceptors: the kernel, strace and the trace see the very same calls; TSan sees
// no descriptor of the engine's table (they are not the process's). Every memory access,
// lock and atomic is still checked. Any other build calls libc as usual.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace eps::sys {

#if defined(__SANITIZE_THREAD__)
inline long raw(long number, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0) {
  return ::syscall(number, a, b, c, d, e);
}
inline long arg(const void* pointer) { return reinterpret_cast<long>(pointer); }
inline int epollCreate1(int flags) { return static_cast<int>(raw(SYS_epoll_create1, flags)); }
inline int eventFd(unsigned initval, int flags) {
  return static_cast<int>(raw(SYS_eventfd2, initval, flags));
}
inline int socket(int domain, int type, int protocol) {
  return static_cast<int>(raw(SYS_socket, domain, type, protocol));
}
inline int bind(int fd, const sockaddr* address, socklen_t length) {
  return static_cast<int>(raw(SYS_bind, fd, arg(address), length));
}
inline int listen(int fd, int backlog) { return static_cast<int>(raw(SYS_listen, fd, backlog)); }
inline int epollWait(int epfd, epoll_event* events, int maxEvents, int timeoutMs) {
  return static_cast<int>(raw(SYS_epoll_wait, epfd, arg(events), maxEvents, timeoutMs));
}
inline int epollCtl(int epfd, int op, int fd, epoll_event* event) {
  return static_cast<int>(raw(SYS_epoll_ctl, epfd, op, fd, arg(event)));
}
#if defined(SYS_poll)
inline int poll(pollfd* fds, nfds_t nfds, int timeoutMs) {
  return static_cast<int>(raw(SYS_poll, arg(fds), static_cast<long>(nfds), timeoutMs));
}
#else
inline int poll(pollfd* fds, nfds_t nfds, int timeoutMs) {  // glibc's poll() on such machines
  timespec timeout{timeoutMs / 1000, (timeoutMs % 1000) * 1000000L};
  return static_cast<int>(
      raw(SYS_ppoll, arg(fds), static_cast<long>(nfds), timeoutMs < 0 ? 0 : arg(&timeout), 0, 8));
}
#endif
inline int accept4(int fd, sockaddr* peer, socklen_t* length, int flags) {
  return static_cast<int>(raw(SYS_accept4, fd, arg(peer), arg(length), flags));
}
inline ssize_t read(int fd, void* buffer, size_t count) {
  return raw(SYS_read, fd, arg(buffer), static_cast<long>(count));
}
inline ssize_t write(int fd, const void* buffer, size_t count) {
  return raw(SYS_write, fd, arg(buffer), static_cast<long>(count));
}
inline int close(int fd) { return static_cast<int>(raw(SYS_close, fd)); }
inline int shutdown(int fd, int how) { return static_cast<int>(raw(SYS_shutdown, fd, how)); }
inline int openat(int dirfd, const char* path, int flags) {
  return static_cast<int>(raw(SYS_openat, dirfd, arg(path), flags));
}
inline int closeRange(unsigned first, unsigned last) {
  return static_cast<int>(raw(SYS_close_range, first, last, 0));
}
inline int setsockopt(int fd, int level, int name, const void* value, socklen_t length) {
  return static_cast<int>(raw(SYS_setsockopt, fd, level, name, arg(value), length));
}
inline int fcntl(int fd, int command, long argument) {
  return static_cast<int>(raw(SYS_fcntl, fd, command, argument));
}
inline int getsockname(int fd, sockaddr* address, socklen_t* length) {
  return static_cast<int>(raw(SYS_getsockname, fd, arg(address), arg(length)));
}
inline int prlimit(int resource, const rlimit* set, rlimit* old) {
  return static_cast<int>(raw(SYS_prlimit64, 0, resource, arg(set), arg(old)));
}
inline int unshare(int flags) { return static_cast<int>(raw(SYS_unshare, flags)); }
#else
inline int epollCreate1(int flags) { return ::epoll_create1(flags); }
inline int eventFd(unsigned initval, int flags) { return ::eventfd(initval, flags); }
inline int socket(int domain, int type, int protocol) { return ::socket(domain, type, protocol); }
inline int bind(int fd, const sockaddr* address, socklen_t length) {
  return ::bind(fd, address, length);
}
inline int listen(int fd, int backlog) { return ::listen(fd, backlog); }
inline int epollWait(int epfd, epoll_event* events, int maxEvents, int timeoutMs) {
  return ::epoll_wait(epfd, events, maxEvents, timeoutMs);
}
inline int epollCtl(int epfd, int op, int fd, epoll_event* event) {
  return ::epoll_ctl(epfd, op, fd, event);
}
inline int poll(pollfd* fds, nfds_t nfds, int timeoutMs) { return ::poll(fds, nfds, timeoutMs); }
inline int accept4(int fd, sockaddr* peer, socklen_t* length, int flags) {
  return ::accept4(fd, peer, length, flags);
}
inline ssize_t read(int fd, void* buffer, size_t count) { return ::read(fd, buffer, count); }
inline ssize_t write(int fd, const void* buffer, size_t count) {
  return ::write(fd, buffer, count);
}
inline int close(int fd) { return ::close(fd); }
inline int shutdown(int fd, int how) { return ::shutdown(fd, how); }
inline int openat(int dirfd, const char* path, int flags) { return ::openat(dirfd, path, flags); }
inline int closeRange(unsigned first, unsigned last) { return ::close_range(first, last, 0); }
inline int setsockopt(int fd, int level, int name, const void* value, socklen_t length) {
  return ::setsockopt(fd, level, name, value, length);
}
inline int fcntl(int fd, int command, long argument) { return ::fcntl(fd, command, argument); }
inline int getsockname(int fd, sockaddr* address, socklen_t* length) {
  return ::getsockname(fd, address, length);
}
// getrlimit/setrlimit are this very system call in glibc; calling it by name keeps the
// trace's call name equal to strace's.
inline int prlimit(int resource, const rlimit* set, rlimit* old) {
  return ::prlimit(0, static_cast<__rlimit_resource>(resource), set, old);
}
inline int unshare(int flags) { return ::unshare(flags); }
#endif

// What strace names the call glibc's poll() makes: poll where the kernel has it (x86-64),
// ppoll where it has only that (arm64, riscv64).
#if defined(SYS_poll)
inline constexpr bool kPollIsPpoll = false;
#else
inline constexpr bool kPollIsPpoll = true;
#endif

}  // namespace eps::sys
