// Words core writes for people, in the reader's language. Each phrase is written once, in
// English, where it is built, as a printf format; a Phrases translator maps it to the reader's
// language (the window passes its tr(), which looks the phrase up in its one table,
// app/gui/text/zh_table.cpp) keeping its conversions in the same order. nullptr: English,
// which is what exports, CSV, the CLI and --state-out read (the CLI contract). Core never
// includes the GUI: the translator is a plain function pointer. Stateless; any thread (the
// translator decides its own).
#pragma once

#include <string>

namespace eps {

using Phrases = const char* (*)(const char*);

// `english` in the reader's language.
inline const char* words(Phrases say, const char* english) {
  return say != nullptr ? say(english) : english;
}

// printf with the translated format.
[[gnu::format(printf, 2, 3)]] std::string phrase(Phrases say, const char* english, ...);

}  // namespace eps
