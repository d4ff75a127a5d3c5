#include "app/gui/cursor_json.hpp"

#include <string>

namespace eps::gui {

using nlohmann::json;

namespace {

json epollsJson(const KernelState& state) {
  json out = json::array();
  for (const auto& [epfd, instance] : state.epolls) {
    json interest = json::array(), ready = json::array();
    for (const auto& [fd, entry] : instance.interest) {
      interest.push_back({{"fd", fd}, {"mask", entry.mask}, {"armed", entry.armed}});
    }
    for (const ReadyEntry& r : instance.ready) {
      ready.push_back({{"fd", r.fd}, {"events", r.events}, {"edge", r.edge}});
    }
    out.push_back({{"epfd", epfd}, {"interest", interest}, {"ready", ready}});
  }
  return out;
}

}  // namespace

json kernelStateJson(const KernelState& state, std::int64_t atNs) {
  json sockets = json::array(), diagnoses = json::array(), positions = json::array();
  for (const auto& [fd, s] : state.sockets) {
    json socket = {{"fd", fd},   {"listener", s.listener}, {"known", s.queues.known},
                   {"held", s.held}, {"onReadyList", state.onReadyList(fd)}};
    if (s.queues.known) {
      socket["recv"] = s.queues.recv;
      socket["send"] = s.queues.send;
    }
    sockets.push_back(socket);
  }
  for (const DiagnosisState& d : state.diagnoses) {
    diagnoses.push_back({{"kind", std::string(eventKindName(d.kind))},
                         {"fd", d.fd},
                         {"count", d.count},
                         {"text", diagnosisText(d)}});
  }
  for (const auto& [thread, p] : state.positions) {
    positions.push_back({{"thread", thread},
                         {"call", std::string(callName(p.call))},
                         {"fd", p.fd},
                         {"asleep", p.asleepAfter},
                         {"text", positionText(p, atNs)}});
  }
  return {{"applied", state.applied}, {"epolls", epollsJson(state)},
          {"sockets", sockets},       {"held", state.heldTotal()},
          {"diagnoses", diagnoses},   {"positions", positions}};
}

json cursorJson(TimeCursor& cursor, const TimelineModel& model) {
  const std::int64_t originNs = model.firstNs();
  const KernelState& state = stateAtCursor(cursor, model);
  json out = {{"set", cursor.set},
              {"count", state.applied},
              {"events", cursor.replay.size()},
              {"label", cursorLabel(cursor, originNs)},
              {"state", kernelStateJson(state, cursor.set ? cursor.tNs : state.tNs)}};
  if (cursor.set) {
    out["index"] = cursor.count > 0 ? static_cast<std::int64_t>(cursor.count) - 1 : -1;
    out["tNs"] = cursor.tNs;
  }
  return out;
}

json engineSocketsJson(const std::vector<SocketView>& sockets) {
  json out = json::array();
  for (const SocketView& v : sockets) {
    out.push_back({{"fd", v.fd},
                   {"listener", v.listener},
                   {"interest", v.interest},
                   {"armed", v.armed},
                   {"recv", v.recvQueue},
                   {"send", v.sendQueue},
                   {"held", v.heldBytes},
                   {"stranded", v.stranded}});
  }
  return out;
}

}  // namespace eps::gui
