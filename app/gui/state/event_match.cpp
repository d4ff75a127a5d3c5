#include "app/gui/state/event_match.hpp"

#include "app/gui/text/ui_text.hpp"
#include "core/trace/event_text.hpp"

namespace eps::gui {

bool eventMatches(const LogFilter& filter, const std::string& text, const TraceEvent& event,
                  const PayloadStore* payloads) {
  if (!filter.kinds[static_cast<std::size_t>(event.kind)]) return false;
  if (filter.fd >= 0 && event.fd != filter.fd) return false;
  if (text.empty() || eventLine(event, payloads).find(text) != std::string::npos) return true;
  // The line as the window shows it: a class reading Chinese searches for what it reads.
  return speaksChinese() && eventLine(event, payloads, tr).find(text) != std::string::npos;
}

}  // namespace eps::gui
