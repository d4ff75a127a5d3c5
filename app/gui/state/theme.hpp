// Every colour the window uses, named once. Two themes: the normal dark one, and a
// high-contrast one for a projector.
#pragma once

#include <cstdint>

namespace eps::gui {

using Color = std::uint32_t;  // ImU32: 0xAABBGGRR

struct Theme {
  Color background, laneBackground, laneAlternate, laneSeparator, text, textDim, grid;
  Color waitSpan;                         // epoll_wait: the engine asleep
  Color waitBusy;                         // epoll_wait that returned at once: never slept
  Color waitReturned;                     // the mark where epoll_wait returned with events
  Color ready;                            // a socket reported by epoll_wait
  Color accept, read, write, close, ctl;  // successful calls
  Color eagain;                           // -1 EAGAIN: the star of the show
  Color error;                            // any other failure
  Color config;                           // a knob changed: a line across every lane
  Color stranded;                         // bytes waiting, no wakeup coming
  Color busy, blocked;
  Color depthFill, depthLine;  // receive-queue depth under each lane
  Color client, clientData;
  Color selection, hover;
  Color folded;  // a block of many folded events
};

const Theme& darkTheme();
const Theme& highContrastTheme();

// Applies the theme's colours, and sizes scaled for the presenter's font scale.
void applyTheme(const Theme& theme, bool highContrast, float scale);

}  // namespace eps::gui
