#include "core/strace/summary.hpp"

#include <algorithm>
#include <vector>

namespace eps {

std::string otherCallsText(const StraceImportStats& stats, std::size_t maxNames) {
  std::vector<std::pair<std::string_view, OtherCallCount>> byCount(stats.otherByName.begin(),
                                                                   stats.otherByName.end());
  std::stable_sort(byCount.begin(), byCount.end(),
                   [](const auto& x, const auto& y) { return x.second.count > y.second.count; });
  std::string text;
  for (std::size_t i = 0; i < byCount.size() && i < maxNames; ++i) {
    const auto& [name, count] = byCount[i];
    if (!text.empty()) text += ", ";
    text += std::string(name) + " " + std::to_string(count.count);
    if (count.failed > 0) text += " (" + std::to_string(count.failed) + " failed)";
  }
  if (byCount.size() > maxNames) {
    text += ", and " + std::to_string(byCount.size() - maxNames) + " more names";
  }
  return text;
}

std::string dataCallsText(const StraceImportStats& stats) {
  std::string text = std::to_string(stats.readCalls) + " reads moved " +
                     std::to_string(stats.bytesIn) + " bytes in, " +
                     std::to_string(stats.writeCalls) + " writes moved " +
                     std::to_string(stats.bytesOut) + " bytes out";
  if (stats.mmsgBytesUnknown > 0) {
    text += " (" + std::to_string(stats.mmsgBytesUnknown) +
            " recvmmsg/sendmmsg results without msg_len: their bytes are not counted)";
  }
  return text;
}

}  // namespace eps
