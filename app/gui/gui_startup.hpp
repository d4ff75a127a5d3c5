// The window's start from the command line (gui_startup.cpp).
#pragma once

#include <string>

#include "app/cli/options.hpp"
#include "app/gui/fonts.hpp"
#include "app/gui/panels/panels.hpp"

namespace eps::gui {

void loadSynthetic(const app::Options& options, Workspace& workspace, UiState& ui);
// Every Chinese string the lessons and the tours hold (with the rest of their files' text), so
// the font atlas has their glyphs.
std::string bundledChineseText(const std::string& lessonsDir, const std::string& tracesDir);
std::string defaultLessonsDir(const app::Options& options);
std::string defaultTracesDir();
// A file opened from the command line: with --frames it is shown before the first frame and a
// file that cannot be opened is an error (returned); otherwise it loads while the window runs.
std::string openFromCommandLine(const app::Options& options, Workspace& workspace, UiState& ui);
// --compare-lesson / --compare-sessions in the window: the compare view on show from the first
// frame; with --frames, played before it (for screenshots), else while the window runs.
void compareFromCommandLine(const app::Options& options, UiState& ui);
// After a file is shown (or failed to open): say so, and fit it in view.
void noteLoadFinished(Workspace& workspace, UiState& ui, bool wasLoading);
// For screenshots: play the first `steps` steps (predictions answered as the lesson says).
void playLessonSteps(Workspace& workspace, int steps, UiState& ui);
void applyPresentation(UiState& ui, Fonts& fonts, float dpiScale, const std::string& chinese);

}  // namespace eps::gui
