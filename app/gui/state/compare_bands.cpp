#include "app/gui/state/compare_bands.hpp"

#include <cerrno>
#include <map>

namespace eps::gui {
namespace {

constexpr std::uint32_t kWaitRow = 0, kListenerRow = 1;

class BandBuilder {
 public:
  BandBuilder(const AlignedAxis& axis, std::size_t side) : axis_(axis), side_(side) {
    band_.rows = {"epoll", "listen"};
  }

  void add(const TraceEvent& e) {
    if (e.kind == EventKind::Stranded) return strand(e);
    if (e.actor != Actor::Engine) return;
    if (e.kind == EventKind::Ready) return span(rowOf(e.fd), BandItem::Ready, e.tNs, e.tNs);
    if (e.kind != EventKind::Call) return;
    switch (e.call) {
      case Call::Listen:
        if (e.ret == 0) listener_ = e.fd;
        break;
      case Call::EpollWait:
        span(kWaitRow, BandItem::Wait, e.tNs, e.tNs + e.durNs);
        break;
      case Call::Poll:  // knob poller=poll: the same loop, waiting in poll(2)
      case Call::Ppoll:
        band_.rows[kWaitRow] = "poll";
        span(kWaitRow, BandItem::Wait, e.tNs, e.tNs + e.durNs);
        break;
      case Call::Accept4:
        span(kListenerRow, BandItem::Accept, e.tNs, e.tNs + e.durNs);
        if (e.ret >= 0) connection(static_cast<int>(e.ret));
        break;
      case Call::Read:
        endStranded(e.fd, e.tNs);
        span(rowOf(e.fd), e.ret < 0 && e.err == EAGAIN ? BandItem::ReadEagain : BandItem::Read,
             e.tNs, e.tNs + e.durNs);
        break;
      case Call::Write:
        span(rowOf(e.fd), BandItem::Write, e.tNs, e.tNs + e.durNs);
        break;
      case Call::EpollCtl:
        if (rows_.count(e.fd)) span(rowOf(e.fd), BandItem::Ctl, e.tNs, e.tNs + e.durNs);
        break;
      case Call::Close:
        if (rows_.count(e.fd)) span(rowOf(e.fd), BandItem::Close, e.tNs, e.tNs + e.durNs);
        rows_.erase(e.fd);  // a later connection on the same number gets its own row
        break;
      default:
        break;
    }
  }

  Band finish(std::int64_t lastNs) {
    for (const auto& [fd, since] : strandedSince_)
      span(rowOf(fd), BandItem::Stranded, since, lastNs);
    return std::move(band_);
  }

 private:
  void span(std::uint32_t row, BandItem item, std::int64_t from, std::int64_t to) {
    band_.spans.push_back({row, item, axis_.position(side_, from), axis_.position(side_, to)});
  }
  void connection(int fd) {
    rows_[fd] = static_cast<std::uint32_t>(band_.rows.size());
    band_.rows.push_back("fd " + std::to_string(fd));
  }
  std::uint32_t rowOf(int fd) {
    if (fd == listener_) return kListenerRow;
    const auto found = rows_.find(fd);
    return found != rows_.end() ? found->second : kWaitRow;
  }
  // Bytes wait and no wakeup is coming: red from here to the engine's next read of the socket.
  void strand(const TraceEvent& e) {
    if (static_cast<StrandedWhat>(e.op) == StrandedWhat::Bytes)
      strandedSince_.try_emplace(e.fd, e.tNs);
  }
  void endStranded(int fd, std::int64_t tNs) {
    const auto found = strandedSince_.find(fd);
    if (found == strandedSince_.end()) return;
    span(rowOf(fd), BandItem::Stranded, found->second, tNs);
    strandedSince_.erase(found);
  }

  const AlignedAxis& axis_;
  std::size_t side_;
  Band band_;
  int listener_ = -1;
  std::map<int, std::uint32_t> rows_;
  std::map<int, std::int64_t> strandedSince_;
};

}  // namespace

Band buildBand(const std::vector<TraceEvent>& events, const AlignedAxis& axis, std::size_t side) {
  BandBuilder builder(axis, side);
  for (const TraceEvent& e : events) builder.add(e);
  return builder.finish(events.empty() ? 0 : events.back().tNs);
}

}  // namespace eps::gui
