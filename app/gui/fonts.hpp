// Fonts: DejaVu Sans from Debian's fonts-dejavu-core (it has the arrows and dashes the
// timeline's labels use), rebuilt at the presenter's scale so large text stays crisp.
// Without the package, Dear ImGui's built-in font (ASCII only) and a notice.
#pragma once

#include <imgui.h>

#include <string>

namespace eps::gui {

// Ownership: owned by runWindow; UI thread; call between frames (before NewFrame).
class Fonts {
 public:
  // Rebuilds the atlas when `scale` differs from the one built; returns a notice or "".
  std::string ensure(float scale);

 private:
  float builtScale_ = 0;
  ImVector<ImWchar> ranges_;  // must outlive the atlas built from it
};

}  // namespace eps::gui
