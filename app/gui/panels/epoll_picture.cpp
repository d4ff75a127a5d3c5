// The epoll picture: the kernel's side of epoll drawn as things, at the time cursor (or now).
// Each socket is a card on the interest list (or not), with its receive and send queues as
// buckets that fill and drain (a listener: its accept queue against the backlog limit); a
// card on the ready list is outlined and says whether an edge or a level put it there; the
// bytes the engine holds are under it; the engine's position is the first line. A lost
// wakeup shows at a glance: a red card marked STRANDED, bytes in its bucket, not on the
// ready list, and the engine asleep in epoll_wait.
#include <sys/epoll.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/gui/panels/panels.hpp"
#include "core/base/names.hpp"
#include "core/trace/recorder.hpp"

namespace eps::gui {
namespace {

// "IN|RDHUP" for EPOLLIN|EPOLLRDHUP: a card is narrow, and every flag there is EPOLL's.
std::string shortMask(std::uint32_t mask) {
  std::string text = epollMaskName(mask);
  for (std::size_t at = text.find("EPOLL"); at != std::string::npos; at = text.find("EPOLL", at)) {
    text.erase(at, 5);
  }
  return text;
}

// A bucket's move: quick enough to keep up with a step, or as slow as the engine's pace (a
// paced lesson's queues fill and drain at the speed its calls are made), up to a second.
double animateSeconds(const UiState& ui) {
  return ui.paceMs > 0 ? std::clamp(ui.paceMs / 1000.0, 0.15, 1.0) : 0.15;
}

// A bucket's level drawn last frame moves toward `target` (0..1); `step`: the share of the
// way it moves this frame.
float animated(TimeCursor& cursor, const std::string& key, float target, double step) {
  auto [at, fresh] = cursor.shown.try_emplace(key, target);
  if (fresh) return target;
  float& shown = at->second;
  shown += (target - shown) * static_cast<float>(step);
  if (std::fabs(target - shown) < 0.002f) shown = target;
  cursor.animating = cursor.animating || shown != target;
  return shown;
}

// Bytes on a log scale up to 64 KiB and beyond: 1 byte shows, 4 KiB is half full.
float bytesLevel(std::int64_t bytes) {
  if (bytes <= 0) return 0;
  const double cap = std::max(65536.0, static_cast<double>(bytes));
  return static_cast<float>(std::log1p(static_cast<double>(bytes)) / std::log1p(cap));
}

struct Bucket {
  const char* name;
  std::string value;  // under it
  float level;        // 0..1
};

void drawBucket(ImDrawList* draw, const Theme& theme, ImVec2 min, ImVec2 size,
                const Bucket& bucket) {
  const float em = ImGui::GetFontSize();
  const ImVec2 max{min.x + size.x, min.y + size.y - 1.2f * em};
  const float fill = max.y - (max.y - min.y) * std::clamp(bucket.level, 0.0f, 1.0f);
  draw->AddRectFilled({min.x, fill}, max, theme.depthFill);
  draw->AddLine({min.x, fill}, {max.x, fill}, theme.depthLine, 2);
  draw->AddLine(min, {min.x, max.y}, theme.text, 2);  // an open bucket: no lid
  draw->AddLine({min.x, max.y}, max, theme.text, 2);
  draw->AddLine(max, {max.x, min.y}, theme.text, 2);
  draw->AddText({min.x + 3, min.y}, theme.textDim, bucket.name);
  draw->AddText({min.x, max.y + 1}, theme.text, bucket.value.c_str());
}

std::string bytesText(const QueueLevels& queues, std::int64_t value) {
  return queues.known ? std::to_string(value) : "?";
}

struct CardInput {
  const SocketState& socket;
  const KernelState& state;
  double step;  // animated()'s
};

void drawCardText(ImDrawList* draw, ImVec2& at, const std::string& text,
                  ImU32 colour) {
  draw->AddText(at, colour, text.c_str());
  at.y += ImGui::GetFontSize() * 1.1f;
}

// The card's words, down its left column: fd, interest (mask, trigger, ONESHOT), the ready
// list or the stranding, the bytes held.
void drawCardWords(const Theme& theme, const CardInput& in, ImVec2 at) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const SocketState& socket = in.socket;
  // The first line says what matters most, so a card as short as two lines still says it:
  // the fd and, beside it, STRANDED or how it got on the ready list.
  const std::string title = "fd " + std::to_string(socket.fd);
  draw->AddText(at, theme.text, title.c_str());
  const ReadyEntry* ready = nullptr;
  for (const auto& [epfd, instance] : in.state.epolls) {
    for (const ReadyEntry& r : instance.ready) ready = r.fd == socket.fd ? &r : ready;
  }
  const ImVec2 beside{at.x + ImGui::CalcTextSize((title + " ").c_str()).x, at.y};
  if (in.state.strandedAt(socket.fd) != nullptr) {
    draw->AddText(beside, theme.stranded, tr("STRANDED"));
  } else if (ready != nullptr) {
    draw->AddText(beside, theme.ready, ready->edge ? tr("READY (edge)") : tr("READY (level)"));
  } else if (socket.listener) {
    draw->AddText(beside, theme.textDim, tr("listener"));
  }
  at.y += ImGui::GetFontSize() * 1.1f;
  const InterestEntry* interest = in.state.interestOf(socket.fd);
  if (interest != nullptr) {
    drawCardText(draw, at,
                 shortMask(interest->mask & ~(EPOLLET | EPOLLONESHOT)) +
                     ((interest->mask & EPOLLET) ? " ET" : " LT"),
                 theme.text);
    if (interest->mask & EPOLLONESHOT) {
      drawCardText(draw, at, interest->armed ? tr("1shot armed") : tr("1shot fired"),
                   interest->armed ? theme.text : theme.eagain);
    }
  } else {
    drawCardText(draw, at, tr("not on the interest list"), theme.textDim);
  }
  if (socket.held > 0) {
    drawCardText(draw, at, trPrintf("engine holds %lld B", static_cast<long long>(socket.held)),
                 theme.write);
  }
}

// One socket: its card at the layout cursor, words on the left, its buckets on the right
// as tall as the card (so they stay readable in a short panel at a projector's font).
void drawCard(Frame& frame, const CardInput& in, ImVec2 size) {
  const Theme& theme = frame.theme;
  const SocketState& socket = in.socket;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float em = ImGui::GetFontSize();
  const ImVec2 min = ImGui::GetCursorScreenPos(), max{min.x + size.x, min.y + size.y};
  ImGui::Dummy(size);
  const bool stranded = in.state.strandedAt(socket.fd) != nullptr;
  const bool ready = in.state.onReadyList(socket.fd);
  draw->AddRectFilled(min, max, theme.laneAlternate, 4);
  if (stranded) draw->AddRect(min, max, theme.stranded, 4, 0, 4);
  else if (ready) draw->AddRect(min, max, theme.ready, 4, 0, 3);
  // An fd the trace never showed opened as a socket (an eventfd, a pipe, an import's fd
  // opened before the log began): its words, no buckets.
  const bool socketKnown = in.state.socket(socket.fd) != nullptr;
  const float bucketW = em * 3;
  const float bucketsX = socketKnown ? max.x - 2 * bucketW - em * 1.0f : max.x;
  draw->PushClipRect(min, {bucketsX - em * 0.2f, max.y}, true);
  drawCardWords(theme, in, {min.x + em * 0.4f, min.y + em * 0.3f});
  draw->PopClipRect();
  if (!socketKnown) return;
  const ImVec2 bucketSize{bucketW, size.y - em * 0.6f};
  const ImVec2 at{bucketsX, min.y + em * 0.3f};
  const std::string key = std::to_string(socket.fd);
  const QueueLevels& q = socket.queues;
  if (socket.listener) {
    const float level = q.known && q.send > 0 ? static_cast<float>(q.recv) / static_cast<float>(q.send)
                                              : 0;
    drawBucket(
        draw, theme, {at.x + bucketW + em * 0.4f, at.y}, bucketSize,
        {tr("backlog"), q.known ? std::to_string(q.recv) + "/" + std::to_string(q.send) : "?",
         animated(frame.ui.cursor, key + "b", level, in.step)});
    return;
  }
  drawBucket(draw, theme, at, bucketSize,
             {tr("recv"), bytesText(q, q.recv),
              animated(frame.ui.cursor, key + "r", bytesLevel(q.recv), in.step)});
  drawBucket(draw, theme, {at.x + bucketW + em * 0.4f, at.y}, bucketSize,
             {tr("send"), bytesText(q, q.send),
              animated(frame.ui.cursor, key + "s", bytesLevel(q.send), in.step)});
}

// Every socket the trace shows, and every fd an interest list or a ready list holds that it
// does not (an import may begin after its program opened them: their queues are unknown).
// Stranded sockets first (a lost wakeup is never scrolled out of sight), then those on the
// ready list, the other connections, the listeners last; by fd within each.
std::vector<SocketState> cardOrder(const KernelState& state, const std::set<int>& hidden) {
  std::map<int, SocketState> all = state.sockets;
  for (const auto& [epfd, instance] : state.epolls) {
    for (const auto& [fd, entry] : instance.interest) all.try_emplace(fd).first->second.fd = fd;
    for (const ReadyEntry& r : instance.ready) all.try_emplace(r.fd).first->second.fd = r.fd;
  }
  std::vector<SocketState> order;
  for (const auto& [fd, socket] : all) {
    if (!hidden.contains(fd)) order.push_back(socket);
  }
  const auto rank = [&state](const SocketState& s) {
    if (state.strandedAt(s.fd) != nullptr) return 0;
    if (state.onReadyList(s.fd)) return 1;
    return s.listener ? 3 : 2;
  };
  std::stable_sort(order.begin(), order.end(), [&](const SocketState& a, const SocketState& b) {
    return rank(a) < rank(b);
  });
  return order;
}

// Now, with an engine on show: its engine thread paused before a call, or asleep in an
// epoll_wait, that the trace has not seen yet (the trace has each call when it ends, and a
// step's end pauses the engine without an event), as the toolbar says it. "" when the trace's
// last call says where it is.
std::string engineNow(Frame& frame, Translator say) {
  const Controls* controls = frame.workspace.controls();
  if (frame.ui.cursor.set || controls == nullptr) return "";
  const EngineStatus status = controls->engine().status();
  if (status.mode == EngineMode::Paused && status.pendingCall != Call::None) {
    return engineDoing(status, say);
  }
  if (status.inCall && status.pendingCall == Call::EpollWait) return say("asleep in epoll_wait");
  return "";
}

// Where each engine thread is, after the cursor's label.
void drawPositions(Frame& frame, const KernelState& state) {
  const std::int64_t at = frame.ui.cursor.set ? frame.ui.cursor.tNs : state.tNs;
  const std::string now = engineNow(frame, tr);
  for (const auto& [thread, position] : state.positions) {
    const bool live = thread == 0 && !now.empty() && !position.asleepAfter;
    const std::string where = live ? now : positionText(position, at, tr);
    const std::string text =
        thread > 0 ? trPrintf("engine thread %d: %s", static_cast<int>(thread), where.c_str())
                   : trPrintf("engine: %s", where.c_str());
    if (thread == 0) {
      frame.ui.report.pictureEngine =
          live ? engineNow(frame, english) : positionText(position, at, english);
    }
    sameLineIfFits(ImGui::CalcTextSize(text.c_str()).x);
    if (position.asleepAfter) {
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.stranded), "%s", text.c_str());
    } else {
      ImGui::TextUnformatted(text.c_str());
    }
  }
}

// The engine's control eventfds at `tNs` while the timeline hides their lanes (a lesson's,
// until Lanes shows them): the picture leaves their cards out too, since a pause or a knob
// change makes one readable and puts it on the ready list beside the lesson's sockets.
std::set<int> hiddenControlFds(Frame& frame, std::int64_t tNs) {
  std::set<int> fds;
  if (!frame.ui.timeline.hideControl) return fds;
  for (const LaneInfo& lane : frame.workspace.timeline().lanes()) {
    if (lane.kind == LaneKind::Control && lane.startNs <= tNs &&
        (lane.endNs < 0 || tNs <= lane.endNs)) {
      fds.insert(lane.fd);
    }
  }
  return fds;
}

// Beside the cards: the ready list and the diagnoses in force.
void drawSummary(Frame& frame, const KernelState& state, const std::set<int>& hidden) {
  std::string ready = std::string(tr("ready list")) + ":";
  bool any = false;
  for (const auto& [epfd, instance] : state.epolls) {
    for (const ReadyEntry& r : instance.ready) {
      if (hidden.contains(r.fd)) continue;
      ready += " " + (r.edge ? trPrintf("fd %d (edge)", r.fd) : trPrintf("fd %d (level)", r.fd));
      any = true;
    }
  }
  wrappedText(any ? ready : ready + " " + tr("empty"));
  if (state.diagnoses.empty()) wrappedTextDisabled(tr("no diagnosis in force"));
  for (const DiagnosisState& d : state.diagnoses)
    wrappedText(diagnosisText(d, tr), frame.theme.stranded);
  if (state.heldTotal() > 0) {
    wrappedText(trPrintf("engine holds %lld B", static_cast<long long>(state.heldTotal())));
  }
}

void drawHeader(Frame& frame, const KernelState& state) {
  TimeCursor& cursor = frame.ui.cursor;
  const std::string when = cursorLabel(cursor, frame.workspace.timeline().firstNs(), tr);
  ImGui::TextUnformatted(when.c_str());
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("%s", tr("click the ruler or Alt+click a lane: cursor; [ ] step calls; "
                               "Esc: now; E: back to the log"));
  }
  if (cursor.set) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s",
                        trPrintf("(event %zu)", cursor.count > 0 ? cursor.count - 1 : 0).c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton(tr(kCursorBackToNow))) clearCursor(cursor);
    noteWidget(frame.ui, "cursor-clear");
  }
  drawPositions(frame, state);
}

}  // namespace

void drawEpollPicture(Frame& frame, const Rect& rect) {
  if (!beginPanel(tr("epoll picture###picture"), rect)) return ImGui::End();
  TimeCursor& cursor = frame.ui.cursor;
  const std::int64_t now = monotonicNs();
  const double dt = cursor.lastDrawNs > 0 ? static_cast<double>(now - cursor.lastDrawNs) / 1e9 : 1;
  const double step = std::min(1.0, dt / animateSeconds(frame.ui));
  cursor.lastDrawNs = now;
  cursor.animating = false;
  const KernelState& state = stateAtCursor(cursor, frame.workspace.timeline());
  drawHeader(frame, state);
  const float em = ImGui::GetFontSize();
  const float side = std::min(em * 16, ImGui::GetContentRegionAvail().x * 0.3f);
  ImGui::BeginChild("summary", {side, 0});
  const std::set<int> hidden = hiddenControlFds(frame, state.tNs);
  drawSummary(frame, state, hidden);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("cards", {0, 0}, false, ImGuiWindowFlags_HorizontalScrollbar);
  const std::vector<SocketState> cards = cardOrder(state, hidden);
  if (cards.empty()) ImGui::TextDisabled("%s", tr("no sockets in the trace yet"));
  // Room for a horizontal scrollbar when the cards do not fit side by side.
  const ImVec2 card{em * 16, std::max(ImGui::GetContentRegionAvail().y -
                                          ImGui::GetStyle().ScrollbarSize - 2, em * 2.5f)};
  bool first = true;
  for (const SocketState& socket : cards) {
    if (!first) ImGui::SameLine();
    first = false;
    const bool socketKnown = state.socket(socket.fd) != nullptr;
    drawCard(frame, {socket, state, step}, {socketKnown ? card.x : em * 8, card.y});
  }
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace eps::gui
