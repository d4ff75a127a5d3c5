// Field-by-field comparison of two sessions, for the round trips the fuzz targets check (a
// session read, written back and read again must be the one first read). Core has no
// operator== for these types: only the fuzz targets need it.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "core/formats/session_file.hpp"

namespace eps::fuzz {

inline auto fieldsOf(const TraceEvent& e) {
  return std::tie(e.tNs, e.durNs, e.seq, e.ret, e.a, e.b, e.c, e.fd, e.err, e.events, e.conn,
                  e.kind, e.call, e.op, e.actor, e.thread, e.flags);
}

inline auto fieldsOf(const Recorder::WriterInfo& w) {
  return std::tie(w.name, w.actor, w.thread, w.tid);
}

inline auto fieldsOf(const ClientStats& c) {
  return std::tie(c.id, c.fd, c.localPort, c.connected, c.reading, c.writeShut, c.closed, c.eof,
                  c.resetByPeer, c.lastErr, c.sent, c.queued, c.echoed, c.mismatched, c.pending,
                  c.urgentSent);
}

template <typename T>
bool sameList(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (fieldsOf(a[i]) != fieldsOf(b[i])) return false;
  }
  return true;
}

// "" when equal, else the first field that differs. brokenBy is left out on purpose: the
// file format does not carry it (format in core/formats/session_file.hpp).
inline std::string sessionDifference(const SessionData& a, const SessionData& b) {
  if (!sameList(a.events, b.events)) return "events";
  if (!sameList(a.writers, b.writers)) return "writers";
  if (!sameList(a.clients, b.clients)) return "clients";
  if (a.laneLabels != b.laneLabels) return "laneLabels";
  if (a.knobs != b.knobs) return "knobs";
  if (a.port != b.port || a.pid != b.pid) return "port or pid";
  if (a.dropped != b.dropped) return "dropped";
  if (a.source != b.source) return "source";
  if (!(a.lesson == b.lesson)) return "lesson";
  if (a.payloads != b.payloads) return "payloads";
  if (a.savedAt != b.savedAt || a.host != b.host) return "savedAt or host";
  return {};
}

}  // namespace eps::fuzz
