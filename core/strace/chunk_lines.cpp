#include "core/strace/chunk_lines.hpp"

#include <algorithm>

namespace eps {
namespace {
constexpr std::size_t kOverlongHead = 256;
}  // namespace

void StraceChunkLines::line(std::string_view piece) {
  if (overlong_ || carry_.size() + piece.size() > maxLineBytes_) {
    if (carry_.size() < kOverlongHead) carry_.append(piece.substr(0, kOverlongHead));
    importer_.feedOverlong(carry_);
  } else if (carry_.empty()) {
    importer_.feed(piece);
  } else {
    carry_.append(piece);
    importer_.feed(carry_);
  }
  carry_.clear();
  overlong_ = false;
}

void StraceChunkLines::feed(std::string_view chunk) {
  for (std::size_t newline = chunk.find('\n'); newline != std::string_view::npos;
       newline = chunk.find('\n')) {
    line(chunk.substr(0, newline));
    chunk.remove_prefix(newline + 1);
  }
  // The rest waits for its newline; a line past the limit keeps only its head.
  if (overlong_ || carry_.size() + chunk.size() > maxLineBytes_) {
    if (!overlong_) carry_.resize(std::min(carry_.size(), kOverlongHead));
    if (carry_.size() < kOverlongHead) {
      carry_.append(chunk.substr(0, kOverlongHead - carry_.size()));
    }
    overlong_ = true;
  } else {
    carry_.append(chunk);
  }
}

void StraceChunkLines::end() {
  if (overlong_ || !carry_.empty()) line({});
}

}  // namespace eps
