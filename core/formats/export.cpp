// The Chrome Trace Event export (see formats/export.hpp): tracks, slices, instants, counters,
// lifetimes and metadata. The args of each event are written by formats/export_args.cpp.
#include "core/formats/export.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <string>
#include <string_view>

#include "core/base/json_writer.hpp"
#include "core/base/names.hpp"
#include "core/formats/export_args.hpp"
#include "core/trace/lanes.hpp"

namespace eps {
namespace {

constexpr int kEnginePid = 1;
constexpr int kClientsPid = 2;
// A lane's tid is its id plus this. Perfetto keeps Linux semantics: a tid is one thread
// system-wide (thread_name is applied by tid alone), and an event with a pid but no tid (a
// counter, a lifetime, process metadata) lands on thread tid == pid. So no lane's tid may be
// 1 or 2: the clients' process metadata would take over engine lane tid 2 and its name.
constexpr std::uint32_t kFirstLaneTid = 10;
// Side tracks (a lane's calls made by a thread other than the lane's first caller) take tids
// from here, far above any lane's.
constexpr std::uint32_t kFirstSideTid = 1u << 30;
constexpr std::int64_t kNoClamp = std::numeric_limits<std::int64_t>::max();

// A lane whose lifetime is drawn as a connection. Imported lanes are guessed from the calls
// on them (a read makes a "connection"), so one whose strace label names something else (a
// file, a pipe) is not a connection, whatever the guess.
bool isConnectionLifetime(const LaneInfo& lane) {
  return lane.kind == LaneKind::Connection &&
         (lane.fdKind == FdKind::Unknown || fdKindIsSocket(lane.fdKind));
}

// Sort order of the tracks: epoll_wait lanes first, then the listener, the control lane,
// then sockets in the order they appeared.
int sortIndex(const LaneInfo& lane) {
  int rank = 3;
  switch (lane.kind) {
    case LaneKind::EpollWait:
      rank = 0;
      break;
    case LaneKind::Listener:
      rank = 1;
      break;
    case LaneKind::Control:
      rank = 2;
      break;
    case LaneKind::Client:
      rank = 0;
      break;  // alone in the clients process
    case LaneKind::Connection:
    case LaneKind::IdleFd:
    case LaneKind::Other:
      break;
  }
  constexpr int kPerRank = 1'000'000;
  return rank * kPerRank + static_cast<int>(lane.id % kPerRank);
}

// Ownership: a short-lived object on the exporting thread. Walks the events once, writing
// each as it is visited. A call's "X" is held back until the producing thread's next call (or
// the end): an epoll_wait collects the Ready records that follow it, and the duration is
// clamped to the next call's start, so slices on one track never overlap even when a 0 ns
// call is widened to the 1 ns Perfetto needs. A thread's calls are sequential, so that clamp
// only ever removes rounding, never real time.
class ChromeExporter {
 public:
  ChromeExporter(std::ostream& out, std::span<const TraceEvent> events, const TraceMeta& meta)
      : json_(out), events_(events), meta_(meta), originNs_(exportOriginNs(events)) {
    lanes_.setLabels(meta.laneLabels);
  }

  void run();

 private:
  struct PendingCall {
    bool valid = false;
    std::uint32_t lane = 0;
    std::uint32_t tid = 0;  // the track: the lane's own, or a side track (callTrack)
    TraceEvent event;
    std::string ready;  // "7:EPOLLIN,9:EPOLLOUT" for an epoll_wait
  };

  void visit(const TraceEvent& event);
  void endLifetimes();
  void visitCall(const TraceEvent& event, std::uint32_t lane);
  std::uint32_t callTrack(const TraceEvent& event, std::uint32_t lane);
  void visitReady(const TraceEvent& event, std::uint32_t waitLane);
  PendingCall& pendingOf(const TraceEvent& event);
  void flushCall(PendingCall& slot, std::int64_t nextStartNs);
  void writeSample(const TraceEvent& event, std::uint32_t lane);
  void beginEvent(std::string_view ph, std::string_view name, std::string_view cat,
                  std::int64_t tNs, std::uint32_t lane, std::uint32_t tid = 0);
  void beginInstant(std::string_view name, std::string_view cat, std::int64_t tNs,
                    std::uint32_t lane);
  void writeLifetime(std::uint32_t lane, std::int64_t endNs);
  void writeAsync(std::string_view ph, const LaneInfo& lane, std::int64_t tNs);
  void writeTrackNames();
  std::string producerName(const TraceEvent& producer) const;
  void writeMetadata();

  int pidOf(std::uint32_t lane) const {
    return lanes_.lanes()[lane].kind == LaneKind::Client ? kClientsPid : kEnginePid;
  }
  static std::uint32_t tidOf(std::uint32_t lane) { return lane + kFirstLaneTid; }

  JsonWriter json_;
  std::span<const TraceEvent> events_;
  const TraceMeta& meta_;
  std::int64_t originNs_;
  std::int64_t lastNs_ = 0;
  LaneTracker lanes_;
  std::vector<PendingCall> pending_;    // index: actor * 256 + thread (the producer)
  std::vector<bool> lifetimeWritten_;   // index: lane
  std::vector<std::size_t> laneOwner_;  // index: lane; the first caller's producer index + 1
  struct SideTrack {
    std::uint32_t lane = 0;
    TraceEvent producer;  // actor and thread of the calls on it
  };
  std::map<std::pair<std::uint32_t, std::size_t>, std::uint32_t> sideTids_;
  std::vector<SideTrack> sideTracks_;  // index: tid - kFirstSideTid
};

void ChromeExporter::run() {
  json_.beginObject();
  json_.key("traceEvents");
  json_.beginArray();
  for (const TraceEvent& event : events_) visit(event);
  for (PendingCall& slot : pending_) flushCall(slot, kNoClamp);
  // Lifetimes still open at the end close at the last moment the trace knows of.
  for (const LaneInfo& lane : lanes_.lanes()) {
    if (lane.endNs < 0) writeLifetime(lane.id, std::max(lastNs_, lane.startNs));
  }
  writeTrackNames();
  json_.endArray();
  json_.field("displayTimeUnit", "ns");
  writeMetadata();
  json_.endObject();
  json_.flush();
}

void ChromeExporter::visit(const TraceEvent& event) {
  lastNs_ = std::max(lastNs_, event.tNs + std::max<std::int64_t>(event.durNs, 0));
  const std::uint32_t lane = lanes_.assign(event);
  endLifetimes();
  switch (event.kind) {
    case EventKind::Call:
      visitCall(event, lane);
      return;
    case EventKind::Ready:
      visitReady(event, lane);
      return;
    case EventKind::Sample:
      writeSample(event, lane);
      return;
    case EventKind::ClientAction:
      beginInstant(clientOpName(static_cast<ClientOp>(event.op)), "client", event.tNs, lane);
      writeClientArgs(json_, event);
      json_.endObject();
      return;
    case EventKind::ClientData:
      beginInstant("echo", "client", event.tNs, lane);
      break;
    case EventKind::Stranded:
    case EventKind::Busy:
    case EventKind::Blocked:
    case EventKind::Crash:
    case EventKind::Herd:
      beginInstant(eventKindName(event.kind),
                   (event.flags & kEventInferred) ? "diagnosis,inferred" : "diagnosis", event.tNs,
                   lane);
      break;
    case EventKind::Control:
      beginInstant(controlOpName(static_cast<ControlOp>(event.op)), "control", event.tNs, lane);
      break;
    case EventKind::Config:
    case EventKind::Step:
    case EventKind::Note:
      beginInstant(eventKindName(event.kind), "control", event.tNs, lane);
      break;
  }
  writeInstantArgs(json_, event);
  json_.endObject();
}

// Writes the lifetimes of the lanes the last event ended.
void ChromeExporter::endLifetimes() {
  for (const std::uint32_t id : lanes_.endedByLastEvent())
    writeLifetime(id, lanes_.lanes()[id].endNs);
}

// The track of a call: its lane's own, unless another thread made the lane's first call.
// Threads' calls overlap in time (workers racing for one listener's accept4), and Perfetto
// needs slices on one track strictly nested; one thread's calls never overlap, so each
// other thread gets a side track of its own beside the lane ("listener fd 6 · worker 2").
std::uint32_t ChromeExporter::callTrack(const TraceEvent& event, std::uint32_t lane) {
  const std::size_t producer = static_cast<std::size_t>(event.actor) * 256 + event.thread;
  if (laneOwner_.size() <= lane) laneOwner_.resize(lane + 1, 0);
  if (laneOwner_[lane] == 0) laneOwner_[lane] = producer + 1;
  if (laneOwner_[lane] == producer + 1) return tidOf(lane);
  const auto [found, added] = sideTids_.try_emplace(
      {lane, producer}, kFirstSideTid + static_cast<std::uint32_t>(sideTracks_.size()));
  if (added) sideTracks_.push_back({lane, event});
  return found->second;
}

void ChromeExporter::visitCall(const TraceEvent& event, std::uint32_t lane) {
  const std::uint32_t tid = callTrack(event, lane);
  PendingCall& slot = pendingOf(event);
  flushCall(slot, event.tNs);
  slot.valid = true;
  slot.lane = lane;
  slot.tid = tid;
  slot.event = event;
  slot.ready.clear();
}

ChromeExporter::PendingCall& ChromeExporter::pendingOf(const TraceEvent& event) {
  const std::size_t index = static_cast<std::size_t>(event.actor) * 256 + event.thread;
  if (pending_.size() <= index) pending_.resize(index + 1);
  return pending_[index];
}

// A Ready record: listed in its epoll_wait's args, and drawn as an instant on the track of
// the socket it woke, so that socket's track shows its wakeups.
void ChromeExporter::visitReady(const TraceEvent& event, std::uint32_t waitLane) {
  PendingCall& wait = pendingOf(event);
  if (wait.valid && wait.lane == waitLane && isReadinessWait(wait.event.call)) {
    if (!wait.ready.empty()) wait.ready += ',';
    wait.ready += std::to_string(event.fd);
    wait.ready += ':';
    wait.ready += epollMaskName(event.events);
  }
  const std::uint32_t fdLane = lanes_.fdLane(event);
  endLifetimes();
  beginInstant("ready", "epoll", event.tNs, fdLane);
  json_.key("args");
  json_.beginObject();
  json_.field("fd", event.fd);
  json_.field("events", epollMaskName(event.events));
  json_.endObject();
  json_.endObject();
}

void ChromeExporter::flushCall(PendingCall& slot, std::int64_t nextStartNs) {
  if (!slot.valid) return;
  slot.valid = false;
  const std::uint32_t lane = slot.lane;
  const TraceEvent& event = slot.event;
  // At least 1 ns so Perfetto keeps the slice, but never past the next slice on this track.
  std::int64_t durNs = std::max<std::int64_t>(event.durNs, 1);
  if (nextStartNs != kNoClamp && event.tNs + durNs > nextStartNs) {
    durNs = std::max<std::int64_t>(nextStartNs - event.tNs, 0);
  }
  beginEvent("X", callNameOf(event), "syscall", event.tNs, lane, slot.tid);
  json_.key("dur");
  json_.scaled(durNs, 3);
  writeCallArgs(json_, event, slot.ready, meta_.payloads);
  json_.endObject();
}

// Writes the common head of a track event and leaves its object open.
void ChromeExporter::beginEvent(std::string_view ph, std::string_view name, std::string_view cat,
                                std::int64_t tNs, std::uint32_t lane, std::uint32_t tid) {
  json_.beginObject();
  json_.field("ph", ph);
  json_.field("name", name);
  json_.field("cat", cat);
  json_.key("ts");
  json_.scaled(tNs - originNs_, 3);
  json_.field("pid", pidOf(lane));
  json_.field("tid", tid != 0 ? tid : tidOf(lane));
}

void ChromeExporter::beginInstant(std::string_view name, std::string_view cat, std::int64_t tNs,
                                  std::uint32_t lane) {
  beginEvent("i", name, cat, tNs, lane);
  json_.field("s", "t");
}

// Kernel samples are counters of the engine process, one track per args key: "queues fd 7
// recvq", "backlog fd 3 accept_queue", all numbers. The probe calls that took the sample are
// system calls: each is an instant named after the call ("ioctl", "getsockopt", "poll") on the
// sample's lane, with its fd, result and request. The ready-list poll has no counter.
void ChromeExporter::writeSample(const TraceEvent& event, std::uint32_t lane) {
  for (const ProbeCall& call : probeCallsOf(event)) {
    beginInstant(call.call, "probe", event.tNs, lane);
    writeProbeArgs(json_, event, call);
    json_.endObject();
  }
  if (static_cast<SampleOf>(event.op) == SampleOf::ReadyList) return;
  const bool listener = static_cast<SampleOf>(event.op) == SampleOf::Listener;
  json_.beginObject();
  json_.field("ph", "C");
  json_.field("name", (listener ? "backlog fd " : "queues fd ") + std::to_string(event.fd));
  json_.field("cat", "kernel");
  json_.key("ts");
  json_.scaled(event.tNs - originNs_, 3);
  json_.field("pid", kEnginePid);
  writeSampleArgs(json_, event);
  json_.endObject();
}

// A connection's lifetime goes on an async track: lifetimes overlap each other, which thread
// tracks (strict nesting) cannot show. Both ends are written once the lane has ended, so they
// carry the lane's final name (an imported lane is renamed as strace's labels gain detail),
// and Perfetto, which matches an "e" to its "b" by name as well as cat and id, pairs them.
void ChromeExporter::writeLifetime(std::uint32_t lane, std::int64_t endNs) {
  if (lifetimeWritten_.size() <= lane) lifetimeWritten_.resize(lane + 1, false);
  const LaneInfo& info = lanes_.lanes()[lane];
  if (lifetimeWritten_[lane] || !isConnectionLifetime(info)) return;
  lifetimeWritten_[lane] = true;
  writeAsync("b", info, info.startNs);
  writeAsync("e", info, std::max(endNs, info.startNs));
}

void ChromeExporter::writeAsync(std::string_view ph, const LaneInfo& lane, std::int64_t tNs) {
  // A hex string id, as the format's examples use: DevTools' trace engine ignores a falsy
  // one, so a numeric 0 (lane 0) would lose its lifetime there.
  char id[2 + 16] = {'0', 'x'};
  const auto end = std::to_chars(id + 2, id + sizeof id, lane.id, 16).ptr;
  json_.beginObject();
  json_.field("ph", ph);
  json_.field("cat", "conn");
  json_.field("name", lane.name);
  json_.field("id", std::string_view(id, static_cast<std::size_t>(end - id)));
  json_.key("ts");
  json_.scaled(tNs - originNs_, 3);
  json_.field("pid", kEnginePid);
  json_.endObject();
}

void ChromeExporter::writeTrackNames() {
  const auto metaEvent = [this](std::string_view name, int pid, std::uint32_t tid) {
    json_.beginObject();
    json_.field("ph", "M");
    json_.field("name", name);
    json_.field("pid", pid);
    if (tid != 0) json_.field("tid", tid);
    json_.key("args");
    json_.beginObject();
  };
  const auto processName = [&](int pid, std::string_view name) {
    metaEvent("process_name", pid, 0);
    json_.field("name", name);
    json_.endObject();
    json_.endObject();
    metaEvent("process_sort_index", pid, 0);
    json_.field("sort_index", pid);
    json_.endObject();
    json_.endObject();
  };
  processName(kEnginePid, "epollscope engine");
  processName(kClientsPid, "clients");
  for (const LaneInfo& lane : lanes_.lanes()) {
    metaEvent("thread_name", pidOf(lane.id), tidOf(lane.id));
    json_.field("name", lane.name);
    json_.endObject();
    json_.endObject();
    metaEvent("thread_sort_index", pidOf(lane.id), tidOf(lane.id));
    json_.field("sort_index", sortIndex(lane));
    json_.endObject();
    json_.endObject();
  }
  for (std::size_t i = 0; i < sideTracks_.size(); ++i) {
    const LaneInfo& lane = lanes_.lanes()[sideTracks_[i].lane];
    const auto tid = kFirstSideTid + static_cast<std::uint32_t>(i);
    metaEvent("thread_name", pidOf(lane.id), tid);
    json_.field("name", lane.name + " \u00b7 " + producerName(sideTracks_[i].producer));
    json_.endObject();
    json_.endObject();
    metaEvent("thread_sort_index", pidOf(lane.id), tid);
    json_.field("sort_index", sortIndex(lane));  // beside its lane
    json_.endObject();
    json_.endObject();
  }
}

// "worker 2" (the recorder's name for the producer), else "thread N".
std::string ChromeExporter::producerName(const TraceEvent& producer) const {
  for (const Recorder::WriterInfo& writer : meta_.writers) {
    if (writer.actor == producer.actor && writer.thread == producer.thread) return writer.name;
  }
  return "thread " + std::to_string(producer.thread);
}

void ChromeExporter::writeMetadata() {
  json_.key("metadata");
  json_.beginObject();
  json_.field("tool", "epollscope");
  if (!meta_.source.empty()) json_.field("source", meta_.source);
  json_.field("knobs", meta_.knobs);
  json_.field("port", meta_.port);
  json_.field("pid", meta_.pid);
  json_.field("dropped", meta_.dropped);
  json_.key("producers");
  json_.beginArray();
  for (const Recorder::WriterInfo& writer : meta_.writers) {
    json_.beginObject();
    json_.field("name", writer.name);
    json_.field("actor", actorName(writer.actor));
    json_.field("thread", writer.thread);
    json_.field("tid", writer.tid);
    json_.endObject();
  }
  json_.endArray();
  json_.endObject();
}

}  // namespace

void writeChromeTrace(std::ostream& out, std::span<const TraceEvent> events,
                      const TraceMeta& meta) {
  ChromeExporter(out, events, meta).run();
}

}  // namespace eps
