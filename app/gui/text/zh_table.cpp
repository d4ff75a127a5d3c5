// The window's Chinese: one entry per English string the window shows (ui_text.hpp), kept in
// parts by region of the window (zh_table_parts.hpp) and joined here into the one table. A
// printf-style string keeps its conversions, in the same order (a test holds this); an ImGui
// label keeps its "##id" or "###id" tail, so a widget is the same widget in both languages.
#include <vector>

#include "app/gui/text/zh_table_parts.hpp"

namespace eps::gui {

std::span<const Translation> chineseTable() {
  static const std::vector<Translation> table = [] {
    std::vector<Translation> all;
    for (const auto part : {chineseControls(), chineseViews(), chineseEvents(), chineseCounters()}) {
      all.insert(all.end(), part.begin(), part.end());
    }
    return all;
  }();
  return table;
}

}  // namespace eps::gui
