// Fonts: DejaVu Sans from Debian's fonts-dejavu-core (it has the arrows and dashes the
// timeline's labels use), rebuilt at the presenter's scale so large text stays crisp.
// Chinese comes from fonts-wqy-microhei, merged in with the glyphs the lessons use. Without
// a package, Dear ImGui's built-in font or English only, and a notice.
#pragma once

#include <imgui.h>

#include <string>

namespace eps::gui {

// Ownership: owned by runWindow; UI thread; call between frames (before NewFrame).
class Fonts {
 public:
  // Rebuilds the atlas when `scale` differs from the one built; returns a notice or "".
  // `chineseText`: every Chinese string the window may show, so its glyphs are in the atlas.
  std::string ensure(float scale, const std::string& chineseText);
  bool chineseLoaded() const { return chineseLoaded_; }

 private:
  bool mergeChinese(float scale, const std::string& chineseText);
  float builtScale_ = 0;
  ImVector<ImWchar> ranges_;  // must outlive the atlas built from it
  ImVector<ImWchar> cjkRanges_;
  bool chineseLoaded_ = false;
};

}  // namespace eps::gui
