#include "core/trace/start_order.hpp"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <limits>

namespace eps {

namespace {

// Room for `needed` elements (at most `limit`, a chunk's most: spare room stays below one
// chunk), grown geometrically so that appends one at a time stay O(1) each.
template <typename T>
void growFor(std::vector<T>& v, std::size_t needed, std::size_t limit) {
  if (v.capacity() >= needed) return;
  v.reserve(std::min(limit, std::max(2 * v.size(), needed)));
}

}  // namespace

StartOrder::Entry StartOrder::Chunk::at(std::size_t i) const {
  // Unsigned arithmetic wraps the way the offsets were taken (fits() allows any pair of ids
  // within ±2^31 of each other modulo 2^64, so ids near 0 and near 2^64 still decode).
  const Packed p = packed[i];
  return {static_cast<std::int64_t>(static_cast<std::uint64_t>(baseNs) + p.dtNs),
          baseId + static_cast<std::uint64_t>(static_cast<std::int64_t>(p.dId))};
}

StartOrder::Packed StartOrder::Chunk::offsetsOf(const Entry& entry) const {
  return {static_cast<std::uint32_t>(static_cast<std::uint64_t>(entry.tNs) -
                                     static_cast<std::uint64_t>(baseNs)),
          static_cast<std::int32_t>(static_cast<std::int64_t>(entry.id - baseId))};
}

bool StartOrder::Chunk::fits(const Entry& entry) const {
  const auto dt = static_cast<std::uint64_t>(entry.tNs) - static_cast<std::uint64_t>(baseNs);
  const auto dId = static_cast<std::int64_t>(entry.id - baseId);
  return entry.tNs >= baseNs && dt <= std::numeric_limits<std::uint32_t>::max() &&
         dId >= std::numeric_limits<std::int32_t>::min() &&
         dId <= std::numeric_limits<std::int32_t>::max();
}

// Packs entries, given in order, into chunks appended to `out`: a chunk holds up to `target`
// entries and a new one starts where an entry does not fit. Room is reserved for what is
// still to come (`expected` entries) so a chunk is allocated about once, and a closed chunk
// gives back its spare room: only the chunk being written keeps any.
// Ownership: a scratch object of one insert/dropBefore call; `out` outlives it.
class StartOrder::Writer {
 public:
  // `continueLast`: the entries follow out.back(), which takes them while they fit.
  Writer(std::vector<Chunk>& out, std::size_t target, std::size_t expected, bool continueLast)
      : out_(out), target_(target), remaining_(expected), open_(continueLast && !out.empty()) {}

  void push(const Entry& entry) {
    if (!open_ || out_.back().packed.size() >= target_ || !out_.back().fits(entry)) {
      openWith(entry);
    } else {
      Chunk& chunk = out_.back();
      growFor(chunk.packed, chunk.packed.size() + remaining_, target_);
      chunk.packed.push_back(chunk.offsetsOf(entry));
      chunk.minId = std::min(chunk.minId, entry.id);
    }
    if (remaining_ > 1) --remaining_;
  }
  // `keepRoom`: the last chunk is the list's tail, where the next batch lands.
  void finish(bool keepRoom) {
    if (open_ && !keepRoom) out_.back().packed.shrink_to_fit();
  }

 private:
  void openWith(const Entry& entry) {
    if (open_) out_.back().packed.shrink_to_fit();
    Chunk& chunk = out_.emplace_back();
    chunk.baseNs = entry.tNs;
    chunk.baseId = entry.id;
    chunk.minId = entry.id;
    chunk.packed.reserve(std::min(target_, remaining_));
    chunk.packed.push_back({0, 0});
    open_ = true;
  }

  std::vector<Chunk>& out_;
  std::size_t target_;
  std::size_t remaining_;
  bool open_;
};

void StartOrder::insert(std::vector<Entry>& batch) {
  if (batch.empty()) return;
  std::sort(batch.begin(), batch.end());
  for (const Entry& entry : batch) lowestId_ = std::min(lowestId_, entry.id);
  // Past the last entry listed: appended. The rest (a late long call) is merged into the
  // chunks it lands in, from the back so the indices of the chunks before stay valid.
  std::size_t tailFrom = 0;
  std::size_t firstTouched = chunks_.empty() ? 0 : chunks_.size() - 1;
  if (!chunks_.empty()) {
    const Chunk& last = chunks_.back();
    const Entry lastEntry = last.at(last.packed.size() - 1);
    tailFrom = static_cast<std::size_t>(std::upper_bound(batch.begin(), batch.end(), lastEntry) -
                                        batch.begin());
  }
  for (std::size_t end = tailFrom; end > 0;) {
    const std::size_t chunk = chunkFor(batch[end - 1]);
    const Entry first = chunks_[chunk].first();
    const std::size_t begin =
        chunk == 0 ? 0
                   : static_cast<std::size_t>(
                         std::partition_point(batch.begin(), batch.begin() + end,
                                              [&](const Entry& e) { return e < first; }) -
                         batch.begin());
    mergeInto(chunk, std::span(batch).subspan(begin, end - begin));
    firstTouched = chunk;
    end = begin;
  }
  append(std::span(batch).subspan(tailFrom));
  renumberFrom(firstTouched);
  batch.clear();
}

// The chunk an entry belongs in: the last one whose first entry is not after it.
std::size_t StartOrder::chunkFor(const Entry& entry) const {
  const auto after = std::partition_point(chunks_.begin(), chunks_.end(),
                                          [&](const Chunk& c) { return !(entry < c.first()); });
  return after == chunks_.begin() ? 0 : static_cast<std::size_t>(after - chunks_.begin()) - 1;
}

// Rewrites one chunk with `entries` merged in. Too many for one chunk: split into equal
// parts, so each has room for the next late call; the tail instead fills chunks up, since
// what comes next is appended.
void StartOrder::mergeInto(std::size_t index, std::span<const Entry> entries) {
  const Chunk& old = chunks_[index];
  const bool isTail = index + 1 == chunks_.size();
  if (mergeInPlace(chunks_[index], entries, isTail)) return;
  const std::size_t total = old.packed.size() + entries.size();
  const std::size_t parts = (total + kChunkCap - 1) / kChunkCap;
  std::vector<Chunk> pieces;
  Writer writer(pieces, isTail ? kChunkCap : (total + parts - 1) / parts, total, false);
  std::size_t i = 0;
  for (const Entry& entry : entries) {
    for (; i < old.packed.size() && !(entry < old.at(i)); ++i) writer.push(old.at(i));
    writer.push(entry);
  }
  for (; i < old.packed.size(); ++i) writer.push(old.at(i));
  writer.finish(isTail);
  chunks_[index] = std::move(pieces.front());
  chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(index) + 1,
                 std::make_move_iterator(pieces.begin() + 1),
                 std::make_move_iterator(pieces.end()));
}

// The usual late call: a few entries that fit the chunk as it is (its first entry stays
// first, offsets fit, room left). Merged from the back, moving only what sorts after them.
bool StartOrder::mergeInPlace(Chunk& chunk, std::span<const Entry> entries, bool isTail) {
  const std::size_t size = chunk.packed.size(), total = size + entries.size();
  if (total > kChunkCap || entries.front() < chunk.first()) return false;
  for (const Entry& entry : entries) {
    if (!chunk.fits(entry)) return false;
  }
  // Exact room for a closed chunk; the tail grows geometrically like the Writer's.
  if (isTail) {
    growFor(chunk.packed, total, kChunkCap);
  } else {
    chunk.packed.reserve(total);
  }
  chunk.packed.resize(total);
  std::size_t from = size, to = total;
  for (std::size_t next = entries.size(); next > 0;) {
    const Entry& entry = entries[next - 1];
    if (from > 0 && entry < chunk.at(from - 1)) {
      chunk.packed[--to] = chunk.packed[--from];
    } else {
      chunk.packed[--to] = chunk.offsetsOf(entry);
      chunk.minId = std::min(chunk.minId, entry.id);
      --next;
    }
  }
  return true;
}

void StartOrder::append(std::span<const Entry> entries) {
  if (entries.empty()) return;
  Writer writer(chunks_, kChunkCap, entries.size(), true);
  for (const Entry& entry : entries) writer.push(entry);
  writer.finish(true);
}

void StartOrder::renumberFrom(std::size_t chunk) {
  std::size_t start = 0;
  if (chunk > 0 && chunk <= chunks_.size()) {
    start = chunks_[chunk - 1].start + chunks_[chunk - 1].packed.size();
  } else {
    chunk = 0;
  }
  for (; chunk < chunks_.size(); ++chunk) {
    chunks_[chunk].start = start;
    start += chunks_[chunk].packed.size();
  }
  size_ = start;
}

void StartOrder::dropBefore(std::uint64_t firstKept) {
  if (lowestId_ >= firstKept) return;  // also when empty (UINT64_MAX)
  // One pass: chunks without such ids move over as they are, the others are rewritten with
  // what they keep (re-based on their new first entry, which may split them).
  std::vector<Chunk> kept;
  kept.reserve(chunks_.size());
  for (Chunk& chunk : chunks_) {
    if (chunk.minId >= firstKept) {
      kept.push_back(std::move(chunk));
      continue;
    }
    Writer writer(kept, kChunkCap, chunk.packed.size(), false);
    for (std::size_t i = 0; i < chunk.packed.size(); ++i) {
      const Entry entry = chunk.at(i);
      if (entry.id >= firstKept) writer.push(entry);
    }
    writer.finish(false);
  }
  chunks_ = std::move(kept);
  renumberFrom(0);
  lowestId_ = UINT64_MAX;
  for (const Chunk& chunk : chunks_) lowestId_ = std::min(lowestId_, chunk.minId);
  lastChunk_ = 0;
}

void StartOrder::clear() {
  chunks_.clear();
  chunks_.shrink_to_fit();
  size_ = 0;
  lowestId_ = UINT64_MAX;
  lastChunk_ = 0;
}

StartOrder::Entry StartOrder::entryAt(std::size_t position) const {
  assert(position < size_);
  const auto holds = [&](std::size_t chunk) {
    return chunk < chunks_.size() && chunks_[chunk].start <= position &&
           position - chunks_[chunk].start < chunks_[chunk].packed.size();
  };
  if (!holds(lastChunk_)) {
    if (holds(lastChunk_ + 1)) {
      ++lastChunk_;
    } else if (lastChunk_ > 0 && holds(lastChunk_ - 1)) {
      --lastChunk_;
    } else {
      const auto after = std::partition_point(chunks_.begin(), chunks_.end(),
                                              [&](const Chunk& c) { return c.start <= position; });
      lastChunk_ = static_cast<std::size_t>(after - chunks_.begin()) - 1;
    }
  }
  const Chunk& chunk = chunks_[lastChunk_];
  return chunk.at(position - chunk.start);
}

std::size_t StartOrder::positionOf(std::int64_t tNs, std::uint64_t id) const {
  const Entry key{tNs, id};
  // The last chunk starting before the key holds it, or it goes right after that chunk.
  const auto after = std::partition_point(chunks_.begin(), chunks_.end(),
                                          [&](const Chunk& c) { return c.first() < key; });
  if (after == chunks_.begin()) return 0;
  const Chunk& chunk = *std::prev(after);
  std::size_t low = 0, high = chunk.packed.size();
  while (low < high) {
    const std::size_t mid = low + (high - low) / 2;
    if (chunk.at(mid) < key) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return chunk.start + low;
}

std::size_t StartOrder::memoryBytes() const {
  std::size_t bytes = sizeof(*this) + chunks_.capacity() * sizeof(Chunk);
  for (const Chunk& chunk : chunks_) bytes += chunk.packed.capacity() * sizeof(Packed);
  return bytes;
}

std::vector<std::uint64_t> startOrderOf(std::span<const TraceEvent> events) {
  std::vector<StartOrder::Entry> batch;
  batch.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) batch.push_back({events[i].tNs, i});
  StartOrder order;
  order.insert(batch);
  std::vector<std::uint64_t> ids;
  ids.reserve(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) ids.push_back(order.idAt(i));
  return ids;
}

}  // namespace eps
