// A libuv 1.44 echo server, the baseline that shows what a mature event library costs.
// Written the efficient way: each connection owns one read buffer that alloc_cb hands out for
// every read (no allocation per read), uv_try_write sends at once, and only what the socket
// did not take is copied into a uv_write request. libuv itself is level-triggered and reads
// until a short read; uv_listen accepts until EAGAIN.
//
// One thread (the uv loop) owns every handle; SIGINT/SIGTERM stop the loop, then every handle
// is closed so the loop closes cleanly.
#include <uv.h>

#include <array>
#include <cstring>
#include <vector>

#include "tests/bench/echo/server_common.hpp"

namespace {

using echo_bench::kMaxPendingOutput;
using echo_bench::kReadChunk;

struct Conn {
  uv_tcp_t handle{};                    // handle.data points back at this Conn
  std::array<char, kReadChunk> buffer;  // reused for every read of this connection
  bool readPaused = false;
};

// What the socket did not take: it owns its bytes, since the read buffer is reused.
struct WriteReq {
  uv_write_t req{};
  std::vector<char> bytes;
};

void onAlloc(uv_handle_t* handle, std::size_t, uv_buf_t* buf) {
  auto* c = static_cast<Conn*>(handle->data);
  *buf = uv_buf_init(c->buffer.data(), static_cast<unsigned>(c->buffer.size()));
}

void onClosed(uv_handle_t* handle) { delete static_cast<Conn*>(handle->data); }

void closeConn(Conn* c) {
  auto* handle = reinterpret_cast<uv_handle_t*>(&c->handle);
  if (!uv_is_closing(handle)) uv_close(handle, onClosed);
}

void onRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);

void onWritten(uv_write_t* req, int status) {
  auto* w = reinterpret_cast<WriteReq*>(req);
  auto* c = static_cast<Conn*>(req->handle->data);
  delete w;
  if (status < 0) return closeConn(c);  // also UV_ECANCELED while closing: harmless
  if (c->readPaused && c->handle.write_queue_size == 0) {
    c->readPaused = false;
    uv_read_start(reinterpret_cast<uv_stream_t*>(&c->handle), onAlloc, onRead);
  }
}

void onRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* c = static_cast<Conn*>(stream->data);
  if (nread == 0) return;  // EAGAIN
  if (nread < 0) return closeConn(c);  // UV_EOF or an error
  uv_buf_t out = uv_buf_init(buf->base, static_cast<unsigned>(nread));
  const int taken = uv_try_write(stream, &out, 1);
  if (taken == nread) return;
  if (taken < 0 && taken != UV_EAGAIN) return closeConn(c);
  const std::size_t skip = taken < 0 ? 0 : static_cast<std::size_t>(taken);
  auto* w = new WriteReq;
  w->bytes.assign(buf->base + skip, buf->base + nread);
  out = uv_buf_init(w->bytes.data(), static_cast<unsigned>(w->bytes.size()));
  if (uv_write(&w->req, stream, &out, 1, onWritten) != 0) {
    delete w;
    return closeConn(c);
  }
  if (stream->write_queue_size >= kMaxPendingOutput) {
    c->readPaused = true;
    uv_read_stop(stream);
  }
}

void onConnection(uv_stream_t* server, int status) {
  if (status < 0) return;
  auto* c = new Conn;
  c->handle.data = c;
  uv_tcp_init(server->loop, &c->handle);
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(&c->handle)) != 0) return closeConn(c);
  uv_tcp_nodelay(&c->handle, 1);
  uv_read_start(reinterpret_cast<uv_stream_t*>(&c->handle), onAlloc, onRead);
}

void onSignal(uv_signal_t* signal, int) { uv_stop(signal->loop); }

// Closes every handle left at exit; a connection's close callback frees its Conn.
void closeAny(uv_handle_t* handle, void*) {
  if (uv_is_closing(handle)) return;
  uv_close(handle, handle->type == UV_TCP && handle->data != nullptr ? onClosed : nullptr);
}

void check(int rc, const char* what) {
  if (rc != 0) echo_bench::die(what, uv_strerror(rc));
}

}  // namespace

int main(int argc, char** argv) {
  const echo_bench::ServerArgs args = echo_bench::parseServerArgs(argc, argv, false);
  echo_bench::ignoreSigpipe();
  uv_loop_t* loop = uv_default_loop();
  const int listenFd = echo_bench::listenLoopback(args.port);
  uv_tcp_t server{};
  uv_signal_t sigint{}, sigterm{};
  check(uv_tcp_init(loop, &server), "uv_tcp_init");
  server.data = nullptr;
  check(uv_tcp_open(&server, listenFd), "uv_tcp_open");
  check(uv_listen(reinterpret_cast<uv_stream_t*>(&server), echo_bench::kListenBacklog,
                  onConnection), "uv_listen");
  check(uv_signal_init(loop, &sigint), "uv_signal_init");
  check(uv_signal_init(loop, &sigterm), "uv_signal_init");
  check(uv_signal_start(&sigint, onSignal, SIGINT), "uv_signal_start");
  check(uv_signal_start(&sigterm, onSignal, SIGTERM), "uv_signal_start");
  echo_bench::announceListening(listenFd);
  uv_run(loop, UV_RUN_DEFAULT);
  uv_walk(loop, closeAny, nullptr);
  uv_run(loop, UV_RUN_DEFAULT);
  check(uv_loop_close(loop), "uv_loop_close");
  return 0;
}
