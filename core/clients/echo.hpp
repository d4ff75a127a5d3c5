// The client's two byte streams in user space: the output it has not handed to the kernel
// yet, and the echo it still expects back. Both are bounded by what is in flight: bytes
// leave the output once sent and leave the expectation once received.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>

namespace eps {

// Ownership: one per ClientConnection; driver thread only.
class EchoChecker {
 public:
  struct Result {
    std::uint64_t matched = 0;
    std::uint64_t mismatched = 0;
  };

  void expect(std::string_view bytes);
  // Compares each received byte with the next expected one. A mismatch still consumes the
  // expected byte, so a duplicated or corrupted byte costs one mismatch and checking goes
  // on; bytes beyond everything expected are mismatches too.
  Result check(std::span<const char> received);
  std::size_t pending() const { return expected_.size() - head_; }
  void clear();

 private:
  void compact();

  std::string expected_;  // bytes [head_, size) are still expected
  std::size_t head_ = 0;
};

// Ownership: one per ClientConnection; driver thread only. Chunks keep their order, and an
// urgent byte (MSG_OOB) waits its turn behind the bytes queued before it, so "hello",
// urgent "!", "world" reach the kernel in that order even when the socket pushes back.
class OutputQueue {
 public:
  struct Chunk {
    std::string data;
    std::size_t offset = 0;  // bytes of data already handed to the kernel
    bool urgent = false;     // one byte, sent with MSG_OOB
  };

  void push(std::string data, bool urgent);
  bool empty() const { return chunks_.empty(); }
  Chunk& front() { return chunks_.front(); }
  void consume(std::size_t n);                    // n bytes of the front chunk were sent
  std::uint64_t bytes() const { return bytes_; }  // normal bytes still queued (no urgent)
  void clear();

 private:
  std::deque<Chunk> chunks_;
  std::uint64_t bytes_ = 0;
};

}  // namespace eps
