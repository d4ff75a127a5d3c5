// A predict-first question only teaches if the learner has to think: the words shown before
// the step runs must not state the answer that the explanation reveals after it. For every
// predict in every lesson, in English and in Chinese:
//  - no figure of the correct choice (and no figure of two or more digits of the explanation)
//    appears in the step's title or text, unless the question or a wrong choice says it too;
//  - no run of words of the correct choice's claim (its words up to the first ':', ',' or ';':
//    what follows is its reason, which may restate the step's premise) appears in the lesson's
//    summary or the step's title or text (runs of three English words or four Chinese
//    characters; the whole claim when it is shorter, but at least two words), unless the
//    question or a wrong choice has that run too.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/lessons/lesson.hpp"

namespace eps {
namespace {

// A token: an ASCII run of letters and digits (lowercased), or one non-ASCII character (a
// Chinese character is a word of its own); punctuation and spaces separate tokens. Chinese
// punctuation (U+3000..U+303F, the full-width signs of U+FF00..U+FF3F, curly quotes) separates
// too.
std::vector<std::string> tokens(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) out.push_back(word);
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (std::isalnum(c) != 0 || c == '_') {
        word += static_cast<char>(std::tolower(c));
      } else {
        flush();
      }
      ++i;
      continue;
    }
    flush();
    const std::size_t length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    const std::string character = text.substr(i, length);
    i += length;
    // U+FF00..FF3F less the full-width digits (FF10..FF19) and capitals (FF21..FF3A).
    const auto last = character.size() == 3 ? static_cast<unsigned char>(character[2]) : 0;
    const bool fullWidthSign = character.compare(0, 2, "\xef\xbc") == 0 &&
                               !(last >= 0x90 && last <= 0x99) && !(last >= 0xa1 && last <= 0xba);
    const bool punctuation = character.size() == 3 &&
                             (character.compare(0, 2, "\xe3\x80") == 0 ||  // U+3000..303F
                              fullWidthSign || character == "\xe2\x80\x9c" ||
                              character == "\xe2\x80\x9d");
    if (!punctuation) out.push_back(character);
  }
  flush();
  return out;
}

bool isNumber(const std::string& token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

std::set<std::string> numbers(const std::string& text) {
  std::set<std::string> out;
  for (const std::string& t : tokens(text))
    if (isNumber(t)) out.insert(t);
  return out;
}

// A choice's claim: up to its first ':', ',' or ';' (ASCII or full-width).
std::string claim(const std::string& choice) {
  std::size_t end = choice.find_first_of(":,;");
  for (const char* sign : {"\xef\xbc\x9a", "\xef\xbc\x8c", "\xef\xbc\x9b"}) {
    end = std::min(end, choice.find(sign));
  }
  return choice.substr(0, end);
}

// Runs of `n` tokens, joined by a space; the whole text as one run when it is shorter (but at
// least two tokens: one common word says nothing).
std::set<std::string> runs(const std::string& text, std::size_t n) {
  const std::vector<std::string> words = tokens(text);
  std::set<std::string> out;
  if (words.size() < 2) return out;
  const auto join = [&](std::size_t from, std::size_t count) {
    std::string run;
    for (std::size_t i = from; i < from + count; ++i) run += (i == from ? "" : " ") + words[i];
    return run;
  };
  if (words.size() < n) {
    if (!words.empty()) out.insert(join(0, words.size()));
    return out;
  }
  for (std::size_t i = 0; i + n <= words.size(); ++i) out.insert(join(i, n));
  return out;
}

bool containsRun(const std::string& text, const std::string& run) {
  const std::string joined = " " + [&] {
    std::string all;
    for (const std::string& t : tokens(text)) all += (all.empty() ? "" : " ") + t;
    return all;
  }() + " ";
  return joined.find(" " + run + " ") != std::string::npos;
}

struct Language {
  const char* name;
  bool chinese;
  std::size_t runLength;
};

// What the learner reads before the step runs, and what the predict says is the answer.
std::vector<std::string> giveaways(const Lesson& lesson, const LessonStep& step,
                                   const Language& language) {
  const PredictFirst& p = *step.predict;
  const auto in = [&](const LocalText& text) { return text.in(language.chinese); };
  const std::string stepText = in(step.title) + "\n" + in(step.text);
  // A paired lesson names its sides on screen before any step runs.
  std::string sides;
  if (lesson.compare) {
    for (const LessonSide& side : *lesson.compare) sides += in(side.label) + "\n";
  }
  const std::string shown = in(lesson.summary) + "\n" + sides + stepText;
  std::string others = in(p.question);
  for (std::size_t i = 0; i < p.choices.size(); ++i) {
    if (static_cast<int>(i) != p.answer) others += "\n" + in(p.choices[i]);
  }
  const std::string answer = in(p.choices[static_cast<std::size_t>(p.answer)]);
  const std::set<std::string> shownNumbers = numbers(stepText);
  const std::set<std::string> otherNumbers = numbers(others);
  std::vector<std::string> found;
  std::set<std::string> figures = numbers(answer);
  for (const std::string& n : numbers(in(p.explanation)))
    if (n.size() >= 2) figures.insert(n);
  for (const std::string& n : figures) {
    if (shownNumbers.contains(n) && !otherNumbers.contains(n)) {
      found.push_back("the figure " + n);
    }
  }
  for (const std::string& run : runs(claim(answer), language.runLength)) {
    if (containsRun(shown, run) && !containsRun(others, run)) {
      found.push_back("the words '" + run + "'");
    }
  }
  return found;
}

std::vector<Lesson> allLessons() {
  std::vector<Lesson> lessons;
  const std::filesystem::path dir = std::filesystem::path(EPOLLSCOPE_SOURCE_DIR) / "lessons";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".toml") continue;
    LessonLoad loaded = loadLessonFile(entry.path().string());
    EXPECT_FALSE(loaded.error) << loaded.error->text();
    if (loaded.lesson) lessons.push_back(std::move(*loaded.lesson));
  }
  return lessons;
}

TEST(PredictGiveaway, TheTokensSplitWordsAndChineseCharacters) {
  EXPECT_EQ(tokens("40 reads of 100, one of 96."),
            (std::vector<std::string>{"40", "reads", "of", "100", "one", "of", "96"}));
  EXPECT_EQ(tokens("立刻返回：连接 41 次"),
            (std::vector<std::string>{"立", "刻", "返", "回", "连", "接", "41", "次"}));
  EXPECT_TRUE(containsRun("epoll_wait returns at once, again", "returns at once"));
  EXPECT_EQ(claim("Returns at once: the connection is still queued"), "Returns at once");
  EXPECT_EQ(claim("立刻返回：连接仍在队列里"), "立刻返回");
  EXPECT_EQ(claim("None"), "None");
  EXPECT_FALSE(containsRun("it returns atonce", "returns at once"));
}

// The check catches the giveaways it was written for (lesson 01's old narrative).
TEST(PredictGiveaway, ANarrativeThatStatesTheAnswerIsCaught) {
  Lesson lesson;
  LessonStep step;
  step.title = {"4096 bytes, 100 per read", "4096 字节，每次读 100"};
  step.text = {"In LT epoll_wait returns it again at once: 40 reads of 100, one of 96.",
               "epoll_wait 立刻再次返回它：40 次读 100 字节，1 次读 96 字节。"};
  PredictFirst p;
  p.question = {"The engine reads 100 bytes per wakeup. How many wakeups for 4096 bytes?",
                "引擎每次唤醒读 100 字节。为了 4096 字节会唤醒几次？"};
  p.choices = {{"Once", "一次"}, {"41 times: LT reports it while it is readable", "41 次"}};
  p.answer = 1;
  p.explanation = {"40 reads of 100, one of 96.", "40 次读 100 字节，1 次读 96 字节。"};
  step.predict = p;
  EXPECT_EQ(giveaways(lesson, step, {"en", false, 3}),
            (std::vector<std::string>{"the figure 40", "the figure 96"}));
  EXPECT_EQ(giveaways(lesson, step, {"zh", true, 4}),
            (std::vector<std::string>{"the figure 40", "the figure 96"}));
  step.text.en = "Each wakeup it reads 100 bytes: 41 times, then silence.";
  EXPECT_EQ(giveaways(lesson, step, {"en", false, 3}),
            (std::vector<std::string>{"the figure 41", "the words '41 times'"}));
  step.text.en = "Each wakeup it reads 100 bytes; LT reports it while it is readable.";
  EXPECT_TRUE(giveaways(lesson, step, {"en", false, 3}).empty()) << "a reason, not the claim";
}

TEST(PredictGiveaway, NoLessonTextStatesItsPredictAnswer) {
  const std::vector<Lesson> lessons = allLessons();
  ASSERT_GE(lessons.size(), 15u);
  int predicts = 0;
  int pairedPredicts = 0;  // a paired lesson's ([compare]) are held to it too
  for (const Lesson& lesson : lessons) {
    for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
      const LessonStep& step = lesson.steps[i];
      if (!step.predict) continue;
      ++predicts;
      if (lesson.paired()) ++pairedPredicts;
      for (const Language& language : {Language{"en", false, 3}, Language{"zh", true, 4}}) {
        for (const std::string& found : giveaways(lesson, step, language)) {
          ADD_FAILURE() << lesson.path << " step " << i + 1 << " (" << language.name
                        << "): the summary, title or text gives away the answer: " << found;
        }
      }
    }
  }
  EXPECT_GE(predicts, 11);
  EXPECT_GE(pairedPredicts, 1);
}

// The sides' labels are shown before any step runs: a label that states the answer is caught.
TEST(PredictGiveaway, APairedLessonsSideLabelsAreShownText) {
  Lesson lesson;
  LessonStep step;
  step.title = {"One client talks", "一个客户端说话"};
  step.text = {"Count the descriptors.", "数一数描述符。"};
  PredictFirst p;
  p.question = {"How many descriptors per call?", "每次调用交多少个描述符？"};
  p.choices = {{"Only the one that talks", "只有说话的那个"},
               {"Every descriptor it watches, on every call", "每次都交全部描述符"}};
  p.answer = 1;
  p.explanation = {"poll passes its whole array.", "poll 每次传整个数组。"};
  step.predict = p;
  EXPECT_TRUE(giveaways(lesson, step, {"en", false, 3}).empty());
  LessonSide side;
  side.label = {"poll: every descriptor it watches", "poll：每次都交全部描述符"};
  lesson.compare = std::array<LessonSide, 2>{side, side};
  EXPECT_FALSE(giveaways(lesson, step, {"en", false, 3}).empty());
  EXPECT_FALSE(giveaways(lesson, step, {"zh", true, 4}).empty());
}

}  // namespace
}  // namespace eps
