// Every text the compare view and its form show, written once (a translation table can take
// them from here).
#pragma once

namespace eps::gui::text {

inline constexpr const char* kMenuRuns = "Compare two runs...";
inline constexpr const char* kMenuSessions = "Compare two sessions...";
inline constexpr const char* kSetupRunsTitle = "Compare two runs of a lesson's script";
inline constexpr const char* kSetupSessionsTitle = "Compare two saved sessions";
inline constexpr const char* kScript = "Lesson whose steps both engines play:";
inline constexpr const char* kKnobsA = "Knobs of A (KNOB=VALUE, commas between):";
inline constexpr const char* kKnobsB = "Knobs of B:";
inline constexpr const char* kSessionA = "Session A:";
inline constexpr const char* kSessionB = "Session B:";
inline constexpr const char* kCompareButton = "Compare";
inline constexpr const char* kCancelButton = "Cancel";
inline constexpr const char* kDefaultLesson = "02-et-lost-wakeup.toml";

inline constexpr const char* kViewTitleRuns = "Side by side: ";
inline constexpr const char* kViewTitleSessions = "Side by side: two sessions";
inline constexpr const char* kCloseButton = "Close";
inline constexpr const char* kAgainButton = "Compare again...";
inline constexpr const char* kRunning = "Playing the script on both engines...";
inline constexpr const char* kFailedSide = "could not finish: ";
inline constexpr const char* kWholeRun = "Whole run";
inline constexpr const char* kStepPrefix = "Step ";
inline constexpr const char* kDifferSuffix = " differ)";  // "Step 2 (14 differ): ..."
inline constexpr const char* kCounterColumn = "counter";
inline constexpr const char* kDiffersNote = "highlighted: A and B differ";
inline constexpr const char* kNoKernelNote = "(saved sessions: no kernel counters)";
inline constexpr const char* kAlignedNote = "aligned on the script's actions; log time after each";

inline constexpr const char* kLegendWait = "epoll_wait";
inline constexpr const char* kLegendRead = "read";
inline constexpr const char* kLegendEagain = "EAGAIN";
inline constexpr const char* kLegendWrite = "write";
inline constexpr const char* kLegendStranded = "stranded";

}  // namespace eps::gui::text
