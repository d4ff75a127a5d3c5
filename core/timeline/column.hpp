// A column that grows at the back and shrinks at the front: the storage of the timeline's
// per-lane indexes. Kept in fixed chunks, not one vector: a vector's capacity runs up to twice
// its size (doubling, and a dead prefix kept until it is as large as the live part), which at
// ten million events is hundreds of megabytes of nothing; a chunked column wastes at most one
// chunk. Dropped chunks are freed at once, so popping the front is O(1) amortised.
#pragma once

#include <cassert>
#include <cstddef>
#include <memory>
#include <vector>

namespace eps {

// Ownership: a value type, owned by the index that holds it; no thread affinity of its own.
template <class T>
class Column {
 public:
  static constexpr std::size_t kChunkShift = 10;
  static constexpr std::size_t kChunk = std::size_t{1} << kChunkShift;

  Column() = default;
  Column(Column&&) noexcept = default;
  Column& operator=(Column&&) noexcept = default;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  T& operator[](std::size_t i) {
    assert(i < size_);
    return slot(head_ + i);
  }
  const T& operator[](std::size_t i) const {
    assert(i < size_);
    const std::size_t at = head_ + i;
    return chunks_[at >> kChunkShift][at & (kChunk - 1)];
  }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }
  const T& front() const { return (*this)[0]; }

  void push_back(const T& value) {
    const std::size_t at = head_ + size_;
    if ((at >> kChunkShift) == chunks_.size()) chunks_.push_back(std::make_unique<T[]>(kChunk));
    slot(at) = value;
    ++size_;
  }

  // Inserts before position i; cost is the distance to the back (callers insert near it).
  void insert(std::size_t i, const T& value) {
    assert(i <= size_);
    if (size_ == 0) {
      push_back(value);
      return;
    }
    push_back(back());
    for (std::size_t k = size_ - 1; k > i; --k) (*this)[k] = (*this)[k - 1];
    (*this)[i] = value;
  }

  void popFront(std::size_t n) {
    assert(n <= size_);
    head_ += n;
    size_ -= n;
    if (size_ == 0) {
      clear();
      return;
    }
    const std::size_t done = head_ >> kChunkShift;
    if (done == 0) return;
    chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<std::ptrdiff_t>(done));
    head_ -= done * kChunk;
  }

  // Keeps the first n elements (n <= size()).
  void truncate(std::size_t n) {
    assert(n <= size_);
    size_ = n;
    const std::size_t used = size_ == 0 ? 0 : ((head_ + size_ - 1) >> kChunkShift) + 1;
    chunks_.resize(used);
    if (size_ == 0) head_ = 0;
  }

  void clear() {
    chunks_.clear();
    head_ = 0;
    size_ = 0;
  }

  std::size_t memoryBytes() const {
    return chunks_.size() * kChunk * sizeof(T) + chunks_.capacity() * sizeof(chunks_[0]);
  }

 private:
  T& slot(std::size_t at) { return chunks_[at >> kChunkShift][at & (kChunk - 1)]; }

  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t head_ = 0;  // index of the front element in chunks_[0]
  std::size_t size_ = 0;
};

// The first position in [lo, hi) where `reached(position)` holds, for a predicate that is
// false up to some position and true from there on; hi if none. O(log(hi - lo)).
template <class Pred>
std::size_t firstWhere(std::size_t lo, std::size_t hi, Pred reached) {
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (reached(mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

// firstWhere searched outward from lo: O(log distance), for queries that walk forward.
template <class Pred>
std::size_t gallopFirstWhere(std::size_t lo, std::size_t hi, Pred reached) {
  std::size_t step = 1;
  while (hi - lo > step) {
    const std::size_t probe = lo + step;
    if (reached(probe - 1)) return firstWhere(lo, probe, reached);
    lo = probe;
    step *= 2;
  }
  return firstWhere(lo, hi, reached);
}

}  // namespace eps
