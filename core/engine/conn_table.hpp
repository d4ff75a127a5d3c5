// The engine's connections and the listener, with their registrations in the engine's epoll
// set: what the acceptor, the handlers, the observer and the loop all work on. The knobs in
// force live here too, since every registration is computed from them.
#pragma once

#include <netinet/in.h>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/base/knobs.hpp"
#include "core/engine/conn.hpp"
#include "core/engine/kernel_seam.hpp"
#include "core/engine/thread_check.hpp"
#include "core/trace/recorder.hpp"

namespace eps {

// Ownership: a value in the ConnTable, on the engine thread: the listener as the engine
// tracks it.
struct ListenerState {
  int fd = -1;
  std::uint32_t interest = 0;    // the mask registered with epoll right now
  bool registered = false;       // in the engine's own epoll set (not while workers accept)
  bool lastAcceptEagain = true;  // the last accept ended in EAGAIN: nothing left queued
  bool touched = true;           // reported or accepted from since the last sample
  std::int64_t strandedReported = 0;
  SocketView view;

  // A wakeup ends any stranding: if connections are stranded again afterwards, that is a new
  // diagnosis, even with the same count.
  void reported() {
    strandedReported = 0;
    touched = true;
  }
};

using ConnMap = std::unordered_map<int, std::unique_ptr<Conn>>;

// Ownership: owned by the EventLoop; created, used and destroyed on the engine thread.
class ConnTable {
 public:
  ConnTable(KernelSeam& seam, PayloadStore& payloads, const Knobs& knobs);

  KernelSeam& seam() { return seam_; }
  const Knobs& knobs() const { return knobs_; }
  void setKnobs(const Knobs& knobs);
  bool seed() const { return knobs_.handler != Handler::Echo; }
  bool seedCharBuffers() const { return knobs_.handler == Handler::Seed000; }

  // The EventLoop's epoll instance (it makes and closes it): every registration goes there.
  int epfd() const { return epfd_; }
  void setEpfd(int epfd) { epfd_ = epfd; }
  // Whether the engine's descriptors are in its epoll set right now (poller=epoll, once the
  // switch is made): registrations then go there with epoll_ctl. Otherwise (poller=poll) a
  // registration only changes the mask the next poll(2) passes: no call.
  bool inEpollSet() const { return inEpollSet_; }
  void setInEpollSet(bool in) { inEpollSet_ = in; }
  ListenerState& listener() { return listener_; }
  const ListenerState& listener() const { return listener_; }
  ConnMap& conns() { return conns_; }
  const ConnMap& conns() const { return conns_; }
  // The connection an event is about, or null when it was closed earlier in the same batch
  // (libuv skips these too): the serial tells a reused fd number from the one it was about.
  Conn* find(int fd, std::uint32_t serial);
  void erase(int fd) { conns_.erase(fd); }

  // Registers a new connection (accepted here or handed off by a worker) and keeps it.
  void adopt(int fd, const sockaddr_in& peer);
  // EPOLL_CTL_MOD when the wanted mask changed, a ONESHOT fired or ET reading resumed.
  void registerConn(Conn& conn);
  // The descriptor's epoll_ctl (op, mask, data word) when the engine waits in epoll_wait; no
  // call, success, under poll(2). Failures other than the kernel's to refuse abort.
  bool control(int op, int fd, std::uint32_t mask, std::uint64_t data);
  // The listener's mask, MODded when a knob changed it.
  void reregisterListener();
  // Delete, then close (the right order), and mark `conn` closed (fd -1).
  void closeConn(Conn& conn);
  // Teardown: every connection closed through the seam (recorded).
  void closeAll();

  std::uint32_t wantedMask(const Conn& conn) const;
  std::uint32_t listenerMask() const;
  void applySocketOptions(int fd) const;
  void setBlocking(int fd, bool blocking) const;

  // The buffer every read goes into, and what it read kept beside the read's event.
  char* readBuffer() { return readBuffer_.data(); }
  void keepPayload(const char* bytes, ssize_t count);

  // The kernel view changed (a registration, a connection, a sample): publish it.
  void markChanged() { changed_ = true; }
  bool changed() const { return changed_; }
  void published() { changed_ = false; }

 private:
  EngineThread engineThread_;
  KernelSeam& seam_;
  PayloadStore& payloads_;  // the bytes of each connection read, beside the trace
  Knobs knobs_;
  int epfd_ = -1;
  bool inEpollSet_ = true;
  ListenerState listener_;
  ConnMap conns_;
  std::uint32_t nextSerial_ = kFirstConnSerial;
  std::vector<char> readBuffer_;
  bool changed_ = true;
};

}  // namespace eps
