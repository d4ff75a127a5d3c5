#include "core/checks/check_expr.hpp"

#include <algorithm>
#include <charconv>

#include "core/base/names.hpp"
#include "core/checks/counters.hpp"

namespace eps {
namespace {

constexpr std::string_view kOperators = "(== != < <= > >=)";

bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isIdentChar(char c) {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// Errno names are upper case and start with E; a mistyped one deserves its own message
// rather than "unknown counter".
bool looksLikeErrno(std::string_view name) {
  return name.size() > 1 && name[0] == 'E' &&
         std::all_of(name.begin(), name.end(), [](char c) { return !(c >= 'a' && c <= 'z'); });
}

// Recursive descent over: check := cmp ('&&' cmp)* ; cmp := value OP value.
// Columns are 1-based byte offsets into the source.
class Parser {
 public:
  Parser(std::string_view source, std::span<const CounterInfo> counters, std::string_view docs,
         bool sided = false)
      : src_(source), counters_(counters), docs_(docs), sided_(sided) {}

  CheckParse run() {
    CheckExpr expr;
    while (true) {
      auto cmp = comparison();
      if (!cmp) return failure();
      expr.all.push_back(std::move(*cmp));
      skipSpace();
      if (pos_ >= src_.size()) break;
      if (src_.substr(pos_, 2) == "&&") {
        pos_ += 2;
        continue;
      }
      fail(pos_, "unexpected '" + std::string(tokenAt(pos_)) +
                     "' after the comparison; join comparisons with &&");
      return failure();
    }
    CheckParse out;
    out.expr = std::move(expr);
    return out;
  }

 private:
  std::optional<CheckExpr::Comparison> comparison() {
    skipSpace();
    const std::size_t start = pos_;
    CheckExpr::Comparison cmp;
    auto left = operand();
    if (!left) return std::nullopt;
    cmp.left = std::move(*left);
    skipSpace();
    auto op = comparisonOperator();
    if (!op) return std::nullopt;
    cmp.op = *op;
    skipSpace();
    auto right = operand();
    if (!right) return std::nullopt;
    cmp.right = std::move(*right);
    // "3 == 3" always holds or never does: it cannot be what the author meant.
    if (!cmp.left.isCounter && !cmp.right.isCounter) {
      fail(start, "a comparison needs a counter on one side");
      return std::nullopt;
    }
    return cmp;
  }

  std::optional<CheckExpr::Operand> operand() {
    const std::size_t start = pos_;
    if (pos_ < src_.size() && isIdentStart(src_[pos_])) {
      while (pos_ < src_.size() && isIdentChar(src_[pos_])) ++pos_;
      if (pos_ < src_.size() && src_[pos_] == '.') return sideCounter(start);
      return named(start, src_.substr(start, pos_ - start));
    }
    std::size_t end = pos_;
    if (end < src_.size() && src_[end] == '-') ++end;
    const std::size_t digits = end;
    while (end < src_.size() && isDigit(src_[end])) ++end;
    if (end == digits) {
      fail(start, "expected a counter or a number");
      return std::nullopt;
    }
    CheckExpr::Operand value;
    const auto [ptr, ec] = std::from_chars(src_.data() + start, src_.data() + end, value.number);
    if (ec != std::errc{} || ptr != src_.data() + end) {
      fail(start, "number '" + std::string(src_.substr(start, end - start)) + "' is out of range");
      return std::nullopt;
    }
    pos_ = end;
    return value;
  }

  // "a.wakeups": a side's counter, in a paired lesson only; pos_ is at the '.'.
  std::optional<CheckExpr::Operand> sideCounter(std::size_t start) {
    const std::string_view side = src_.substr(start, pos_ - start);
    if (side != "a" && side != "b") {
      fail(start,
           "'" + std::string(side) + ".' names no side: a paired lesson's sides are a. and b.");
      return std::nullopt;
    }
    if (!sided_) {
      fail(start, "'" + std::string(side) +
                      ".' names a side of a paired lesson; this lesson has no [compare]");
      return std::nullopt;
    }
    const std::size_t at = ++pos_;
    while (pos_ < src_.size() && isIdentChar(src_[pos_])) ++pos_;
    const std::string_view name = src_.substr(at, pos_ - at);
    if (!known(name)) {
      sided_ = false;  // the unknown-counter message, for the part after the side
      // An errno name reads as a value, not a counter: after a side it is still refused.
      if (named(at, name)) {
        fail(at, "'" + std::string(name) + "' is no counter: a side names a counter (a.wakeups)");
      }
      return std::nullopt;
    }
    CheckExpr::Operand value;
    value.isCounter = true;
    value.counter = std::string(src_.substr(start, pos_ - start));
    return value;
  }

  std::optional<CheckExpr::Operand> named(std::size_t start, std::string_view name) {
    CheckExpr::Operand value;
    if (known(name) && sided_) {
      fail(start, "'" + std::string(name) + "' names no side: in a paired lesson write a." +
                      std::string(name) + " or b." + std::string(name));
      return std::nullopt;
    }
    if (known(name)) {
      value.isCounter = true;
      value.counter = std::string(name);
      return value;
    }
    if (const auto err = errnoFromName(name)) {
      value.number = *err;
      return value;
    }
    if (looksLikeErrno(name)) {
      fail(start, "unknown errno name '" + std::string(name) + "'");
    } else {
      const std::string_view nearest = nearestCounter(counters_, name);
      const std::string hint =
          nearest.empty() ? std::string() : "did you mean '" + std::string(nearest) + "'? ";
      fail(start, "unknown counter '" + std::string(name) + "' (" + hint + "see " +
                      std::string(docs_) + ")");
    }
    return std::nullopt;
  }

  std::optional<std::string> comparisonOperator() {
    for (std::string_view op : {"==", "!=", "<=", ">=", "<", ">"}) {
      if (src_.substr(pos_, op.size()) == op) {
        pos_ += op.size();
        return std::string(op);
      }
    }
    fail(pos_, "expected a comparison operator " + std::string(kOperators));
    return std::nullopt;
  }

  // The word or character at `at`, to name what was found in an error.
  std::string_view tokenAt(std::size_t at) const {
    std::size_t end = at;
    while (end < src_.size() && isIdentChar(src_[end])) ++end;
    return src_.substr(at, end == at ? 1 : end - at);
  }

  void skipSpace() {
    while (pos_ < src_.size() && (src_[pos_] == ' ' || src_[pos_] == '\t')) ++pos_;
  }

  void fail(std::size_t at, std::string message) {
    column_ = static_cast<int>(at) + 1;
    error_ = "column " + std::to_string(column_) + ": " + std::move(message);
  }

  CheckParse failure() const {
    CheckParse out;
    out.error = error_;
    out.errorColumn = column_;
    return out;
  }

  bool known(std::string_view name) const { return findCounter(counters_, name) != nullptr; }

  std::string_view src_;
  std::span<const CounterInfo> counters_;
  std::string_view docs_;  // where the counters are listed, for the unknown-counter error
  bool sided_ = false;     // a paired lesson's check: every counter names its side
  std::size_t pos_ = 0;
  std::string error_;
  int column_ = 0;
};

}  // namespace

CheckParse parseCheck(std::string_view source) {
  return Parser(source, lessonCounters(), "lessons/README.md").run();
}

CheckParse parseSidedCheck(std::string_view source) {
  return Parser(source, lessonCounters(), "lessons/README.md", true).run();
}

CheckParse parseCheck(std::string_view source, std::span<const CounterInfo> counters,
                      std::string_view docs) {
  return Parser(source, counters, docs).run();
}

std::vector<std::string> checkCounters(const CheckExpr& expr) {
  std::vector<std::string> names;
  const auto add = [&names](const CheckExpr::Operand& operand) {
    if (operand.isCounter &&
        std::find(names.begin(), names.end(), operand.counter) == names.end()) {
      names.push_back(operand.counter);
    }
  };
  for (const auto& cmp : expr.all) {
    add(cmp.left);
    add(cmp.right);
  }
  return names;
}

namespace {

bool compare(std::int64_t left, std::string_view op, std::int64_t right) {
  if (op == "==") return left == right;
  if (op == "!=") return left != right;
  if (op == "<") return left < right;
  if (op == "<=") return left <= right;
  if (op == ">") return left > right;
  return left >= right;  // the parser admits no other operator
}

}  // namespace

std::string observedText(std::string_view name, std::int64_t value) {
  if (name.ends_with("_errno") && value > 0) return errnoName(static_cast<int>(value));
  return std::to_string(value);
}

CheckOutcome evaluateCheck(const CheckExpr& expr, const CounterSource& counter) {
  // Each counter is asked once, so a counter computed from live state (a rate, a queue)
  // cannot read differently in two comparisons of the same check.
  const std::vector<std::string> names = checkCounters(expr);
  std::vector<std::int64_t> values;
  values.reserve(names.size());
  CheckOutcome outcome;
  bool allKnown = true;
  for (const auto& name : names) {
    const std::optional<std::int64_t> value = counter(name);
    // A name the source cannot compute fails the check: a 0 in its place could pass it.
    allKnown = allKnown && value.has_value();
    values.push_back(value.value_or(0));
    if (!outcome.observed.empty()) outcome.observed += ", ";
    outcome.observed += name + "=" + (value ? observedText(name, *value) : "unknown");
  }
  const auto valueOf = [&](const CheckExpr::Operand& operand) {
    if (!operand.isCounter) return operand.number;
    const auto at = std::find(names.begin(), names.end(), operand.counter) - names.begin();
    return values[static_cast<std::size_t>(at)];
  };
  outcome.passed = allKnown;
  for (const auto& cmp : expr.all) {
    if (!compare(valueOf(cmp.left), cmp.op, valueOf(cmp.right))) outcome.passed = false;
  }
  return outcome;
}

}  // namespace eps
