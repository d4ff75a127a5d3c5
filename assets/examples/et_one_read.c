/* An edge-triggered echo server with the classic bug: ONE read per wakeup.
 *
 * With EPOLLET, epoll_wait reports a connection once when data ARRIVES, not while data is
 * WAITING. This server reads at most 100 bytes per report and then goes back to
 * epoll_wait. A client that sends 4096 bytes at once gets 100 echoed; the other 3996 bytes
 * stay in the socket's receive queue, and no new report comes until the client sends MORE.
 * The server is not busy, the client is not slow: the data is stranded.
 *
 * The fix is in et_drain.c: read until read() fails with EAGAIN.
 *
 * Usage: et_one_read --port N     (N = 0 picks a free port; it is printed first) */
#include <errno.h>
#include <unistd.h>

#include "example_server.h"

static int on_readable(int fd) {
  char buf[100];
  /* BUG: one read, then back to epoll_wait. Whatever is left after these 100 bytes will
   * not be reported again until more data arrives (EPOLLET). */
  ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0) return echo_back(fd, buf, n);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 0; /* nothing to read after all */
  return -1; /* 0: the peer closed; -1: a real error */
}

int main(int argc, char **argv) {
  return run_server(argc, argv, on_readable);
}
