#include "app/gui/state/time_cursor.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace eps::gui {

void forgetClearedCursor(TimeCursor& cursor, const TimelineModel& model) {
  if (cursor.clears == model.clearCount()) return;
  cursor.replay.clear();
  cursor.set = false;
  cursor.shown.clear();
  cursor.clears = model.clearCount();
  cursor.fedFrom = cursor.fedTo = model.firstRetainedId();
}

void syncCursor(TimeCursor& cursor, const TimelineModel& model) {
  forgetClearedCursor(cursor, model);
  // Behind the model's front, or holding twice what the model keeps (its cap dropped the
  // oldest events): start again from what it keeps, so the copy stays within the cap.
  const std::uint64_t kept = model.endId() - model.firstRetainedId();
  if (cursor.fedTo < model.firstRetainedId() ||
      (cursor.fedFrom < model.firstRetainedId() && cursor.replay.size() > 2 * kept)) {
    cursor.replay.clear();
    cursor.set = false;
    cursor.fedFrom = cursor.fedTo = model.firstRetainedId();
  }
  if (cursor.fedTo >= model.endId()) return;
  std::vector<TraceEvent> fresh;
  fresh.reserve(model.endId() - cursor.fedTo);
  model.forEachEvent(cursor.fedTo, model.endId(),
                     [&](std::uint64_t, const TraceEvent& e) { fresh.push_back(e); });
  cursor.replay.append(fresh);
  cursor.fedTo = model.endId();
}

void placeCursor(TimeCursor& cursor, const TimelineModel& model, std::int64_t t) {
  syncCursor(cursor, model);
  cursor.set = true;
  cursor.tNs = t;
  cursor.count = cursor.replay.countAt(t);
}

void stepCursor(TimeCursor& cursor, const TimelineModel& model, int direction) {
  syncCursor(cursor, model);
  const KernelReplay& replay = cursor.replay;
  const std::size_t last = cursor.set && cursor.count > 0 ? cursor.count - 1 : KernelReplay::npos;
  std::size_t call = KernelReplay::npos;
  if (direction > 0) {
    call = replay.nextCall(cursor.set ? last : KernelReplay::npos);
  } else {
    call = replay.previousCall(cursor.set ? (last == KernelReplay::npos ? 0 : last)
                                          : replay.size());
  }
  if (call == KernelReplay::npos) return;  // already at the first or last call
  cursor.set = true;
  cursor.count = call + 1;
  cursor.tNs = replay.events()[call].tNs;
  cursor.reveal = true;
}

void clearCursor(TimeCursor& cursor) { cursor.set = false; }

const KernelState& stateAtCursor(TimeCursor& cursor, const TimelineModel& model) {
  syncCursor(cursor, model);
  return cursor.replay.seek(cursor.set ? cursor.count : cursor.replay.size());
}

std::vector<SocketView> socketViewsAt(const KernelState& state) {
  std::vector<SocketView> views;
  for (const auto& [fd, socket] : state.sockets) {
    SocketView view;
    view.fd = fd;
    view.listener = socket.listener;
    view.peerPort = socket.peerPort;
    if (const InterestEntry* interest = state.interestOf(fd)) {
      view.interest = interest->mask;
      view.armed = interest->armed;
    }
    // -1: no sample yet ("?" in the kernel view); the engine's own view never has one.
    view.recvQueue = socket.queues.known ? socket.queues.recv : -1;
    view.sendQueue = socket.queues.known ? socket.queues.send : -1;
    view.unsent = socket.queues.unsent;
    view.sampledNs = socket.queues.sampledNs;
    view.heldBytes = static_cast<std::size_t>(socket.held);
    view.peerEof = socket.peerEof;
    view.lastReadEagain = socket.lastReadEagain;
    if (const DiagnosisState* stranded = state.strandedAt(fd)) {
      view.stranded = std::max<std::int64_t>(stranded->count, 1);
    }
    views.push_back(view);
  }
  return views;
}

std::string cursorLabel(const TimeCursor& cursor, std::int64_t originNs, Translator say) {
  if (!cursor.set) return say("now");
  return trPrintfWith(say, "at %.3f ms", static_cast<double>(cursor.tNs - originNs) / 1e6);
}

}  // namespace eps::gui
