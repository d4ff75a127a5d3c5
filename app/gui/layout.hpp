// The window's layout: a toolbar as tall as its (wrapping) content, a side column (lesson,
// knobs, clients), the timeline, and under it the event log and the kernel view. Splitters
// between panels resize them; the sizes are fractions, so a window resize or a font change
// keeps the proportions, and minimums in font heights keep every panel usable at a
// projector's font. The sizes are remembered between runs (layout.ini, see below).
#pragma once

#include <string>

#include "app/gui/panels/panels.hpp"

namespace eps::gui {

struct PanelRects {
  Rect toolbar, lesson, knobs, clients, timeline, log, kernel;
};

// `lessonOpen`: the lesson text gets more of the side column than free play's note.
PanelRects computeLayout(LayoutState& layout, ImVec2 display, float em, bool lessonOpen);
// The splitters between the panels; dragging one changes `layout`.
void drawSplitters(LayoutState& layout, const PanelRects& rects, ImVec2 display, float em,
                   bool lessonOpen);
// Records each panel's box in the frame report (for --state-out).
void reportPanels(FrameReport& report, const PanelRects& rects, bool live);

// $XDG_CONFIG_HOME/epollscope/layout.ini (or ~/.config/...): the splitters' fractions.
std::string layoutFilePath();
void loadLayout(LayoutState& layout, const std::string& path);
void saveLayout(const LayoutState& layout, const std::string& path);

}  // namespace eps::gui
