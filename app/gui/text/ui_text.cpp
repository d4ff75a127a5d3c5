#include "app/gui/text/ui_text.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

namespace eps::gui {
namespace {

struct State {
  bool chinese = false;
  std::unordered_map<std::string_view, const char*> byEnglish;
  std::set<std::string> missing;
};

// The table's Chinese strings are string literals (zh_table.cpp): their data() is
// NUL-terminated and static.
State& state() {
  static State s = [] {
    State made;
    for (const Translation& t : chineseTable()) made.byEnglish.emplace(t.en, t.zh.data());
    return made;
  }();
  return s;
}

}  // namespace

// Only words need translating: "%d", "-", "##kernel" and the like are the same in both.
bool hasWords(std::string_view text) {
  const std::string_view shown = text.substr(0, text.find("##"));
  bool inSpec = false;
  for (const char c : shown) {
    if (c == '%') inSpec = true;
    if (inSpec && std::isalpha(static_cast<unsigned char>(c)) != 0) {
      // A length (the l of %llu, the z of %zu) goes on; the conversion's letter ends it.
      inSpec = std::string_view("hlLqjzt").find(c) != std::string_view::npos;
      continue;
    }
    if (!inSpec && std::isalpha(static_cast<unsigned char>(c)) != 0) return true;
  }
  return false;
}

void speakChinese(bool on) {
  state().chinese = on;
}

bool speaksChinese() {
  return state().chinese;
}

const char* tr(const char* english) {
  State& s = state();
  if (!s.chinese) return english;
  const auto found = s.byEnglish.find(english);
  if (found != s.byEnglish.end()) return found->second;
  if (hasWords(english)) s.missing.emplace(english);
  return english;
}

std::vector<std::string> missingTranslations() {
  const State& s = state();
  return {s.missing.begin(), s.missing.end()};
}

std::string tableChineseText() {
  std::string out;
  for (const Translation& t : chineseTable()) out += t.zh;
  return out;
}

}  // namespace eps::gui
