// Lesson checks: small expressions over named counters and diagnoses, e.g.
//   wakeups == 41 && bytes_read == 4096
//   stranded_bytes == 3996
//   last_read_errno == EAGAIN
//   wakeups_per_s >= 1000
// Grammar: check := cmp ('&&' cmp)* ; cmp := value OP value ; OP := == != < <= > >= ;
// value := counter | number | ERRNO_NAME. Every counter a check can name is in a table of
// core/checks/counters.hpp (and in lessons/README.md or assets/traces/README.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/checks/counters.hpp"

namespace eps {

// A parsed check. Ownership: a value type, cheap to copy.
struct CheckExpr {
  struct Operand {
    bool isCounter = false;
    std::string counter;
    std::int64_t number = 0;
  };
  struct Comparison {
    Operand left;
    std::string op;  // "==", "!=", "<", "<=", ">", ">="
    Operand right;
  };
  std::vector<Comparison> all;  // joined with &&
};

struct CheckParse {
  std::optional<CheckExpr> expr;
  std::string error;  // "column 12: expected a comparison operator (== != < <= > >=)"
  int errorColumn = 0;
};
// Over lessonCounters(). An unknown name is refused, with the nearest known one if any is close.
CheckParse parseCheck(std::string_view source);
// A paired lesson's check: each counter names its side, "a.wakeups" or "b.wakeups"; an
// unprefixed counter is refused at its column, as a side prefix is in parseCheck.
CheckParse parseSidedCheck(std::string_view source);
// The same grammar over another set of counters (trace tours name tourCounters()); an
// unknown name's error points the author at `docs`.
CheckParse parseCheck(std::string_view source, std::span<const CounterInfo> counters,
                      std::string_view docs);

// The distinct counters a check names, in order of first use.
std::vector<std::string> checkCounters(const CheckExpr& expr);

// The result of evaluating a check: whether it held, and each counter's observed value so a
// failure says "stranded_bytes == 3996 failed: stranded_bytes is 3897".
struct CheckOutcome {
  bool passed = false;
  std::string observed;  // "stranded_bytes=3897, wakeups=1"
};
// A counter's value by name; nullopt for a name the source does not compute, which fails the
// check ("name=unknown") rather than reading as 0.
using CounterSource = std::function<std::optional<std::int64_t>(std::string_view)>;
CheckOutcome evaluateCheck(const CheckExpr& expr, const CounterSource& counter);

// A counter's value as checks and comparisons show it: errno counters as names
// (last_read_errno=EAGAIN), the way the checks are written; the rest as numbers.
std::string observedText(std::string_view name, std::int64_t value);

}  // namespace eps
