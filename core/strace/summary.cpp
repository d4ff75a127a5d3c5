#include "core/strace/summary.hpp"

#include <algorithm>
#include <vector>

#include "core/base/phrases.hpp"

namespace eps {

std::string otherCallsText(const StraceImportStats& stats, std::size_t maxNames, Phrases say) {
  std::vector<std::pair<std::string_view, OtherCallCount>> byCount(stats.otherByName.begin(),
                                                                   stats.otherByName.end());
  std::stable_sort(byCount.begin(), byCount.end(),
                   [](const auto& x, const auto& y) { return x.second.count > y.second.count; });
  std::string text;
  for (std::size_t i = 0; i < byCount.size() && i < maxNames; ++i) {
    const auto& [name, count] = byCount[i];
    if (!text.empty()) text += ", ";
    text += std::string(name) + " " + std::to_string(count.count);
    if (count.failed > 0) {
      text += phrase(say, " (%llu failed)", static_cast<unsigned long long>(count.failed));
    }
  }
  if (byCount.size() > maxNames) {
    text += phrase(say, ", and %zu more names", byCount.size() - maxNames);
  }
  return text;
}

std::string dataCallsText(const StraceImportStats& stats, Phrases say) {
  using U = unsigned long long;
  std::string text = phrase(say, "%llu reads moved %llu bytes in, %llu writes moved %llu bytes out",
                            static_cast<U>(stats.readCalls), static_cast<U>(stats.bytesIn),
                            static_cast<U>(stats.writeCalls), static_cast<U>(stats.bytesOut));
  if (stats.mmsgBytesUnknown > 0) {
    text += phrase(say,
                   " (%llu recvmmsg/sendmmsg results without msg_len: their bytes are not "
                   "counted)",
                   static_cast<U>(stats.mmsgBytesUnknown));
  }
  return text;
}

}  // namespace eps
