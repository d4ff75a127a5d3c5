// The time cursor: an instant of the trace on show, placed on the timeline (a click on the
// ruler, Alt+click on the lanes) or stepped call by call ([ and ]), at which the kernel view
// and the epoll picture show the kernel's state rebuilt from the trace (core/kernelstate).
// Without a cursor they show "now": the end of the trace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/gui/text/ui_text.hpp"
#include "core/engine/engine.hpp"
#include "core/kernelstate/replay.hpp"
#include "core/timeline/model.hpp"

namespace eps::gui {

// The button that takes the cursor away (the kernel view's and the epoll picture's).
inline constexpr const char* kCursorBackToNow = "back to now";

// Ownership: part of UiState; used on the UI thread only.
struct TimeCursor {
  bool set = false;
  std::size_t count = 0;  // the state after the trace's events [0, count)
  std::int64_t tNs = 0;   // where the line is drawn
  bool reveal = false;    // stepped by a key: the timeline brings the line into view
  KernelReplay replay;    // the timeline's events, fed as they arrive
  std::uint64_t clears = ~std::uint64_t{0};  // the model's clearCount() the replay was fed from
  std::uint64_t fedFrom = 0;                 // the model id of the replay's first event
  std::uint64_t fedTo = 0;                   // the model id after the last one fed
  // The epoll picture's buckets as drawn last frame (they move toward the state's values).
  std::map<std::string, float> shown;
  std::int64_t lastDrawNs = 0;
  bool animating = false;  // a bucket is still moving: draw another frame
};

// The replay is fed only when the cursor or the picture is used (a copy of the events costs
// memory a window that never uses them should not pay): each call below that needs the
// events feeds the model's new ones first (all again after the model was cleared, or when
// the model's cap dropped as many events as it keeps).
void syncCursor(TimeCursor& cursor, const TimelineModel& model);
// Every frame, cheap: a cursor on a trace the model no longer shows (cleared) goes.
void forgetClearedCursor(TimeCursor& cursor, const TimelineModel& model);
// Places the cursor at time t: the state of every event begun by then.
void placeCursor(TimeCursor& cursor, const TimelineModel& model, std::int64_t t);
// To the next (+1) or previous (-1) engine call; from no cursor, the first or the last call.
void stepCursor(TimeCursor& cursor, const TimelineModel& model, int direction);
void clearCursor(TimeCursor& cursor);
// The state at the cursor, or at the end of the trace without one.
const KernelState& stateAtCursor(TimeCursor& cursor, const TimelineModel& model);
// The state's sockets as the kernel view's rows (the engine's own view has the same shape).
std::vector<SocketView> socketViewsAt(const KernelState& state);
// "at 12.345 ms" (from the trace's first event) or "now".
std::string cursorLabel(const TimeCursor& cursor, std::int64_t originNs, Translator say = english);

}  // namespace eps::gui
