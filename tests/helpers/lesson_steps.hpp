// A lesson in the window, played as a person would: wait for it to open, press "run this step"
// and wait for the step to have been played. Shared by the window's lesson tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tests/helpers/window_driver.hpp"

namespace eps::test {

inline json lessonShown(WindowDriver& window) {
  if (window.waitFor([](const json& s) { return s["mode"] == "lesson"; }, "lesson").is_null()) {
    return nullptr;
  }
  return window.settle();
}

// Chooses `choice` for the step's predict question and locks it, with real clicks.
inline ::testing::AssertionResult lockChoice(WindowDriver& window, int choice) {
  const std::string widget = "lesson-choice-" + std::to_string(choice);
  if (!window.scrollToWidget(widget, "lesson") || !window.clickWidget(widget) ||
      !window.scrollToWidget("lesson-lock", "lesson") || !window.clickWidget("lesson-lock")) {
    return ::testing::AssertionFailure() << window.failure();
  }
  if (window
          .waitFor([](const json& s) { return s["lesson"]["locked"].get<bool>(); },
                   "the choice locked")
          .is_null()) {
    return ::testing::AssertionFailure() << window.failure();
  }
  return ::testing::AssertionSuccess();
}

// Clicks "run this step" (again if it has not started within a few seconds, as a person
// would) and waits for step `step` (0-based) to have been played.
inline json runStep(WindowDriver& window, int step) {
  for (int click = 0; click < 3; ++click) {
    if (!window.clickWidget("lesson-run")) return nullptr;
    const json started = window.waitFor(
        [step](const json& s) {
          return s["lesson"]["busy"].get<bool>() || s["lesson"]["step"].get<int>() > step;
        },
        "step " + std::to_string(step + 1) + " started", 10s);
    if (!started.is_null()) break;
  }
  return window.waitFor(
      [step](const json& s) {
        return s["lesson"]["step"].get<int>() == step + 1 && !s["lesson"]["busy"].get<bool>();
      },
      "step " + std::to_string(step + 1) + " played", 60s);
}

}  // namespace eps::test
