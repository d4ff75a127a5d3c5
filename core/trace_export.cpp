#include "core/trace_export.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>

#include "core/json_writer.hpp"
#include "core/knobs.hpp"
#include "core/lanes.hpp"
#include "core/names.hpp"
#include "core/payload_text.hpp"

namespace eps {
namespace {

constexpr int kEnginePid = 1;
constexpr int kClientsPid = 2;
constexpr std::int64_t kNoClamp = std::numeric_limits<std::int64_t>::max();

std::string_view actorName(Actor actor) {
  switch (actor) {
    case Actor::Engine:
      return "engine";
    case Actor::Clients:
      return "clients";
    case Actor::Control:
      return "control";
  }
  return "?";
}

bool failed(const TraceEvent& event) {
  return event.ret < 0 && event.err != 0;
}

// Timestamps are written relative to the earliest event, so a trace starts near 0 whatever
// the machine's uptime; the earliest rather than the first because producers stamp tNs and
// take seq separately, so the first event in sequence may be a few ns later than another.
std::int64_t originNs(std::span<const TraceEvent> events) {
  if (events.empty()) return 0;
  std::int64_t origin = events.front().tNs;
  for (const TraceEvent& event : events) origin = std::min(origin, event.tNs);
  return origin;
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
      : json_(out), events_(events), meta_(meta), originNs_(originNs(events)) {
    lanes_.setLabels(meta.laneLabels);
  }

  void run();

 private:
  struct PendingCall {
    bool valid = false;
    std::uint32_t lane = 0;
    TraceEvent event;
    std::string ready;  // "7:EPOLLIN,9:EPOLLOUT" for an epoll_wait
  };

  void visit(const TraceEvent& event);
  void trackLaneChanges(std::size_t lanesBefore);
  void visitCall(const TraceEvent& event, std::uint32_t lane);
  void visitReady(const TraceEvent& event, std::uint32_t waitLane);
  PendingCall& pendingOf(const TraceEvent& event);
  void flushCall(PendingCall& slot, std::int64_t nextStartNs);
  void writeCallArgs(const TraceEvent& event, const std::string& ready);
  void writeDataArgs(const TraceEvent& event);
  void writeSample(const TraceEvent& event);
  void writeInstantArgs(const TraceEvent& event);
  void writeClientArgs(const TraceEvent& event);
  void beginEvent(std::string_view ph, std::string_view name, std::string_view cat,
                  std::int64_t tNs, std::uint32_t lane);
  void beginInstant(std::string_view name, std::string_view cat, std::int64_t tNs,
                    std::uint32_t lane);
  void writeAsync(std::string_view ph, std::uint32_t lane, std::int64_t tNs);
  void writeTrackNames();
  void writeMetadata();

  int pidOf(std::uint32_t lane) const {
    return lanes_.lanes()[lane].kind == LaneKind::Client ? kClientsPid : kEnginePid;
  }

  JsonWriter json_;
  std::span<const TraceEvent> events_;
  const TraceMeta& meta_;
  std::int64_t originNs_;
  std::int64_t lastNs_ = 0;
  LaneTracker lanes_;
  std::vector<PendingCall> pending_;  // index: actor * 256 + thread (the producer)
  std::vector<bool> asyncOpen_;       // index: lane; a "b" was written, its "e" not yet
};

void ChromeExporter::run() {
  json_.beginObject();
  json_.key("traceEvents");
  json_.beginArray();
  for (const TraceEvent& event : events_) visit(event);
  for (PendingCall& slot : pending_) flushCall(slot, kNoClamp);
  // Lifetimes still open at the end close at the last moment the trace knows of, so every
  // "b" has its "e".
  for (std::uint32_t lane = 0; lane < asyncOpen_.size(); ++lane) {
    if (asyncOpen_[lane]) writeAsync("e", lane, std::max(lastNs_, lanes_.lanes()[lane].startNs));
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
  const std::size_t lanesBefore = lanes_.lanes().size();
  const std::uint32_t lane = lanes_.assign(event);
  trackLaneChanges(lanesBefore);
  switch (event.kind) {
    case EventKind::Call:
      visitCall(event, lane);
      return;
    case EventKind::Ready:
      visitReady(event, lane);
      return;
    case EventKind::Sample:
      writeSample(event);
      return;
    case EventKind::ClientAction:
      beginInstant(clientOpName(static_cast<ClientOp>(event.op)), "client", event.tNs, lane);
      writeClientArgs(event);
      return;
    case EventKind::ClientData:
      beginInstant("echo", "client", event.tNs, lane);
      break;
    case EventKind::Stranded:
    case EventKind::Busy:
    case EventKind::Blocked:
    case EventKind::Crash:
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
  writeInstantArgs(event);
}

// Opens an async lifetime for every new connection lane and closes the ones that ended.
void ChromeExporter::trackLaneChanges(std::size_t lanesBefore) {
  const auto& lanes = lanes_.lanes();
  if (asyncOpen_.size() < lanes.size()) asyncOpen_.resize(lanes.size(), false);
  for (std::size_t id = lanesBefore; id < lanes.size(); ++id) {
    if (lanes[id].kind != LaneKind::Connection) continue;
    writeAsync("b", static_cast<std::uint32_t>(id), lanes[id].startNs);
    asyncOpen_[id] = true;
  }
  for (const std::uint32_t id : lanes_.endedByLastEvent()) {
    if (!asyncOpen_[id]) continue;
    writeAsync("e", id, lanes[id].endNs);
    asyncOpen_[id] = false;
  }
}

void ChromeExporter::visitCall(const TraceEvent& event, std::uint32_t lane) {
  // Another producer's call still open on this track (two threads on one fd) ends here too.
  for (PendingCall& other : pending_) {
    if (other.valid && other.lane == lane) flushCall(other, event.tNs);
  }
  PendingCall& slot = pendingOf(event);
  flushCall(slot, event.tNs);
  slot.valid = true;
  slot.lane = lane;
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
  if (wait.valid && wait.lane == waitLane && wait.event.call == Call::EpollWait) {
    if (!wait.ready.empty()) wait.ready += ',';
    wait.ready += std::to_string(event.fd);
    wait.ready += ':';
    wait.ready += epollMaskName(event.events);
  }
  const std::size_t lanesBefore = lanes_.lanes().size();
  const std::uint32_t fdLane = lanes_.fdLane(event);
  trackLaneChanges(lanesBefore);
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
  beginEvent("X", callNameOf(event), "syscall", event.tNs, lane);
  json_.key("dur");
  json_.scaled(durNs, 3);
  writeCallArgs(event, slot.ready);
  json_.endObject();
}

void ChromeExporter::writeCallArgs(const TraceEvent& event, const std::string& ready) {
  json_.key("args");
  json_.beginObject();
  json_.field("fd", event.fd);
  json_.field("ret", event.ret);
  if (failed(event)) json_.field("errno", errnoName(event.err));
  switch (event.call) {
    case Call::Read:
      json_.field("bytes", event.a);
      writeDataArgs(event);
      break;
    case Call::Write:
      json_.field("bytes", event.a);
      break;
    case Call::Accept4:
      if (event.ret >= 0) json_.field("peer_port", event.a);
      break;
    case Call::EpollCtl:
      json_.field("op", epollOpName(event.op));
      json_.field("events", epollMaskName(event.events));
      json_.field("epfd", event.a);
      break;
    case Call::EpollWait:
      json_.field("maxevents", event.a);
      json_.field("timeout", event.b);
      if (!ready.empty()) json_.field("ready", ready);
      break;
    case Call::Shutdown:
      json_.field("how", event.b);
      break;
    default:
      break;
  }
  json_.endObject();
}

// What a read returned, from the payload store (the event itself holds no bytes).
void ChromeExporter::writeDataArgs(const TraceEvent& event) {
  if (meta_.payloads == nullptr || event.ret <= 0) return;
  const auto bytes = meta_.payloads->find(event.seq);
  if (!bytes) return;
  json_.field("data", escapedBytes(*bytes));
  if (event.ret > static_cast<std::int64_t>(bytes->size())) {
    json_.key("data_truncated");
    json_.raw("true");
  }
}

void ChromeExporter::writeSample(const TraceEvent& event) {
  const bool listener = static_cast<SampleOf>(event.op) == SampleOf::Listener;
  const std::string name = (listener ? "backlog fd " : "queues fd ") + std::to_string(event.fd);
  json_.beginObject();
  json_.field("ph", "C");
  json_.field("name", name);
  json_.field("cat", "kernel");
  json_.key("ts");
  json_.scaled(event.tNs - originNs_, 3);
  json_.field("pid", kEnginePid);
  json_.key("args");
  json_.beginObject();
  if (listener) {
    json_.field("accept_queue", event.a);
    json_.field("limit", event.b);
  } else {
    json_.field("recvq", event.a);
    json_.field("sendq", event.b);
    json_.field("unsent", event.c);
  }
  json_.endObject();
  json_.endObject();
}

// Args of the instants (diagnoses and control events), then closes the event object.
void ChromeExporter::writeInstantArgs(const TraceEvent& event) {
  json_.key("args");
  json_.beginObject();
  switch (event.kind) {
    case EventKind::Stranded: {
      const bool conns = static_cast<StrandedWhat>(event.op) == StrandedWhat::Connections;
      json_.field("fd", event.fd);
      if (event.flags & kEventInferred) {
        // Counts are unknown without kernel samples; the evidence is the last result.
        json_.key("inferred");
        json_.raw("true");
        json_.field(conns ? "last_accept_ret" : "last_read_ret", event.b);
        break;
      }
      json_.field(conns ? "connections" : "bytes", event.a);
      json_.field("count", event.a);
      break;
    }
    case EventKind::Busy:
      json_.field("idle_wakeups", event.a);
      json_.field("per_second", event.b);
      if (event.flags & kEventInferred) {
        json_.key("inferred");
        json_.raw("true");
        json_.key("span_us");
        json_.scaled(event.durNs, 3);
      }
      break;
    case EventKind::Blocked:
      json_.field("fd", event.fd);
      json_.field("call", callName(event.call));
      json_.key("ms");
      json_.scaled(event.a, 6);
      break;
    case EventKind::Crash:
      json_.field("fd", event.fd);
      json_.field("fault", seedFaultName(static_cast<SeedFault>(event.op)));
      json_.field("bytes", event.a);
      if (event.err != 0) json_.field("errno", errnoName(event.err));
      break;
    case EventKind::Config:
      if (event.op < kKnobCount) {
        const auto id = static_cast<KnobId>(event.op);
        json_.field("knob", knobInfo(id).name);
        json_.field("value", knobNumberText(id, event.a));
        json_.field("old", knobNumberText(id, event.b));
      } else {
        json_.field("knob", "knob " + std::to_string(event.op));
        json_.field("value", event.a);
        json_.field("old", event.b);
      }
      break;
    case EventKind::Control:
      if (static_cast<ControlOp>(event.op) == ControlOp::Pace) json_.field("pace_ms", event.a);
      break;
    case EventKind::Step:
      json_.field("index", event.a);
      break;
    case EventKind::ClientData:
      json_.field("bytes", event.a);
      json_.field("mismatched", event.b);
      json_.field("total", event.c);
      break;
    default:
      json_.field("a", event.a);
      json_.field("b", event.b);
      json_.field("c", event.c);
      break;
  }
  json_.endObject();
  json_.endObject();
}

void ChromeExporter::writeClientArgs(const TraceEvent& event) {
  const auto op = static_cast<ClientOp>(event.op);
  json_.key("args");
  json_.beginObject();
  json_.field("client", event.conn);
  json_.field("fd", event.fd);
  json_.field("bytes", event.a);
  json_.field("ret", event.ret);
  if (event.err != 0) json_.field("errno", errnoName(event.err));
  if (op == ClientOp::Connect || op == ClientOp::Connected) json_.field("local_port", event.b);
  if (op == ClientOp::Trickle) json_.field("period_ms", event.c);
  json_.endObject();
  json_.endObject();
}

// Writes the common head of a track event and leaves its object open.
void ChromeExporter::beginEvent(std::string_view ph, std::string_view name, std::string_view cat,
                                std::int64_t tNs, std::uint32_t lane) {
  json_.beginObject();
  json_.field("ph", ph);
  json_.field("name", name);
  json_.field("cat", cat);
  json_.key("ts");
  json_.scaled(tNs - originNs_, 3);
  json_.field("pid", pidOf(lane));
  json_.field("tid", lane + 1);
}

void ChromeExporter::beginInstant(std::string_view name, std::string_view cat, std::int64_t tNs,
                                  std::uint32_t lane) {
  beginEvent("i", name, cat, tNs, lane);
  json_.field("s", "t");
}

// Connection lifetimes go on async tracks: they overlap each other, which thread tracks
// (strict nesting) cannot show.
void ChromeExporter::writeAsync(std::string_view ph, std::uint32_t lane, std::int64_t tNs) {
  json_.beginObject();
  json_.field("ph", ph);
  json_.field("cat", "conn");
  json_.field("name", lanes_.lanes()[lane].name);
  json_.field("id", lane);
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
    metaEvent("thread_name", pidOf(lane.id), lane.id + 1);
    json_.field("name", lane.name);
    json_.endObject();
    json_.endObject();
    metaEvent("thread_sort_index", pidOf(lane.id), lane.id + 1);
    json_.field("sort_index", sortIndex(lane));
    json_.endObject();
    json_.endObject();
  }
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

// The kernel thread that made the event's calls. Only producers that set their tid make calls
// (the engine's sampler shares its actor and thread index but records samples only).
int producerTid(const TraceMeta& meta, const TraceEvent& event) {
  for (const Recorder::WriterInfo& writer : meta.writers) {
    if (writer.actor == event.actor && writer.thread == event.thread && writer.tid != 0) {
      return writer.tid;
    }
  }
  return 0;
}

}  // namespace

void writeChromeTrace(std::ostream& out, std::span<const TraceEvent> events,
                      const TraceMeta& meta) {
  ChromeExporter(out, events, meta).run();
}

void writeCallsCsv(std::ostream& out, std::span<const TraceEvent> events, const TraceMeta& meta) {
  const std::int64_t origin = originNs(events);
  std::string line = "seq,t_us,dur_us,thread,tid,call,fd,ret,errno,bytes,events,op\n";
  out << line;
  for (const TraceEvent& event : events) {
    if (event.kind != EventKind::Call) continue;
    const bool io = event.call == Call::Read || event.call == Call::Write;
    const bool ctl = event.call == Call::EpollCtl;
    line.clear();
    line += std::to_string(event.seq);
    line += ',';
    appendScaled(line, event.tNs - origin, 3);
    line += ',';
    appendScaled(line, std::max<std::int64_t>(event.durNs, 0), 3);
    line += ',' + std::to_string(event.thread);
    line += ',' + std::to_string(producerTid(meta, event));
    line += ',';
    line += callNameOf(event);
    line += ',' + std::to_string(event.fd);
    line += ',' + std::to_string(event.ret);
    line += ',';
    if (failed(event)) line += errnoName(event.err);  // names never hold ',' or '"'
    line += ',';
    if (io) line += std::to_string(event.a);
    line += ',';
    if (ctl) line += epollMaskName(event.events);
    line += ',';
    if (ctl) line += epollOpName(event.op);
    line += '\n';
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
  }
}

}  // namespace eps
