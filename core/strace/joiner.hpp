// Joins the lines of an strace log into complete calls: the half of an "<unfinished ...>"
// call waits for its "<... NAME resumed>" line, and -tt times of day cross midnight.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/strace/line.hpp"

namespace eps {

// Ownership: one per log being read, used by one thread. Takes lines in file order and emits
// complete calls: an "<unfinished ...>" line is held per pid until its "<... NAME resumed>"
// line, and the two are joined (start time and leading arguments from the first, the rest,
// the result and the duration from the second). A call is emitted when its result line is
// read, so joined calls can come out after calls that started later (sort by tsNs if needed).
// -tt timestamps are local time of day: when one goes back by more than 12 hours the log
// crossed midnight, and that line and every later one get a day added (tsNs stays monotonic
// apart from strace's own small reorderings between threads).
class StraceJoiner {
 public:
  // Reads one line, appends 0, 1 or 2 complete calls to `out`, returns the line's kind.
  StraceLineKind feed(std::string_view line, std::vector<StraceCall>& out);
  // End of the log: emits every call still waiting for its result, marked unfinished.
  void finish(std::vector<StraceCall>& out);
  // Hands an emitted call back once used: the next line is parsed into its buffers (its
  // strings and argument vector), so a log of millions of lines does not allocate per line.
  void recycle(StraceCall&& call) { line_.call = std::move(call); }

  std::uint64_t notUnderstood() const { return notUnderstood_; }
  std::uint64_t lines() const { return lines_; }
  std::uint64_t midnightWraps() const { return midnightWraps_; }
  // The last line read (its timestamp already unwrapped).
  const StraceLine& lastLine() const { return line_; }

 private:
  void resume(StraceCall& call, std::vector<StraceCall>& out);
  void unwrapTimeOfDay();

  std::unordered_map<int, StraceCall> waiting_;  // pid -> its unfinished call
  StraceLine line_;                              // reused parse buffer
  std::uint64_t notUnderstood_ = 0;
  std::uint64_t lines_ = 0;
  std::int64_t dayOffsetNs_ = 0;  // days added to -tt timestamps so far
  std::int64_t lastTimeOfDayNs_ = -1;
  std::uint64_t midnightWraps_ = 0;
};

}  // namespace eps
