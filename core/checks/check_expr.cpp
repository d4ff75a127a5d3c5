#include "core/checks/check_expr.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "core/base/names.hpp"

namespace eps {
namespace {

// "step": events since the step began; "now": kernel/client state at the end of the step.
// lessons/README.md repeats this table; a counter added here must be added there.
constexpr auto kCounters = std::to_array<CounterInfo>({
    {"wakeups",
     "step: epoll_wait returns that reported at least one socket (the control eventfd alone "
     "does not count), on the engine thread and its workers"},
    {"worker_wakeups", "step: the wakeups of worker threads (knob workers)"},
    {"timeouts", "step: epoll_wait returns of 0"},
    {"reads", "step: read calls on connections"},
    {"reads_with_data", "step: reads that returned > 0"},
    {"bytes_read", "step: bytes those reads returned"},
    {"last_read_ret", "step: what the last read returned (-1 on failure; 0 end of file)"},
    {"last_read_errno", "step: the last read's errno (0 if it succeeded)"},
    {"writes", "step: write calls on connections"},
    {"bytes_written", "step: bytes those writes returned"},
    {"partial_writes", "step: writes that returned less than asked"},
    {"write_eagains", "step: writes that failed with EAGAIN"},
    {"last_write_errno", "step: the last write's errno (0 if it succeeded)"},
    {"epollout_reports", "step: ready entries with EPOLLOUT on connections"},
    {"accepts", "step: accept4 calls that returned a connection"},
    {"accept_emfile", "step: accept4 calls that failed with EMFILE"},
    {"accept_eagains", "step: accept4 calls that failed with EAGAIN (nothing to accept)"},
    {"last_accept_errno", "step: the last accept4's errno (0 if it succeeded)"},
    {"accepted_client",
     "step: the lesson's client number (1, 2, ...) of the connection the last accept4 returned"},
    {"epoll_ctl_mods", "step: EPOLL_CTL_MOD calls"},
    {"closes", "step: close calls on connections"},
    {"stranded_bytes", "now: bytes stranded on connections"},
    {"stranded_connections", "now: connections stranded in an ET listener's backlog"},
    {"backlog", "now: connections waiting in the accept queue"},
    {"recv_queue", "now: bytes in the connections' receive queues"},
    {"busy", "step: busy diagnoses"},
    {"blocked", "step: blocked diagnoses"},
    {"blocked_ms", "step: the longest blocked call, in ms"},
    {"overreads", "step: handler seed000 read past char buf[1024] (string(buf) after a full read)"},
    {"crashes", "step: handler seed000 overflowed its stack (strcpy into char buf[1024])"},
    {"exits", "step: handler seed000 exited (ERR_EXIT)"},
    {"wakeups_per_s", "step: wakeups per second over the step's run"},
    {"rdhup_reports", "step: ready entries with EPOLLRDHUP"},
    {"hup_reports", "step: ready entries with EPOLLHUP"},
    {"err_reports", "step: ready entries with EPOLLERR"},
    {"sent_bytes", "now: bytes the lesson's clients sent, in total"},
    {"echoed_bytes", "now: bytes echoed back to the lesson's clients, in total"},
    {"lost_bytes",
     "now: bytes the clients sent that did not come back correctly (mismatched + outstanding)"},
    {"corrupted_bytes", "now: bytes that came back wrong (mismatched)"},
    {"client_eof", "now: clients that read end of file"},
    {"newest_echoed_bytes", "now: echoed_bytes of the most recently connected client only"},
    {"newest_lost_bytes", "now: lost_bytes of the most recently connected client only"},
});

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
  Parser(std::string_view source, std::span<const CounterInfo> counters, std::string_view docs)
      : src_(source), counters_(counters), docs_(docs) {}

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

  std::optional<CheckExpr::Operand> named(std::size_t start, std::string_view name) {
    CheckExpr::Operand value;
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
      fail(start, "unknown counter '" + std::string(name) + "' (see " + std::string(docs_) + ")");
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

  bool known(std::string_view name) const {
    return std::any_of(counters_.begin(), counters_.end(),
                       [name](const CounterInfo& info) { return info.name == name; });
  }

  std::string_view src_;
  std::span<const CounterInfo> counters_;
  std::string_view docs_;  // where the counters are listed, for the unknown-counter error
  std::size_t pos_ = 0;
  std::string error_;
  int column_ = 0;
};

}  // namespace

std::span<const CounterInfo> counterTable() {
  return kCounters;
}

bool isCounter(std::string_view name) {
  return std::any_of(kCounters.begin(), kCounters.end(),
                     [name](const CounterInfo& info) { return info.name == name; });
}

CheckParse parseCheck(std::string_view source) {
  return Parser(source, counterTable(), "lessons/README.md").run();
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

// errno counters read as names (last_read_errno=EAGAIN), the way the checks are written.
std::string observedText(std::string_view name, std::int64_t value) {
  if (name.ends_with("_errno") && value > 0) return errnoName(static_cast<int>(value));
  return std::to_string(value);
}

}  // namespace

CheckOutcome evaluateCheck(const CheckExpr& expr,
                           const std::function<std::int64_t(std::string_view)>& counter) {
  // Each counter is asked once, so a counter computed from live state (a rate, a queue)
  // cannot read differently in two comparisons of the same check.
  const std::vector<std::string> names = checkCounters(expr);
  std::vector<std::int64_t> values;
  values.reserve(names.size());
  CheckOutcome outcome;
  for (const auto& name : names) {
    values.push_back(counter(name));
    if (!outcome.observed.empty()) outcome.observed += ", ";
    outcome.observed += name + "=" + observedText(name, values.back());
  }
  const auto valueOf = [&](const CheckExpr::Operand& operand) {
    if (!operand.isCounter) return operand.number;
    const auto at = std::find(names.begin(), names.end(), operand.counter) - names.begin();
    return values[static_cast<std::size_t>(at)];
  };
  outcome.passed = true;
  for (const auto& cmp : expr.all) {
    if (!compare(valueOf(cmp.left), cmp.op, valueOf(cmp.right))) outcome.passed = false;
  }
  return outcome;
}

}  // namespace eps
