// A visible string without Chinese fails here, read from the sources: every string literal
// with a word in it that app/gui passes straight to a drawing call (ImGui's Text*, Button,
// Checkbox, MenuItem, SetTooltip, TableSetupColumn, AddText, ..., and the window's own
// beginPanel and wrappedText) must go through tr() or trPrintf() instead, and every literal
// given to tr(), trPrintf() (app/gui) or to core's phrase() and words() (the event lines, the
// kernel state's words, the toolbar's banner: what core writes for the window) must have an
// entry in the one table. The window
// test (window_chinese_test.cpp) covers what is built at run time.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/gui/text/ui_text.hpp"
#include "tests/app/gui/source_strings.hpp"

namespace eps::gui {
namespace {

const std::filesystem::path kRoot = EPOLLSCOPE_SOURCE_DIR;

// The calls that put their string arguments on screen.
const std::set<std::string> kDrawing = {"Text",
                                        "TextUnformatted",
                                        "TextColored",
                                        "TextDisabled",
                                        "TextWrapped",
                                        "LabelText",
                                        "BulletText",
                                        "Button",
                                        "SmallButton",
                                        "Checkbox",
                                        "RadioButton",
                                        "MenuItem",
                                        "BeginMenu",
                                        "Selectable",
                                        "SetTooltip",
                                        "TableSetupColumn",
                                        "Combo",
                                        "BeginCombo",
                                        "SliderInt",
                                        "SliderFloat",
                                        "DragInt",
                                        "DragFloat",
                                        "InputInt",
                                        "InputFloat",
                                        "InputText",
                                        "InputTextWithHint",
                                        "CollapsingHeader",
                                        "TreeNode",
                                        "BeginTabItem",
                                        "AddText",
                                        "Begin",
                                        "beginPanel",
                                        "wrappedText",
                                        "wrappedTextDisabled",
                                        "sameLineIfFits"};
// The calls that translate the literal they are given.
const std::set<std::string> kTranslating = {"tr", "trPrintf", "trPrintfWith", "phrase", "words"};

// app/gui's sources, and core's: the words core writes for the window go through phrase()
// and words() (core/base/phrases.hpp).
std::vector<std::filesystem::path> sources(const char* folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kRoot / folder)) {
    if (entry.path().extension() == ".cpp") files.push_back(entry.path());
  }
  return files;
}

std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Findings {
  std::vector<std::string> untranslated;  // drawn without tr()
  std::vector<std::string> notInTable;    // through tr(), without an entry
};

Findings scan() {
  std::set<std::string_view> table;
  for (const Translation& t : chineseTable()) table.insert(t.en);
  Findings found;
  for (const char* folder : {"app/gui", "core"}) {
    const bool window = std::string_view(folder) == "app/gui";
    for (const auto& path : sources(folder)) {
      const std::string where = std::filesystem::relative(path, kRoot).string() + ":";
      for (const test::SourceString& s : test::sourceStrings(readAll(path))) {
        if (!hasWords(s.text)) continue;
        const std::string at = where + std::to_string(s.line) + ": \"" + s.text + "\"";
        if (window && kDrawing.contains(s.callee)) found.untranslated.push_back(at);
        if (kTranslating.contains(s.callee) && !table.contains(s.text)) {
          found.notInTable.push_back(at);
        }
      }
    }
  }
  return found;
}

TEST(UiTextCoverage, EveryDrawnLiteralGoesThroughTheTableAndHasChinese) {
  const Findings found = scan();
  for (const std::string& at : found.untranslated) ADD_FAILURE() << "drawn without tr(): " << at;
  for (const std::string& at : found.notInTable) ADD_FAILURE() << "no Chinese in the table: " << at;
}

// The reader itself: a literal drawn directly is found, through tr() it is not, concatenated
// literals and \u escapes are read as the compiler reads them.
TEST(UiTextCoverage, TheReaderFindsTheCallOfEachLiteral) {
  const auto strings = test::sourceStrings(
      "// ImGui::Button(\"in a comment\")\n"
      "if (ImGui::Button(paused ? \"Run\" : tr(\"Pause\"))) f('\"', 1'000);\n"
      "wrappedText(tr(\"a \" \"b\\u4e2d\"));\n"
      "ImGui::Text(\"%d\", std::max(1, g(\"x\")));\n");
  ASSERT_EQ(strings.size(), 5U);
  EXPECT_EQ(strings[0].text, "Run");
  EXPECT_EQ(strings[0].callee, "Button");
  EXPECT_EQ(strings[1].callee, "tr");
  EXPECT_EQ(strings[2].text, "a b\u4e2d");
  EXPECT_EQ(strings[2].callee, "tr");
  EXPECT_EQ(strings[2].line, 3);
  EXPECT_EQ(strings[3].callee, "Text");
  EXPECT_EQ(strings[4].callee, "g");
  EXPECT_TRUE(hasWords("%llu calls##x"));
  EXPECT_FALSE(hasWords("##lesson"));
  EXPECT_FALSE(hasWords("%llu %zu %lld"));
  EXPECT_FALSE(hasWords("%.1f \u2713"));
}

}  // namespace
}  // namespace eps::gui
#endif
