// Lesson checks: the small expressions a lesson asserts about a step. A check that cannot be
// parsed must say where and what was expected, and a failing one must show what was seen.
#include "core/checks/check_expr.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <map>

namespace eps {
namespace {

// Counters from a map; counts how often each is asked for.
struct FakeCounters {
  std::map<std::string, std::int64_t, std::less<>> values;
  std::map<std::string, int, std::less<>> asked;
  std::int64_t operator()(std::string_view name) {
    ++asked[std::string(name)];
    const auto it = values.find(name);
    return it == values.end() ? 0 : it->second;
  }
};

CheckOutcome evaluate(std::string_view source, FakeCounters& counters) {
  const CheckParse parsed = parseCheck(source);
  EXPECT_TRUE(parsed.expr.has_value()) << parsed.error;
  if (!parsed.expr) return {};
  return evaluateCheck(*parsed.expr, [&counters](std::string_view name) { return counters(name); });
}

std::string errorOf(std::string_view source) {
  const CheckParse parsed = parseCheck(source);
  EXPECT_FALSE(parsed.expr.has_value()) << source;
  return parsed.error;
}

TEST(CheckExpr, ParsesComparisonsJoinedWithAnd) {
  const CheckParse parsed = parseCheck("wakeups == 41 && bytes_read>=4096");
  ASSERT_TRUE(parsed.expr.has_value()) << parsed.error;
  ASSERT_EQ(parsed.expr->all.size(), 2U);
  const auto& first = parsed.expr->all[0];
  EXPECT_TRUE(first.left.isCounter);
  EXPECT_EQ(first.left.counter, "wakeups");
  EXPECT_EQ(first.op, "==");
  EXPECT_FALSE(first.right.isCounter);
  EXPECT_EQ(first.right.number, 41);
  EXPECT_EQ(parsed.expr->all[1].op, ">=");
  EXPECT_EQ(parsed.expr->all[1].right.number, 4096);
  EXPECT_EQ(checkCounters(*parsed.expr), (std::vector<std::string>{"wakeups", "bytes_read"}));
}

// After a side (a paired lesson's a. or b.) comes a counter: anything else is refused with an
// error, an errno name included (it reads as a value elsewhere).
TEST(CheckExpr, ASideNamesACounterAndNothingElse) {
  for (const std::string_view source : {"a.EAGAIN == 1", "b.11 == 1", "a. == 1", "a.nope == 1"}) {
    const CheckParse parsed = parseSidedCheck(source);
    EXPECT_FALSE(parsed.expr.has_value()) << source;
    EXPECT_FALSE(parsed.error.empty()) << source;
  }
  const CheckParse errnoName = parseSidedCheck("a.EAGAIN == 1");
  EXPECT_EQ(errnoName.error,
            "column 3: 'EAGAIN' is no counter: a side names a counter (a.wakeups)");
  EXPECT_TRUE(parseSidedCheck("a.last_read_errno == EAGAIN").expr.has_value());
}

TEST(CheckExpr, PassingCheckReportsObservedValues) {
  FakeCounters counters;
  counters.values = {{"reads", 1}, {"stranded_bytes", 3996}};
  const CheckOutcome outcome = evaluate("reads == 1 && stranded_bytes == 3996", counters);
  EXPECT_TRUE(outcome.passed);
  EXPECT_EQ(outcome.observed, "reads=1, stranded_bytes=3996");
}

TEST(CheckExpr, FailingCheckShowsWhatWasSeen) {
  FakeCounters counters;
  counters.values = {{"stranded_bytes", 3897}, {"wakeups", 1}};
  const CheckOutcome outcome = evaluate("stranded_bytes == 3996", counters);
  EXPECT_FALSE(outcome.passed);
  EXPECT_EQ(outcome.observed, "stranded_bytes=3897");
}

TEST(CheckExpr, EveryComparisonMustHoldAndEachCounterIsAskedOnce) {
  FakeCounters counters;
  counters.values = {{"wakeups", 41}, {"reads", 41}, {"bytes_read", 4000}};
  const CheckOutcome outcome =
      evaluate("wakeups == 41 && bytes_read == 4096 && reads == wakeups && wakeups > 40", counters);
  EXPECT_FALSE(outcome.passed);  // only bytes_read is wrong
  EXPECT_EQ(outcome.observed, "wakeups=41, bytes_read=4000, reads=41");
  EXPECT_EQ(counters.asked["wakeups"], 1);
  EXPECT_EQ(counters.asked["bytes_read"], 1);
  EXPECT_EQ(counters.asked["reads"], 1);
}

TEST(CheckExpr, EveryOperator) {
  FakeCounters counters;
  counters.values = {{"reads", 5}};
  EXPECT_TRUE(evaluate("reads == 5", counters).passed);
  EXPECT_TRUE(evaluate("reads != 4", counters).passed);
  EXPECT_TRUE(evaluate("reads < 6", counters).passed);
  EXPECT_TRUE(evaluate("reads <= 5", counters).passed);
  EXPECT_TRUE(evaluate("reads > 4", counters).passed);
  EXPECT_TRUE(evaluate("reads >= 5", counters).passed);
  EXPECT_FALSE(evaluate("reads < 5", counters).passed);
  EXPECT_FALSE(evaluate("reads > 5", counters).passed);
  EXPECT_TRUE(evaluate("4 < reads", counters).passed);  // a number on the left
}

TEST(CheckExpr, ErrnoNamesAreNumbers) {
  FakeCounters counters;
  counters.values = {{"last_read_errno", EAGAIN}, {"last_accept_errno", EMFILE}};
  EXPECT_TRUE(evaluate("last_read_errno == EAGAIN", counters).passed);
  EXPECT_TRUE(evaluate("last_read_errno == EWOULDBLOCK", counters).passed);
  EXPECT_TRUE(evaluate("last_accept_errno == EMFILE", counters).passed);
  const CheckParse parsed = parseCheck("last_read_errno == EAGAIN");
  ASSERT_TRUE(parsed.expr.has_value());
  EXPECT_EQ(parsed.expr->all[0].right.number, EAGAIN);
}

TEST(CheckExpr, NegativeNumbers) {
  FakeCounters counters;
  counters.values = {{"last_read_ret", -1}};
  EXPECT_TRUE(evaluate("last_read_ret == -1", counters).passed);
  EXPECT_TRUE(evaluate("last_read_ret < 0 && last_read_ret>-2", counters).passed);
  EXPECT_EQ(counters.asked["last_read_ret"], 2);  // once per check
}

TEST(CheckExpr, ErrorsSayWhereAndWhatWasExpected) {
  EXPECT_EQ(errorOf("wakeups 41"), "column 9: expected a comparison operator (== != < <= > >=)");
  EXPECT_EQ(errorOf("wakeups = 41"), "column 9: expected a comparison operator (== != < <= > >=)");
  EXPECT_EQ(errorOf("== 41"), "column 1: expected a counter or a number");
  EXPECT_EQ(errorOf(""), "column 1: expected a counter or a number");
  EXPECT_EQ(errorOf("reads =="), "column 9: expected a counter or a number");
  EXPECT_EQ(errorOf("reads == -x"), "column 10: expected a counter or a number");
  EXPECT_EQ(errorOf("reads == 1 &&"), "column 14: expected a counter or a number");
  EXPECT_EQ(errorOf("wakeups == 41 x"),
            "column 15: unexpected 'x' after the comparison; join comparisons with &&");
  EXPECT_EQ(errorOf("reads == 1 || reads == 2"),
            "column 12: unexpected '|' after the comparison; join comparisons with &&");
  EXPECT_EQ(errorOf("reads == 1 & reads == 2"),
            "column 12: unexpected '&' after the comparison; join comparisons with &&");
  EXPECT_EQ(errorOf("raeds == 1"),
            "column 1: unknown counter 'raeds' (did you mean 'reads'? see lessons/README.md)");
  EXPECT_EQ(errorOf("reads == 1 && x == 2"),
            "column 15: unknown counter 'x' (see lessons/README.md)");
  EXPECT_EQ(errorOf("last_read_errno == EAGIAN"), "column 20: unknown errno name 'EAGIAN'");
  EXPECT_EQ(errorOf("reads == 99999999999999999999"),
            "column 10: number '99999999999999999999' is out of range");
  EXPECT_EQ(errorOf("3 == 3"), "column 1: a comparison needs a counter on one side");
}

TEST(CheckExpr, ErrorColumnIsReportedSeparately) {
  const CheckParse parsed = parseCheck("  reads ? 1");
  EXPECT_FALSE(parsed.expr.has_value());
  EXPECT_EQ(parsed.errorColumn, 9);
}

TEST(CheckExpr, ErrnoCountersAreObservedByName) {
  const CheckParse parsed = parseCheck("last_read_errno == EAGAIN && reads == 2");
  ASSERT_TRUE(parsed.expr) << parsed.error;
  const CheckOutcome outcome = evaluateCheck(*parsed.expr, [](std::string_view name) {
    return name == "last_read_errno" ? std::int64_t{11} : std::int64_t{2};
  });
  EXPECT_TRUE(outcome.passed);
  EXPECT_EQ(outcome.observed, "last_read_errno=EAGAIN, reads=2");
}

// A counter its source cannot compute fails the check, even one a 0 would pass.
TEST(CheckExpr, ACounterTheSourceDoesNotKnowFailsTheCheck) {
  const CheckParse parsed = parseCheck("stranded_bytes == 0 && reads == 2");
  ASSERT_TRUE(parsed.expr) << parsed.error;
  const CheckOutcome outcome =
      evaluateCheck(*parsed.expr, [](std::string_view name) -> std::optional<std::int64_t> {
        if (name == "reads") return 2;
        return std::nullopt;
      });
  EXPECT_FALSE(outcome.passed);
  EXPECT_EQ(outcome.observed, "stranded_bytes=unknown, reads=2");
}

}  // namespace
}  // namespace eps
