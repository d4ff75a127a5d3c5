#include "core/base/knob_changes.hpp"

#include <algorithm>

namespace eps {

std::string applyKnobChanges(Knobs& knobs, const std::string& changes) {
  std::string text = changes;
  std::replace(text.begin(), text.end(), ',', ' ');
  std::size_t at = 0;
  while ((at = text.find_first_not_of(' ', at)) != std::string::npos) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    const std::string word = text.substr(at, end - at);
    at = end;
    const std::size_t eq = word.find('=');
    if (eq == std::string::npos) return "'" + word + "': expected KNOB=VALUE";
    const std::optional<KnobId> id = knobFromName(word.substr(0, eq));
    if (!id) return "'" + word + "': no knob named " + word.substr(0, eq);
    if (auto error = setKnob(knobs, *id, word.substr(eq + 1))) return *error;
  }
  return "";
}

}  // namespace eps
