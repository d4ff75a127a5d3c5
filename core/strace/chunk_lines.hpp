// Cuts a byte stream (a log file read in chunks, or strace's output read from a pipe while it
// writes) into lines for a StraceImporter. A line split across two chunks waits in `carry`;
// a line longer than the importer's limit keeps only its head, so memory stays bounded by the
// limit whatever the stream holds.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/strace/import.hpp"

namespace eps {

// Ownership: one per stream, used by the thread that reads the stream; feeds `importer`,
// which must outlive it.
class StraceChunkLines {
 public:
  StraceChunkLines(StraceImporter& importer, std::size_t maxLineBytes)
      : importer_(importer), maxLineBytes_(maxLineBytes) {}

  // Feeds every line the chunk completes; the rest waits for its newline.
  void feed(std::string_view chunk);
  // The stream ended: a last line without its newline is fed too.
  void end();
  // The line strace has begun and not ended: a call it entered that has not returned yet
  // (strace writes "epoll_wait(4, " as the call starts and the rest when it returns).
  std::string_view partial() const { return overlong_ ? std::string_view() : carry_; }

 private:
  void line(std::string_view piece);

  StraceImporter& importer_;
  std::size_t maxLineBytes_;
  std::string carry_;  // a line split across two chunks
  bool overlong_ = false;
};

}  // namespace eps
