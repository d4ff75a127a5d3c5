#include "core/base/phrases.hpp"

#include <cstdarg>
#include <cstdio>

namespace eps {

std::string phrase(Phrases say, const char* english, ...) {
  const char* format = words(say, english);
  std::va_list args;
  va_start(args, english);
  std::va_list again;
  va_copy(again, args);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  const int size = std::vsnprintf(nullptr, 0, format, args);
  std::string out(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
  if (size > 0) std::vsnprintf(out.data(), out.size() + 1, format, again);
#pragma GCC diagnostic pop
  va_end(again);
  va_end(args);
  return out;
}

}  // namespace eps
