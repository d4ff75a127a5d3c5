/* The parts the two example servers share: a listener on 127.0.0.1, SIGINT/SIGTERM handling
 * and the epoll loop. Each server supplies only on_readable(): what it does when the kernel
 * says "this connection has data" (edge-triggered). Put the two servers side by side and the
 * whole difference between the bug and the fix is that one function. */
#ifndef EXAMPLE_SERVER_H
#define EXAMPLE_SERVER_H

/* Called once per EPOLLIN edge on a connection. Returns 0 to keep the connection open,
 * -1 to have the loop close it (the peer left, or a real error). */
typedef int (*readable_fn)(int fd);

/* Echoes `len` bytes of `buf` back on `fd`. Returns 0, or -1 when the peer is gone. */
int echo_back(int fd, const char *buf, long len);

/* Parses `--port N`, listens on 127.0.0.1:N (0 = any free port), prints
 * "listening on 127.0.0.1:PORT" as the first line of stdout and serves until SIGINT or
 * SIGTERM. Returns the process's exit status. */
int run_server(int argc, char **argv, readable_fn on_readable);

#endif
