// The CSV export: one line per call (see formats/export.hpp). Runs on the exporting thread,
// streaming line by line.
#include <algorithm>
#include <string>
#include <vector>

#include "core/base/json_writer.hpp"
#include "core/base/names.hpp"
#include "core/base/option_names.hpp"
#include "core/formats/export.hpp"
#include "core/formats/export_args.hpp"

namespace eps {
namespace {

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

// A sample the engine thread took names the probe calls it made: they are lines of their own.
// The wait sampler's samples are another thread's calls (its tid is not recorded).
bool engineProbes(const TraceEvent& event) {
  return event.kind == EventKind::Sample && event.ret != 0 &&
         (event.flags & (kEventSamplerThread | kEventImported)) == 0;
}

// Positions of the calls (and of the samples whose probes are calls) in `events`, by start;
// a stable sort keeps recording order (seq) for calls that began in the same nanosecond.
std::vector<std::size_t> callsInStartOrder(std::span<const TraceEvent> events) {
  std::vector<std::size_t> calls;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].kind == EventKind::Call || engineProbes(events[i])) calls.push_back(i);
  }
  std::stable_sort(calls.begin(), calls.end(), [&events](std::size_t a, std::size_t b) {
    return events[a].tNs < events[b].tNs;
  });
  return calls;
}

// One line per probe call of a sample, in the order made: same seq and time (the sample's),
// `op` the request ("SIOCINQ", "TCP_INFO"), `events` a poll's revents. A probe that failed
// shows -1 without an errno (a sample keeps which probe failed, not why).
void writeProbeLines(std::ostream& out, std::string& line, const TraceEvent& sample,
                     std::int64_t origin, int tid) {
  for (const ProbeCall& call : probeCallsOf(sample)) {
    line.clear();
    line += std::to_string(sample.seq);
    line += ',';
    appendScaled(line, sample.tNs - origin, 3);
    line += ",0," + std::to_string(sample.thread) + ',' + std::to_string(tid) + ',';
    line += call.call;
    line += ',' + std::to_string(call.fd) + ',' + std::to_string(call.ret) + ",,,";
    if (call.call == "poll" && sample.events != 0) line += epollMaskName(sample.events);
    line += ',';
    line += call.what;
    line += '\n';
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
  }
}

}  // namespace

void writeCallsCsv(std::ostream& out, std::span<const TraceEvent> events, const TraceMeta& meta) {
  const std::int64_t origin = exportOriginNs(events);
  std::string line = "seq,t_us,dur_us,thread,tid,call,fd,ret,errno,bytes,events,op\n";
  out << line;
  for (const std::size_t index : callsInStartOrder(events)) {
    const TraceEvent& event = events[index];
    if (event.kind == EventKind::Sample) {
      writeProbeLines(out, line, event, origin, producerTid(meta, event));
      continue;
    }
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
    if (callFailed(event)) line += errnoName(event.err);  // names never hold ',' or '"'
    line += ',';
    if (io) line += std::to_string(event.a);
    line += ',';
    if (ctl) line += epollMaskName(event.events);
    line += ',';
    line += ctl ? std::string(epollOpName(event.op)) : callDetail(event);
    line += '\n';
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
  }
}

}  // namespace eps
