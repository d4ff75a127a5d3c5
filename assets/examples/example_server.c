/* The loop both example servers share (see example_server.h). Plain C11 and POSIX, one
 * thread, loopback only. The listener is level-triggered on purpose: the lesson is about
 * the connections, which are edge-triggered (EPOLLET). */
#define _GNU_SOURCE /* accept4 */
#include "example_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { kMaxEvents = 64 };

/* Set by SIGINT/SIGTERM; epoll_wait then returns -1 EINTR and the loop ends. */
static volatile sig_atomic_t stop_requested = 0;

static void request_stop(int signo) {
  (void)signo;
  stop_requested = 1;
}

/* No SA_RESTART: a signal must interrupt epoll_wait so the loop sees stop_requested. */
static void install_stop_handlers(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  signal(SIGPIPE, SIG_IGN); /* a write to a closed peer returns EPIPE instead of killing us */
}

/* Returns the port from `--port N`, or -1 when the arguments are wrong. */
static int parse_port(int argc, char **argv) {
  if (argc != 3 || strcmp(argv[1], "--port") != 0) return -1;
  char *end = NULL;
  long port = strtol(argv[2], &end, 10);
  if (*argv[2] == '\0' || *end != '\0' || port < 0 || port > 65535) return -1;
  return (int)port;
}

/* A listening socket on 127.0.0.1:port; prints the port it got. Returns its fd or -1. */
static int listen_on_loopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 16) != 0 ||
      getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
    close(fd);
    return -1;
  }
  printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
  fflush(stdout); /* whoever started us waits for this line */
  return fd;
}

int echo_back(int fd, const char *buf, long len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, (size_t)len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      /* The peer is not reading and our send buffer is full. A real server would keep the
       * rest and wait for EPOLLOUT; these examples are about reading, so it is dropped. */
      fprintf(stderr, "send buffer full: %ld bytes not echoed\n", len);
      return 0;
    }
    if (n < 0) return -1;
    buf += n;
    len -= n;
  }
  return 0;
}

/* Accepts one connection and registers it edge-triggered. */
static void accept_one(int epfd, int listener) {
  int conn = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (conn < 0) return; /* EAGAIN (another wakeup took it) or the client already left */
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  ev.data.fd = conn;
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, conn, &ev) != 0) close(conn);
}

static int serve(int listener, readable_fn on_readable) {
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLIN;
  ev.data.fd = listener;
  if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &ev) != 0) {
    perror("epoll");
    return 1;
  }
  struct epoll_event events[kMaxEvents];
  while (!stop_requested) {
    int n = epoll_wait(epfd, events, kMaxEvents, -1);
    if (n < 0 && errno == EINTR) continue; /* a signal: the loop condition decides */
    if (n < 0) {
      perror("epoll_wait");
      return 1;
    }
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == listener) {
        accept_one(epfd, listener);
      } else if (on_readable(fd) != 0) {
        close(fd); /* closing also removes it from the epoll set */
      }
    }
  }
  close(epfd);
  return 0;
}

int run_server(int argc, char **argv, readable_fn on_readable) {
  int port = parse_port(argc, argv);
  if (port < 0) {
    fprintf(stderr, "usage: %s --port N   (0 <= N <= 65535; 0 picks a free port)\n", argv[0]);
    return 2;
  }
  install_stop_handlers();
  int listener = listen_on_loopback(port);
  if (listener < 0) {
    fprintf(stderr, "%s: cannot listen on 127.0.0.1:%d: %s\n", argv[0], port, strerror(errno));
    return 1;
  }
  int status = serve(listener, on_readable);
  close(listener);
  return status;
}
