// The args of every exported event kind (see formats/export_args.hpp). Called by the exporting
// thread only.
#include "core/formats/export_args.hpp"

#include <algorithm>
#include <string>

#include "core/base/knobs.hpp"
#include "core/base/names.hpp"
#include "core/base/option_names.hpp"
#include "core/base/payload_text.hpp"

namespace eps {

std::int64_t exportOriginNs(std::span<const TraceEvent> events) {
  if (events.empty()) return 0;
  std::int64_t origin = events.front().tNs;
  for (const TraceEvent& event : events) origin = std::min(origin, event.tNs);
  return origin;
}

namespace {

// What a read returned, from the payload store (the event itself holds no bytes).
void writeDataArgs(JsonWriter& json, const TraceEvent& event, const PayloadStore* payloads) {
  if (payloads == nullptr || event.ret <= 0) return;
  const auto bytes = payloads->find(event.seq);
  if (!bytes) return;
  json.field("data", escapedBytes(*bytes));
  if (event.ret > static_cast<std::int64_t>(bytes->size())) {
    json.key("data_truncated");
    json.raw("true");
  }
}

// The engine's setup calls: each says its option, command or resource by name.
void writeSetupArgs(JsonWriter& json, const TraceEvent& event) {
  switch (event.call) {
    case Call::Setsockopt:
      json.field("option", sockoptName(event.a, event.b));
      json.field("value", event.c);
      break;
    case Call::Fcntl:
      json.field("cmd", fcntlCommandName(event.b));
      json.field("arg", event.a);
      break;
    case Call::Getsockname:
      if (event.ret == 0) json.field("port", event.a);
      break;
    case Call::Prlimit64:
      json.field("resource", rlimitName(event.a));
      json.field(event.b != 0 ? "set_soft" : "soft", event.c);
      break;
    case Call::Unshare:
      json.field("flags", unshareFlagsName(event.b));
      break;
    case Call::CloseRange:
      json.field("last", event.a);
      break;
    default:
      break;
  }
}

}  // namespace

void writeCallArgs(JsonWriter& json, const TraceEvent& event, std::string_view ready,
                   const PayloadStore* payloads) {
  json.key("args");
  json.beginObject();
  json.field("fd", event.fd);
  json.field("ret", event.ret);
  if (callFailed(event)) json.field("errno", errnoName(event.err));
  switch (event.call) {
    case Call::Read:
      json.field("bytes", event.a);
      writeDataArgs(json, event, payloads);
      break;
    case Call::Write:
      json.field("bytes", event.a);
      break;
    case Call::Accept4:
      if (event.ret >= 0) json.field("peer_port", event.a);
      break;
    case Call::EpollCtl:
      json.field("op", epollOpName(event.op));
      json.field("events", epollMaskName(event.events));
      json.field("epfd", event.a);
      break;
    case Call::EpollWait:
      json.field("maxevents", event.a);
      json.field("timeout", event.b);
      if (!ready.empty()) json.field("ready", ready);
      break;
    case Call::Poll:
    case Call::Ppoll:
    case Call::Select:
    case Call::Pselect6:
      json.field("nfds", event.a);
      json.field("timeout", event.b);
      if (!ready.empty()) json.field("ready", ready);
      break;
    case Call::Shutdown:
      json.field("how", event.b);
      break;
    case Call::Setsockopt:
    case Call::Fcntl:
    case Call::Getsockname:
    case Call::Prlimit64:
    case Call::Unshare:
    case Call::CloseRange:
      writeSetupArgs(json, event);
      break;
    default:
      break;
  }
  json.endObject();
}

void writeSampleArgs(JsonWriter& json, const TraceEvent& event) {
  json.key("args");
  json.beginObject();
  if (static_cast<SampleOf>(event.op) == SampleOf::Listener) {
    json.field("accept_queue", event.a);
    json.field("limit", event.b);
  } else {
    json.field("recvq", event.a);
    json.field("sendq", event.b);
    json.field("unsent", event.c);
  }
  json.endObject();
}

void writeProbeArgs(JsonWriter& json, const TraceEvent& sample, const ProbeCall& call) {
  json.key("args");
  json.beginObject();
  json.field("fd", call.fd);
  json.field("ret", call.ret);
  json.field(call.call == "poll"    ? "events"
             : call.call == "ioctl" ? "request"
                                    : "option",
             call.what);
  if (call.call == "poll" && sample.events != 0)
    json.field("revents", epollMaskName(sample.events));
  if ((sample.flags & kEventSamplerThread) != 0) json.field("thread", "sampler");
  json.endObject();
}

namespace {

// Args of the diagnoses (stranded, busy, blocked, crash).
void writeDiagnosisArgs(JsonWriter& json, const TraceEvent& event) {
  switch (event.kind) {
    case EventKind::Stranded: {
      const bool conns = static_cast<StrandedWhat>(event.op) == StrandedWhat::Connections;
      json.field("fd", event.fd);
      if (event.flags & kEventInferred) {
        // Counts are unknown without kernel samples; the evidence is the last result.
        json.key("inferred");
        json.raw("true");
        json.field(conns ? "last_accept_ret" : "last_read_ret", event.b);
        break;
      }
      json.field(conns ? "connections" : "bytes", event.a);
      json.field("count", event.a);
      // A live trace's: measured by a sample of the traced program's socket.
      if (event.flags & kEventImported) json.field("measured", "from a sample");
      break;
    }
    case EventKind::Busy:
      if (event.fd >= 0) json.field("fd", event.fd);  // the socket that keeps waking the loop
      json.field("idle_wakeups", event.a);
      json.field("per_second", event.b);
      if (event.flags & kEventInferred) {
        json.key("inferred");
        json.raw("true");
        json.key("span_us");
        json.scaled(event.durNs, 3);
      }
      break;
    case EventKind::Blocked:
      json.field("fd", event.fd);
      json.field("call", callName(event.call));
      json.key("ms");
      json.scaled(event.a, 6);
      break;
    case EventKind::Herd:
      json.field("fd", event.fd);  // the listener
      json.field("woken_in_vain", event.a);
      json.field("accepted_fd", event.c);
      json.key("inferred");
      json.raw("true");
      break;
    case EventKind::Crash:
      json.field("fd", event.fd);
      json.field("fault", seedFaultName(static_cast<SeedFault>(event.op)));
      json.field("bytes", event.a);
      if (event.err != 0) json.field("errno", errnoName(event.err));
      break;
    default:
      break;
  }
}

// Args of a knob's change: its name and both values in the knob's own words.
void writeConfigArgs(JsonWriter& json, const TraceEvent& event) {
  if (event.op < kKnobCount) {
    const auto id = static_cast<KnobId>(event.op);
    json.field("knob", knobInfo(id).name);
    json.field("value", knobNumberText(id, event.a));
    json.field("old", knobNumberText(id, event.b));
  } else {
    json.field("knob", "knob " + std::to_string(event.op));
    json.field("value", event.a);
    json.field("old", event.b);
  }
}

}  // namespace

// Args of the instants: diagnoses, control events, echoes.
void writeInstantArgs(JsonWriter& json, const TraceEvent& event) {
  json.key("args");
  json.beginObject();
  switch (event.kind) {
    case EventKind::Stranded:
    case EventKind::Busy:
    case EventKind::Blocked:
    case EventKind::Crash:
    case EventKind::Herd:
      writeDiagnosisArgs(json, event);
      break;
    case EventKind::Config:
      writeConfigArgs(json, event);
      break;
    case EventKind::Control:
      if (static_cast<ControlOp>(event.op) == ControlOp::Pace) json.field("pace_ms", event.a);
      break;
    case EventKind::Step:
      json.field("index", event.a);
      break;
    case EventKind::ClientData:
      json.field("bytes", event.a);
      json.field("mismatched", event.b);
      json.field("total", event.c);
      break;
    default:
      json.field("a", event.a);
      json.field("b", event.b);
      json.field("c", event.c);
      break;
  }
  json.endObject();
}

void writeClientArgs(JsonWriter& json, const TraceEvent& event) {
  const auto op = static_cast<ClientOp>(event.op);
  json.key("args");
  json.beginObject();
  json.field("client", event.conn);
  json.field("fd", event.fd);
  json.field("bytes", event.a);
  json.field("ret", event.ret);
  if (event.err != 0) json.field("errno", errnoName(event.err));
  if (op == ClientOp::Connect || op == ClientOp::Connected) json.field("local_port", event.b);
  if (op == ClientOp::Trickle) json.field("period_ms", event.c);
  json.endObject();
}

}  // namespace eps
