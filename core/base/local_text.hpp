// Text written for people in the two languages the window speaks: a lesson's narrative, a
// tour's titles and texts. Plain data; any thread.
#pragma once

#include <string>

namespace eps {

// `zh` may be empty (a tour written in one language): such text is shown as written.
struct LocalText {
  std::string en;
  std::string zh;
  const std::string& in(bool chinese) const { return chinese && !zh.empty() ? zh : en; }
};

}  // namespace eps
