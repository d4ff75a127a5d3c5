// A libevent 2.1 echo server, the baseline that shows what a mature event library costs.
// Written the fast idiomatic way: raw events (no bufferevent and its evbuffer copies), one
// read buffer reused for every read, level-triggered (libevent's default) with one read per
// callback as libevent's own bufferevents do; output written at once, the remainder kept per
// connection with EV_WRITE added only while it is pending. evconnlistener accepts until EAGAIN.
//
// One thread (libevent's loop) owns every connection; SIGINT/SIGTERM break the loop.
#include <event2/event.h>
#include <event2/listener.h>

#include <array>
#include <unordered_set>
#include <vector>

#include "tests/bench/echo/server_common.hpp"

namespace {

using echo_bench::kMaxPendingOutput;
using echo_bench::kReadChunk;

std::array<char, kReadChunk> readBuffer;  // shared by every read: the loop is one thread

struct Conn {
  evutil_socket_t fd = -1;
  event* readEv = nullptr;
  event* writeEv = nullptr;
  std::vector<char> pending;
  std::size_t pendingOff = 0;
  bool readPaused = false;
};

// Every open connection, so the exit frees them (a leak checker runs this server too).
std::unordered_set<Conn*> openConns;

void closeConn(Conn* c) {
  openConns.erase(c);
  event_free(c->readEv);
  event_free(c->writeEv);
  evutil_closesocket(c->fd);
  delete c;
}

void onWritable(evutil_socket_t fd, short, void* arg) {
  auto* c = static_cast<Conn*>(arg);
  while (c->pendingOff < c->pending.size()) {
    const ssize_t n = ::write(fd, c->pending.data() + c->pendingOff, c->pending.size() - c->pendingOff);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;  // EV_WRITE stays added
    if (n < 0) return closeConn(c);
    c->pendingOff += static_cast<std::size_t>(n);
  }
  c->pending.clear();
  c->pendingOff = 0;
  event_del(c->writeEv);
  if (c->readPaused) {
    c->readPaused = false;
    event_add(c->readEv, nullptr);
  }
}

void onReadable(evutil_socket_t fd, short, void* arg) {
  auto* c = static_cast<Conn*>(arg);
  ssize_t n;
  do n = ::read(fd, readBuffer.data(), readBuffer.size()); while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EAGAIN) return;
  if (n <= 0) return closeConn(c);  // 0: the peer closed; -1: an error
  const char* data = readBuffer.data();
  std::size_t size = static_cast<std::size_t>(n);
  if (c->pending.empty()) {
    ssize_t w;
    do w = ::write(fd, data, size); while (w < 0 && errno == EINTR);
    if (w < 0 && errno != EAGAIN) return closeConn(c);
    const std::size_t taken = w < 0 ? 0 : static_cast<std::size_t>(w);
    data += taken;
    size -= taken;
    if (size == 0) return;
    event_add(c->writeEv, nullptr);
  }
  c->pending.insert(c->pending.end(), data, data + size);
  if (c->pending.size() >= kMaxPendingOutput) {
    c->readPaused = true;
    event_del(c->readEv);
  }
}

void onAccept(evconnlistener* listener, evutil_socket_t fd, sockaddr*, int, void*) {
  event_base* base = evconnlistener_get_base(listener);
  auto* c = new Conn;
  c->fd = fd;
  echo_bench::setNoDelay(fd);
  openConns.insert(c);
  c->readEv = event_new(base, fd, EV_READ | EV_PERSIST, onReadable, c);
  c->writeEv = event_new(base, fd, EV_WRITE | EV_PERSIST, onWritable, c);
  event_add(c->readEv, nullptr);
}

void onSignal(evutil_socket_t, short, void* base) {
  event_base_loopbreak(static_cast<event_base*>(base));
}

}  // namespace

int main(int argc, char** argv) {
  const echo_bench::ServerArgs args = echo_bench::parseServerArgs(argc, argv, false);
  echo_bench::ignoreSigpipe();
  event_base* base = event_base_new();
  if (base == nullptr) echo_bench::die("libevent", "event_base_new failed");
  const int listenFd = echo_bench::listenLoopback(args.port);
  // Backlog 0: the socket is listening already (listenLoopback).
  evconnlistener* listener =
      evconnlistener_new(base, onAccept, nullptr, LEV_OPT_CLOSE_ON_FREE, 0, listenFd);
  event* sigint = evsignal_new(base, SIGINT, onSignal, base);
  event* sigterm = evsignal_new(base, SIGTERM, onSignal, base);
  if (listener == nullptr || sigint == nullptr || sigterm == nullptr) {
    echo_bench::die("libevent", "listener or signal event setup failed");
  }
  event_add(sigint, nullptr);
  event_add(sigterm, nullptr);
  echo_bench::announceListening(listenFd);
  event_base_dispatch(base);
  while (!openConns.empty()) closeConn(*openConns.begin());
  event_free(sigint);
  event_free(sigterm);
  evconnlistener_free(listener);
  event_base_free(base);
  return 0;
}
