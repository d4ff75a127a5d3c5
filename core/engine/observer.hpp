// What the kernel holds that the engine does not see, read without disturbing it
// (kernel_probe.hpp), and what that means (stranded data, busy loops); and everything the
// engine thread tells other threads: the kernel view's sockets, the status, the knobs.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/engine/conn_table.hpp"
#include "core/engine/kernel_seam.hpp"
#include "core/engine/shared_state.hpp"
#include "core/engine/thread_check.hpp"

namespace eps {

// Ownership: owned by the EventLoop; created, used and destroyed on the engine thread. The
// one engine class that writes EngineShared's published fields (under its mutex).
class Observer {
 public:
  Observer(ConnTable& table, TraceWriter& writer, EngineShared& shared)
      : table_(table), writer_(writer), shared_(shared) {}

  // Off: no probe, no sample, no diagnosis (EngineOptions::untraced).
  void setObserving(bool on) { observing_ = on; }
  // Samples and the stranded diagnosis, right before epoll_wait (after any pause or pace).
  void sampleBeforeWait();
  // While paused: the queues, each connection's level and the ready list; not the diagnosis.
  void sampleAll();
  // After a wakeup with socket events: whether any did something (the `busy` diagnosis).
  void noteWakeupResult(std::span<const epoll_event> returned, int controlFd, bool progress);
  std::uint64_t idleRun() const { return idleRun_; }

  void publishSockets();
  // `sinceNs`: when the call began (inCall) or the pause was seen.
  void publishStatus(const PendingCall& call, bool inCall, EngineMode mode, int paceMs,
                     std::uint64_t callsMade, std::int64_t sinceNs);
  void publishCallDone(std::uint64_t callsMade);
  void publishMode(EngineMode mode);
  void publishKnobs(const Knobs& knobs);
  void publishEndpoints(int port, int epfd);
  void publishProcessWakeFd(int fd);
  void publishStopped();

 private:
  void sampleConn(Conn& conn, bool readyListEmpty, bool strandable, bool judge = true);
  void sampleListener(bool readyListEmpty, bool judge = true);
  bool sampleReadyList();  // true: something is on the ready list (a wakeup is due)
  bool candidate(const Conn& conn) const;  // its bytes may be stranded: judge it every time
  bool due(const SocketView& view) const;  // its last sample is kSampleIntervalNs old
  void endStranding(SocketView& view, std::int64_t& reported);
  void noteEngineState(Conn& conn);
  void adoptFresherSamples();
  void countIdleReports(std::span<const epoll_event> returned, int controlFd);
  int busiestFd() const;
  void recordDiagnosis(EventKind kind, int fd, std::uint8_t op, std::int64_t a, std::int64_t b);

  EngineThread engineThread_;
  ConnTable& table_;
  TraceWriter& writer_;
  EngineShared& shared_;
  EngineStatus status_;  // what shared_.status holds: this thread's copy, changed field by field

  bool observing_ = true;
  std::int64_t nowNs_ = 0;
  std::vector<std::pair<int, std::size_t>> publishedByFd_;  // adoptFresherSamples' scratch  // the time samples taken now are stamped with (view.sampledNs)
  // Per-wakeup bookkeeping for diagnoses.
  std::uint64_t idleRun_ = 0;
  std::unordered_map<int, std::uint64_t> idleReports_;  // fd -> reports in this idle run
  std::int64_t idleRunStartNs_ = 0;
  std::int64_t lastBusyReportNs_ = 0;
};

}  // namespace eps
