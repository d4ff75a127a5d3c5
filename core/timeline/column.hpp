// A contiguous column that grows at the back and shrinks at the front: the storage of the
// timeline's per-lane indexes. Contiguous so binary searches stay cache-friendly; the front is
// dropped by advancing a head index and compacting only when the dead prefix is at least as
// large as the live part, so a pop is amortised O(1) (never vector::erase per element).
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <vector>

namespace eps {

// Ownership: a value type, owned by the index that holds it; no thread affinity of its own.
template <class T>
class Column {
 public:
  std::size_t size() const { return data_.size() - head_; }
  bool empty() const { return size() == 0; }

  T& operator[](std::size_t i) {
    assert(i < size());
    return data_[head_ + i];
  }
  const T& operator[](std::size_t i) const {
    assert(i < size());
    return data_[head_ + i];
  }
  T& back() { return data_.back(); }
  const T& back() const { return data_.back(); }
  const T& front() const { return data_[head_]; }

  // Raw pointers for std::lower_bound and friends over [0, size()).
  const T* begin() const { return data_.data() + head_; }
  const T* end() const { return data_.data() + data_.size(); }
  T* begin() { return data_.data() + head_; }
  T* end() { return data_.data() + data_.size(); }

  void push_back(const T& value) { data_.push_back(value); }

  // Inserts before position i; cost is the distance to the back (callers insert near it).
  void insert(std::size_t i, const T& value) {
    assert(i <= size());
    data_.insert(data_.begin() + static_cast<std::ptrdiff_t>(head_ + i), value);
  }

  void popFront(std::size_t n) {
    assert(n <= size());
    head_ += n;
    if (head_ == data_.size()) {
      data_.clear();
      head_ = 0;
    } else if (head_ >= kMinCompact && head_ >= size()) {
      data_.erase(data_.begin(), data_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  // Keeps the first n elements (n <= size()).
  void truncate(std::size_t n) {
    assert(n <= size());
    data_.resize(head_ + n);
  }

  void clear() {
    data_.clear();
    head_ = 0;
  }

  std::size_t memoryBytes() const { return data_.capacity() * sizeof(T); }

 private:
  // Below this many dead elements compaction is not worth a move.
  static constexpr std::size_t kMinCompact = 64;
  std::vector<T> data_;
  std::size_t head_ = 0;
};

// The first element of [first, last) not less than value, searched outward from `first`:
// O(log distance) and cache-friendly, for queries that walk forward through a column.
template <class T>
const T* gallopLowerBound(const T* first, const T* last, const T& value) {
  std::ptrdiff_t step = 1;
  while (last - first > step) {
    const T* probe = first + step;
    if (!(*(probe - 1) < value)) return std::lower_bound(first, probe, value);
    first = probe;
    step *= 2;
  }
  return std::lower_bound(first, last, value);
}

}  // namespace eps
