#include "core/clients/echo.hpp"

#include "core/clients/driver.hpp"

namespace eps {

namespace {

// splitmix64's finalizer: a cheap, well-mixed 64-bit hash.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 31;
  return x;
}

// Keeps the dead prefix of the expectation below this size before moving bytes down.
constexpr std::size_t kCompactAt = std::size_t{64} * 1024;

}  // namespace

// Within each aligned block of 256 positions, (pos * step + offset) mod 256 with an odd
// step visits every byte value exactly once, so every block holds exactly one zero byte
// (a NUL truncation is always caught) and neighbours within a block always differ (a
// one-byte shift or duplicate shows on every byte of the block). The offset is a hash of
// (id, block), so a shift by whole blocks is caught too, and the step differs per client,
// so crossed streams are caught.
std::uint8_t patternByte(int id, std::uint64_t pos) {
  const auto client = static_cast<std::uint64_t>(id);
  const std::uint64_t step = mix(client) | 1u;
  const std::uint64_t offset = mix(client * 0x9E3779B97F4A7C15ull + (pos >> 8));
  return static_cast<std::uint8_t>((pos * step + offset) & 0xFFu);
}

void EchoChecker::expect(std::string_view bytes) {
  expected_.append(bytes);
}

EchoChecker::Result EchoChecker::check(std::span<const char> received) {
  Result result;
  for (const char byte : received) {
    if (head_ < expected_.size() && expected_[head_] == byte) {
      ++result.matched;
    } else {
      ++result.mismatched;
    }
    if (head_ < expected_.size()) ++head_;
  }
  compact();
  return result;
}

void EchoChecker::clear() {
  expected_.clear();
  head_ = 0;
}

void EchoChecker::compact() {
  if (head_ == expected_.size()) {
    clear();
  } else if (head_ >= kCompactAt && head_ * 2 >= expected_.size()) {
    expected_.erase(0, head_);
    head_ = 0;
  }
}

void OutputQueue::push(std::string data, bool urgent) {
  if (data.empty()) return;
  if (!urgent) bytes_ += data.size();
  chunks_.push_back(Chunk{std::move(data), 0, urgent});
}

void OutputQueue::consume(std::size_t n) {
  Chunk& chunk = chunks_.front();
  chunk.offset += n;
  if (!chunk.urgent) bytes_ -= n;
  if (chunk.offset >= chunk.data.size()) chunks_.pop_front();
}

void OutputQueue::clear() {
  chunks_.clear();
  bytes_ = 0;
}

}  // namespace eps
