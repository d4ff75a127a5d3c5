// EventStore: the field-by-field varint packing of trace events.
#include "core/timeline/event_store.hpp"

#include <cassert>

namespace eps {
namespace {

// Field bits of an event's header: a field is stored only when its bit is set, otherwise it
// has its default (TraceEvent's, or no difference from the previous event). The fields a
// call usually has come first, so its header fits the varint's first 7 bits: one byte.
enum Field : std::uint32_t {
  kTime = 1u << 0,  // tNs minus the previous event's (0 at a group's start)
  kDuration = 1u << 1,
  kRet = 1u << 2,
  kA = 1u << 3,
  kFd = 1u << 4,     // fd + 1: the default -1 is 0
  kSmall = 1u << 5,  // call, kind, op, actor, thread and flags, a byte each
  kLane = 1u << 6,
  kSeq = 1u << 7,  // seq minus the previous event's, minus 1: consecutive events store nothing
  kB = 1u << 8,
  kC = 1u << 9,
  kErr = 1u << 10,
  kEvents = 1u << 11,
  kConn = 1u << 12,
  kMark = 1u << 13,
};
constexpr std::uint32_t kNoMark = LaneTracker::kNoLane;

std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t u) {
  return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

void putVarint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

std::uint64_t getVarint(const std::uint8_t*& p) {
  std::uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const std::uint8_t byte = *p++;
    v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return v;
  }
}

// The call first: a call's (kind 0) fits one byte.
std::uint64_t smallFields(const TraceEvent& e) {
  return static_cast<std::uint64_t>(e.call) | static_cast<std::uint64_t>(e.kind) << 8 |
         static_cast<std::uint64_t>(e.op) << 16 | static_cast<std::uint64_t>(e.actor) << 24 |
         static_cast<std::uint64_t>(e.thread) << 32 | static_cast<std::uint64_t>(e.flags) << 40;
}

void setSmallFields(TraceEvent& e, std::uint64_t v) {
  e.call = static_cast<Call>(v & 0xff);
  e.kind = static_cast<EventKind>((v >> 8) & 0xff);
  e.op = static_cast<std::uint8_t>((v >> 16) & 0xff);
  e.actor = static_cast<Actor>((v >> 24) & 0xff);
  e.thread = static_cast<std::uint8_t>((v >> 32) & 0xff);
  e.flags = static_cast<std::uint8_t>((v >> 40) & 0xff);
}

// Wrapping differences: exact for any pair of 64-bit values.
std::int64_t difference(std::uint64_t value, std::uint64_t previous) {
  return static_cast<std::int64_t>(value - previous);
}

}  // namespace

// Reads a group's events in order from a position inside it.
struct EventStore::Cursor {
  const std::uint8_t* p = nullptr;
  std::uint64_t lastNs = 0;
  std::uint64_t lastSeq = 0;

  void skip() { (void)next(); }
  StoredEvent next() {
    StoredEvent out;
    const std::uint64_t mask = getVarint(p);
    TraceEvent& e = out.event;
    const auto field = [&](std::uint32_t bit) { return (mask & bit) != 0 ? getVarint(p) : 0; };
    lastNs += static_cast<std::uint64_t>(unzigzag(field(kTime)));
    e.tNs = static_cast<std::int64_t>(lastNs);
    e.durNs = unzigzag(field(kDuration));
    e.ret = unzigzag(field(kRet));
    e.a = unzigzag(field(kA));
    e.fd = static_cast<std::int32_t>(unzigzag(field(kFd)) - 1);
    setSmallFields(e, field(kSmall));
    out.lane = static_cast<std::uint32_t>(field(kLane));
    lastSeq += static_cast<std::uint64_t>(unzigzag(field(kSeq))) + 1;
    e.seq = lastSeq;
    e.b = unzigzag(field(kB));
    e.c = unzigzag(field(kC));
    e.err = static_cast<std::int32_t>(unzigzag(field(kErr)));
    e.events = static_cast<std::uint32_t>(field(kEvents));
    e.conn = static_cast<std::uint32_t>(field(kConn));
    out.mark = (mask & kMark) != 0 ? static_cast<std::uint32_t>(getVarint(p)) : kNoMark;
    return out;
  }
};

void EventStore::push(const StoredEvent& stored) {
  const std::size_t index = head_ + size_;
  if (index / kPage == pages_.size()) pages_.push_back(std::make_unique<Page>());
  Page& page = *pages_.back();
  const std::size_t inPage = index % kPage;
  if (inPage % kGroup == 0) {
    page.groupOffset[inPage / kGroup] = static_cast<std::uint32_t>(page.bytes.size());
    lastNs_ = 0;
    lastSeq_ = 0;
  }
  const TraceEvent& e = stored.event;
  const std::uint64_t values[] = {
      zigzag(difference(static_cast<std::uint64_t>(e.tNs), static_cast<std::uint64_t>(lastNs_))),
      zigzag(e.durNs),
      zigzag(e.ret),
      zigzag(e.a),
      zigzag(static_cast<std::int64_t>(e.fd) + 1),
      smallFields(e),
      stored.lane,
      zigzag(difference(e.seq, lastSeq_ + 1)),
      zigzag(e.b),
      zigzag(e.c),
      zigzag(e.err),
      e.events,
      e.conn,
  };
  std::uint32_t mask = stored.mark != kNoMark ? std::uint32_t{kMark} : 0u;
  for (std::size_t bit = 0; bit < std::size(values); ++bit) {
    if (values[bit] != 0) mask |= 1u << bit;
  }
  putVarint(page.bytes, mask);
  for (std::size_t bit = 0; bit < std::size(values); ++bit) {
    if (values[bit] != 0) putVarint(page.bytes, values[bit]);
  }
  if (stored.mark != kNoMark) putVarint(page.bytes, stored.mark);
  lastNs_ = e.tNs;
  lastSeq_ = e.seq;
  ++size_;
  if (inPage == kPage - 1) page.bytes.shrink_to_fit();  // the page is complete
}

StoredEvent EventStore::at(std::size_t i) const {
  assert(i < size_);
  const std::size_t index = head_ + i;
  const Page& page = *pages_[index / kPage];
  const std::size_t inPage = index % kPage;
  Cursor cursor{page.bytes.data() + page.groupOffset[inPage / kGroup]};
  for (std::size_t k = inPage - inPage % kGroup; k < inPage; ++k) cursor.skip();
  return cursor.next();
}

void EventStore::forEach(std::size_t begin, std::size_t end,
                         const std::function<void(const StoredEvent&)>& f) const {
  assert(begin <= end && end <= size_);
  Cursor cursor;
  for (std::size_t i = begin; i < end; ++i) {
    const std::size_t index = head_ + i;
    const std::size_t inPage = index % kPage;
    if (i == begin || inPage % kGroup == 0) {
      const Page& page = *pages_[index / kPage];
      cursor = Cursor{page.bytes.data() + page.groupOffset[inPage / kGroup]};
      for (std::size_t k = inPage - inPage % kGroup; k < inPage; ++k) cursor.skip();
    }
    f(cursor.next());
  }
}

void EventStore::popFront(std::size_t n) {
  assert(n <= size_);
  head_ += n;
  size_ -= n;
  if (size_ == 0) {
    pages_.clear();
    head_ = 0;
    return;
  }
  while (head_ >= kPage) {
    pages_.pop_front();
    head_ -= kPage;
  }
}

std::size_t EventStore::memoryBytes() const {
  std::size_t bytes = pages_.size() * (sizeof(Page) + sizeof(std::unique_ptr<Page>));
  for (const auto& page : pages_) bytes += page->bytes.capacity();
  return bytes;
}

}  // namespace eps
