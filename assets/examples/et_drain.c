/* The same edge-triggered echo server as et_one_read.c, fixed: it reads until EAGAIN.
 *
 * With EPOLLET the kernel reports a connection once per arrival of data, so after each
 * report the server must take EVERYTHING the socket holds. read() failing with EAGAIN is
 * not an error here: it is the kernel saying "empty now", the only safe moment to go back
 * to epoll_wait. A client that sends 4096 bytes at once gets all 4096 echoed.
 *
 * Usage: et_drain --port N     (N = 0 picks a free port; it is printed first) */
#include <errno.h>
#include <unistd.h>

#include "example_server.h"

static int on_readable(int fd) {
  char buf[100];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      if (echo_back(fd, buf, n) != 0) return -1;
      continue; /* FIX: keep reading; there may be more */
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return 0; /* drained: now epoll_wait may sleep */
    return -1; /* 0: the peer closed; -1: a real error */
  }
}

int main(int argc, char **argv) {
  return run_server(argc, argv, on_readable);
}
