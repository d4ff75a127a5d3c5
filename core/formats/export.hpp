// Exports of a recorded trace: Chrome Trace Event JSON (opens in Perfetto UI) and a CSV of
// calls. Both stream: events are written as they are visited, never built as one document.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/trace/payload_store.hpp"
#include "core/trace/recorder.hpp"

namespace eps {

struct TraceMeta {
  std::vector<Recorder::WriterInfo> writers;  // producer names and kernel thread ids
  std::uint64_t dropped = 0;                  // events lost to full rings or the retention cap
  std::string knobs;                          // describeKnobs() at the start
  int port = 0;
  int pid = 0;
  std::string source;  // imports: where the events came from ("strace log t.log"), else empty
  // Imports: the lane names imported events' `conn` indexes (LaneTracker::setLabels).
  const std::vector<std::string>* laneLabels = nullptr;
  // The bytes of the engine's reads (Recorder::payloads()); nullptr: none. Must outlive the
  // write. A read with kept bytes gets args "data" (escaped: hello\n) and, when only a
  // prefix was kept, "data_truncated": true.
  const PayloadStore* payloads = nullptr;
};

// Chrome Trace Event JSON, object form. Each call is an "X" event named exactly after the
// call (epoll_wait, epoll_ctl, accept4, read, write, close, ...) with args fd, ret, errno
// (a name, absent on success), bytes (asked), events (a mask name), op (EPOLL_CTL_*);
// diagnoses are instants named stranded / busy / blocked (an inferred one, from an import,
// has cat "diagnosis,inferred" and args inferred=true); samples are counters; one track
// (tid) per lane, named by thread_name metadata. Timestamps in microseconds.
//
// Layout (see LaneTracker for which event lands on which lane): pid 1 "epollscope engine",
// pid 2 "clients"; tid = lane id + 10, so no tid is also a pid (Perfetto reads tids as
// system-wide thread ids). Timestamps are relative to the earliest event, with 3 decimals (ns
// precision). A call's slice is at least 1 ns long but is clamped to end where the same
// thread's next call begins, so slices on one track never overlap. A lane's calls made by a
// thread other than its first caller (workers' accept4 on the listener) go to a side track
// named "LANE · PRODUCER" (tid from 2^30), since threads' calls overlap in time. Each Ready record
// is an instant "ready" on its socket's track and is also listed in its epoll_wait's args as
// "ready":"7:EPOLLIN,9:EPOLLOUT". Kernel samples are counters "queues fd N" (recvq, sendq,
// unsent) and "backlog fd N" (accept_queue, limit); each probe call that took one is an
// instant named after the call ("ioctl", "getsockopt", "poll", cat "probe") on its lane. Connection lifetimes are async "b"/"e"
// pairs on pid 1 (cat "conn", id "0x<lane id>", name = the lane's final name); a lifetime
// still open at the end closes at the trace's last timestamp. tests/js/validate-trace.mjs
// checks all of this with Chrome DevTools' trace engine.
void writeChromeTrace(std::ostream& out, std::span<const TraceEvent> events, const TraceMeta& meta);

// One line per call: seq,t_us,dur_us,thread,tid,call,fd,ret,errno,bytes,events,op — in the
// order the calls began (t_us, then seq), so times never run backwards. Events are recorded
// as calls complete: where threads' calls overlap (workers, a client's call in another
// thread) the seq column keeps the completion order. One thread's calls never overlap, so
// each thread's rows come in the order that thread made them (strace's order). `op` holds what
// tells a call of its kind apart (EPOLL_CTL_MOD, SO_RCVBUF, F_SETFL, RLIMIT_NOFILE). A sample
// the engine thread took is expanded into its probe calls, one line each, with the sample's
// seq and time (`op` SIOCINQ, TCP_INFO, POLLIN; `events` a poll's revents); the wait
// sampler's samples are its own thread's, not listed.
void writeCallsCsv(std::ostream& out, std::span<const TraceEvent> events, const TraceMeta& meta);

}  // namespace eps
