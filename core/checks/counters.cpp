#include "core/checks/counters.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "core/base/phrases.hpp"

namespace eps {
namespace {

constexpr std::uint8_t id(LessonCounter counter) {
  return static_cast<std::uint8_t>(counter);
}
constexpr std::uint8_t id(TourCounter counter) {
  return static_cast<std::uint8_t>(counter);
}

constexpr CounterKind StepTally = CounterKind::StepTally;
constexpr CounterKind KernelNow = CounterKind::KernelNow;
constexpr CounterKind ClientsNow = CounterKind::ClientsNow;
constexpr CounterKind LogTally = CounterKind::LogTally;

// lessons/README.md shows this table (counterText); a test holds the two in step.
constexpr std::array<CounterInfo, kLessonCounterCount> kLessonCounters = {{
    {id(LessonCounter::Wakeups), "wakeups", StepTally,
     "epoll_wait (or poll) returns that reported at least one socket (the control eventfd alone "
     "does not count), on the engine thread and its workers"},
    {id(LessonCounter::WorkerWakeups), "worker_wakeups", StepTally,
     "the wakeups of worker threads (knob workers)"},
    {id(LessonCounter::Timeouts), "timeouts", StepTally, "epoll_wait (or poll) returns of 0"},
    {id(LessonCounter::Reads), "reads", StepTally, "read calls on connections"},
    {id(LessonCounter::ReadsWithData), "reads_with_data", StepTally, "reads that returned > 0"},
    {id(LessonCounter::BytesRead), "bytes_read", StepTally, "bytes those reads returned"},
    {id(LessonCounter::LastReadRet), "last_read_ret", StepTally,
     "what the last read returned (-1 on failure; 0 end of file)"},
    {id(LessonCounter::LastReadErrno), "last_read_errno", StepTally,
     "the last read's errno (0 if it succeeded)"},
    {id(LessonCounter::Writes), "writes", StepTally, "write calls on connections"},
    {id(LessonCounter::BytesWritten), "bytes_written", StepTally, "bytes those writes returned"},
    {id(LessonCounter::PartialWrites), "partial_writes", StepTally,
     "writes that returned less than asked"},
    {id(LessonCounter::WriteEagains), "write_eagains", StepTally, "writes that failed with EAGAIN"},
    {id(LessonCounter::LastWriteErrno), "last_write_errno", StepTally,
     "the last write's errno (0 if it succeeded)"},
    {id(LessonCounter::EpolloutReports), "epollout_reports", StepTally,
     "ready entries with EPOLLOUT on connections"},
    {id(LessonCounter::Accepts), "accepts", StepTally, "accept4 calls that returned a connection"},
    {id(LessonCounter::AcceptEmfile), "accept_emfile", StepTally,
     "accept4 calls that failed with EMFILE"},
    {id(LessonCounter::AcceptEagains), "accept_eagains", StepTally,
     "accept4 calls that failed with EAGAIN (nothing to accept)"},
    {id(LessonCounter::LastAcceptErrno), "last_accept_errno", StepTally,
     "the last accept4's errno (0 if it succeeded)"},
    {id(LessonCounter::AcceptedClient), "accepted_client", StepTally,
     "the lesson's client number (1, 2, ...) of the connection the last accept4 returned"},
    {id(LessonCounter::EpollCtlMods), "epoll_ctl_mods", StepTally, "EPOLL_CTL_MOD calls"},
    {id(LessonCounter::Closes), "closes", StepTally, "close calls on connections"},
    {id(LessonCounter::StrandedBytes), "stranded_bytes", KernelNow,
     "bytes stranded on connections"},
    {id(LessonCounter::StrandedConnections), "stranded_connections", KernelNow,
     "connections stranded in an ET listener's backlog"},
    {id(LessonCounter::Backlog), "backlog", KernelNow, "connections waiting in the accept queue"},
    {id(LessonCounter::RecvQueue), "recv_queue", KernelNow,
     "bytes in the connections' receive queues"},
    {id(LessonCounter::Busy), "busy", StepTally, "busy diagnoses"},
    {id(LessonCounter::Blocked), "blocked", StepTally, "blocked diagnoses"},
    {id(LessonCounter::BlockedMs), "blocked_ms", StepTally, "the longest blocked call, in ms"},
    {id(LessonCounter::Overreads), "overreads", StepTally,
     "handler seed000 read past char buf[1024] (string(buf) after a full read)"},
    {id(LessonCounter::Crashes), "crashes", StepTally,
     "handler seed000 overflowed its stack (strcpy into char buf[1024])"},
    {id(LessonCounter::Exits), "exits", StepTally, "handler seed000 exited (ERR_EXIT)"},
    {id(LessonCounter::WakeupsPerS), "wakeups_per_s", StepTally,
     "wakeups per second over the step's run"},
    {id(LessonCounter::RdhupReports), "rdhup_reports", StepTally, "ready entries with EPOLLRDHUP"},
    {id(LessonCounter::HupReports), "hup_reports", StepTally, "ready entries with EPOLLHUP"},
    {id(LessonCounter::ErrReports), "err_reports", StepTally, "ready entries with EPOLLERR"},
    {id(LessonCounter::SentBytes), "sent_bytes", ClientsNow,
     "bytes the lesson's clients sent, in total"},
    {id(LessonCounter::EchoedBytes), "echoed_bytes", ClientsNow,
     "bytes echoed back to the lesson's clients, in total"},
    {id(LessonCounter::LostBytes), "lost_bytes", ClientsNow,
     "bytes the clients sent that did not come back correctly (mismatched + outstanding)"},
    {id(LessonCounter::CorruptedBytes), "corrupted_bytes", ClientsNow,
     "bytes that came back wrong (mismatched)"},
    {id(LessonCounter::ClientEof), "client_eof", ClientsNow, "clients that read end of file"},
    {id(LessonCounter::NewestEchoedBytes), "newest_echoed_bytes", ClientsNow,
     "echoed_bytes of the most recently connected client only"},
    {id(LessonCounter::NewestLostBytes), "newest_lost_bytes", ClientsNow,
     "lost_bytes of the most recently connected client only"},
    {id(LessonCounter::MeasuredStrandedBytes), "measured_stranded_bytes", StepTally,
     "bytes a traced example left stranded, as its sockets' samples measured them"},
    {id(LessonCounter::Waits), "waits", StepTally,
     "epoll_wait and poll calls (knob poller), on the engine thread and its workers"},
    {id(LessonCounter::FdsPassed), "fds_passed", StepTally,
     "descriptors handed to the kernel by the waits, summed: poll passes its whole set on every "
     "call, epoll_wait none (its interest list stays in the kernel)"},
    {id(LessonCounter::EpollCtls), "epoll_ctls", StepTally,
     "epoll_ctl calls (ADD, MOD and DEL): what epoll pays instead"},
    {id(LessonCounter::ReadyDue), "ready_due", KernelNow,
     "1 if the engine's last look at its ready list, `poll(epfd, POLLIN, 0)` (taken as the "
     "engine pauses and every 50 ms while paused, and before an epoll_wait that may strand "
     "bytes), found a wakeup due: something on the list that epoll_wait would return at once; "
     "0 if it found none, or the engine is asleep in epoll_wait; -1 if the engine made a call "
     "since (unknown). Check it with the engine paused"},
}};

// assets/traces/README.md shows this table; a test holds the two in step.
constexpr std::array<CounterInfo, kTourCounterCount> kTourCounters = {{
    {id(TourCounter::Lines), "lines", LogTally, "lines in the log"},
    {id(TourCounter::Calls), "calls", LogTally,
     "system calls that became events (epoll, sockets, reads, writes, close...)"},
    {id(TourCounter::Threads), "threads", LogTally, "threads (tids) seen"},
    {id(TourCounter::EpollInstances), "epoll_instances", LogTally,
     "distinct epoll fds waited on, registered into or created"},
    {id(TourCounter::EpollWaits), "epoll_waits", LogTally,
     "epoll_wait / epoll_pwait calls that returned (EINTR included)"},
    {id(TourCounter::Wakeups), "wakeups", LogTally,
     "epoll_wait (or poll, select) calls that returned at least one event"},
    {id(TourCounter::Timeouts), "timeouts", LogTally,
     "epoll_wait (or poll, select) calls that returned 0"},
    {id(TourCounter::ReadyEntries), "ready_entries", LogTally,
     "events reported, summed over every epoll_wait, poll and select"},
    {id(TourCounter::CtlAdds), "ctl_adds", LogTally, "EPOLL_CTL_ADD calls"},
    {id(TourCounter::CtlMods), "ctl_mods", LogTally, "EPOLL_CTL_MOD calls"},
    {id(TourCounter::CtlDels), "ctl_dels", LogTally, "EPOLL_CTL_DEL calls"},
    {id(TourCounter::EtRegistrations), "et_registrations", LogTally,
     "ADD or MOD with EPOLLET in the mask"},
    {id(TourCounter::LtRegistrations), "lt_registrations", LogTally, "ADD or MOD without EPOLLET"},
    {id(TourCounter::EpolloutRegistrations), "epollout_registrations", LogTally,
     "ADD or MOD with EPOLLOUT in the mask"},
    {id(TourCounter::Accepts), "accepts", LogTally,
     "accept / accept4 calls that returned a connection"},
    {id(TourCounter::AcceptEagains), "accept_eagains", LogTally,
     "accept / accept4 calls that failed with EAGAIN"},
    {id(TourCounter::Reads), "reads", LogTally,
     "read-like calls (read, pread64, recv*, readv, preadv, splice from a socket) on anything "
     "but files"},
    {id(TourCounter::ReadEagains), "read_eagains", LogTally,
     "read-like calls on anything but files that failed with EAGAIN"},
    {id(TourCounter::BytesRead), "bytes_read", LogTally,
     "bytes returned by read-like calls on anything but files"},
    {id(TourCounter::Writes), "writes", LogTally,
     "write-like calls (write, pwrite64, send*, writev, pwritev, sendfile, splice, tee) on "
     "anything but files"},
    {id(TourCounter::WriteEagains), "write_eagains", LogTally,
     "write-like calls on anything but files that failed with EAGAIN"},
    {id(TourCounter::PartialWrites), "partial_writes", LogTally,
     "write-like calls on anything but files that wrote fewer bytes than asked"},
    {id(TourCounter::BytesWritten), "bytes_written", LogTally,
     "bytes accepted by write-like calls on anything but files"},
    {id(TourCounter::Closes), "closes", LogTally, "close calls on anything but files"},
    {id(TourCounter::Eintr), "eintr", LogTally, "calls that failed with EINTR"},
    {id(TourCounter::InferredStranding), "inferred_stranding", LogTally,
     "possible strandings inferred (ET, last read not EAGAIN)"},
    {id(TourCounter::InferredBusy), "inferred_busy", LogTally,
     "runs of LT wakeups that did nothing, inferred"},
    {id(TourCounter::NotUnderstood), "not_understood", LogTally,
     "non-empty lines the importer could not read"},
    {id(TourCounter::Sockets), "sockets", LogTally,
     "TCP and UDP sockets: listeners and connections, never files, pipes, eventfds or UNIX "
     "sockets"},
    {id(TourCounter::InferredHerds), "inferred_herds", LogTally,
     "connections that woke several threads, all but one finding nothing to accept (inferred)"},
}};

// Rows are in id order, so an id indexes its table.
template <std::size_t N>
constexpr bool inIdOrder(const std::array<CounterInfo, N>& table) {
  for (std::size_t i = 0; i < N; ++i) {
    if (table[i].id != i) return false;
  }
  return true;
}
static_assert(inIdOrder(kLessonCounters), "kLessonCounters must follow LessonCounter's order");
static_assert(inIdOrder(kTourCounters), "kTourCounters must follow TourCounter's order");

// Levenshtein distance; names are short, so the quadratic table is cheap.
std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::span<const CounterInfo> lessonCounters() {
  return kLessonCounters;
}

std::span<const CounterInfo> tourCounters() {
  return kTourCounters;
}

const CounterInfo& counterInfo(LessonCounter counter) {
  return kLessonCounters[id(counter)];
}

const CounterInfo& counterInfo(TourCounter counter) {
  return kTourCounters[id(counter)];
}

const CounterInfo* findCounter(std::span<const CounterInfo> table, std::string_view name) {
  const auto found = std::find_if(table.begin(), table.end(),
                                  [name](const CounterInfo& info) { return info.name == name; });
  return found == table.end() ? nullptr : &*found;
}

std::optional<LessonCounter> lessonCounterFromName(std::string_view name) {
  const CounterInfo* info = findCounter(kLessonCounters, name);
  if (info == nullptr) return std::nullopt;
  return static_cast<LessonCounter>(info->id);
}

std::optional<TourCounter> tourCounterFromName(std::string_view name) {
  const CounterInfo* info = findCounter(kTourCounters, name);
  if (info == nullptr) return std::nullopt;
  return static_cast<TourCounter>(info->id);
}

std::string_view counterWhen(CounterKind kind) {
  switch (kind) {
    case CounterKind::StepTally:
      return "step";
    case CounterKind::KernelNow:
    case CounterKind::ClientsNow:
      return "now";
    case CounterKind::LogTally:
      break;
  }
  return "";
}

std::string counterText(const CounterInfo& info, Phrases say) {
  const std::string english(info.meaning);
  const char* meaning = words(say, english.c_str());
  switch (info.kind) {
    case CounterKind::StepTally:
      return phrase(say, "step: %s", meaning);
    case CounterKind::KernelNow:
    case CounterKind::ClientsNow:
      return phrase(say, "now: %s", meaning);
    case CounterKind::LogTally:
      break;
  }
  return meaning;
}

std::string_view nearestCounter(std::span<const CounterInfo> table, std::string_view name) {
  // Close enough: at most two edits, and fewer than half the name's letters.
  const std::size_t bound = std::min<std::size_t>(2, name.size() / 2);
  std::string_view best;
  std::size_t bestDistance = bound + 1;
  for (const CounterInfo& info : table) {
    const std::size_t distance = editDistance(name, info.name);
    if (distance < bestDistance) {
      best = info.name;
      bestDistance = distance;
    }
  }
  return best;
}

}  // namespace eps
