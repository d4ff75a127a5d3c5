#include "core/strace/mapper.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>

#include "core/base/input_limits.hpp"
#include "core/base/names.hpp"
#include "core/strace/parse.hpp"
#include "core/trace/fd_kinds.hpp"

namespace eps {
namespace {

struct Mapping {
  Call call;
  CallVariant variant;
};

// The calls the trace has a record for, by strace's name. Everything else is "other".
const Mapping* mappingOf(std::string_view name) {
  static const std::unordered_map<std::string_view, Mapping> table = {
      {"epoll_wait", {Call::EpollWait, CallVariant::Same}},
      {"epoll_pwait", {Call::EpollWait, CallVariant::EpollPwait}},
      {"epoll_pwait2", {Call::EpollWait, CallVariant::EpollPwait2}},
      {"epoll_ctl", {Call::EpollCtl, CallVariant::Same}},
      {"epoll_create", {Call::EpollCreate1, CallVariant::EpollCreate}},
      {"epoll_create1", {Call::EpollCreate1, CallVariant::Same}},
      {"accept", {Call::Accept4, CallVariant::Accept}},
      {"accept4", {Call::Accept4, CallVariant::Same}},
      {"read", {Call::Read, CallVariant::Same}},
      {"recvfrom", {Call::Read, CallVariant::Recvfrom}},
      {"recvmsg", {Call::Read, CallVariant::Recvmsg}},
      {"readv", {Call::Read, CallVariant::Readv}},
      {"write", {Call::Write, CallVariant::Same}},
      {"sendto", {Call::Write, CallVariant::Sendto}},
      {"sendmsg", {Call::Write, CallVariant::Sendmsg}},
      {"writev", {Call::Write, CallVariant::Writev}},
      {"sendfile", {Call::Write, CallVariant::Sendfile}},
      {"sendfile64", {Call::Write, CallVariant::Sendfile}},
      {"pread64", {Call::Read, CallVariant::Pread64}},
      {"preadv", {Call::Read, CallVariant::Preadv}},
      {"recv", {Call::Read, CallVariant::Recv}},
      {"recvmmsg", {Call::Read, CallVariant::Recvmmsg}},
      {"pwrite64", {Call::Write, CallVariant::Pwrite64}},
      {"pwritev", {Call::Write, CallVariant::Pwritev}},
      {"send", {Call::Write, CallVariant::Send}},
      {"sendmmsg", {Call::Write, CallVariant::Sendmmsg}},
      {"splice", {Call::Write, CallVariant::Splice}},  // or a Read: see map_data.cpp
      {"tee", {Call::Write, CallVariant::Tee}},
      {"copy_file_range", {Call::Write, CallVariant::CopyFileRange}},
      {"poll", {Call::Poll, CallVariant::Same}},
      {"ppoll", {Call::Ppoll, CallVariant::Same}},
      {"select", {Call::Select, CallVariant::Same}},
      {"pselect6", {Call::Pselect6, CallVariant::Same}},
      {"close", {Call::Close, CallVariant::Same}},
      {"socket", {Call::Socket, CallVariant::Same}},
      {"bind", {Call::Bind, CallVariant::Same}},
      {"listen", {Call::Listen, CallVariant::Same}},
      {"shutdown", {Call::Shutdown, CallVariant::Same}},
  };
  const auto found = table.find(name);
  return found == table.end() ? nullptr : &found->second;
}

std::string_view arg(const StraceCall& call, std::size_t index) {
  return index < call.args.size() ? std::string_view(call.args[index]) : std::string_view();
}

// A decoration cut to kImportMaxLabelBytes, at a character boundary (a path may be UTF-8).
std::string_view cutLabel(std::string_view decoration) {
  if (decoration.size() <= kImportMaxLabelBytes) return decoration;
  std::size_t end = kImportMaxLabelBytes;
  while (end > 0 && (static_cast<unsigned char>(decoration[end]) & 0xC0U) == 0x80U) --end;
  return decoration.substr(0, end);
}

}  // namespace

StraceMapper::StraceMapper(const StraceImportOptions& options)
    : options_(options), inference_(options.busyRunMin) {
  result_.labels.emplace_back();  // label 0: none
}

StraceLineKind StraceMapper::feedLine(std::string_view line) {
  calls_.clear();
  const StraceLineKind kind = joiner_.feed(line, calls_);
  if (kind == StraceLineKind::Signal) ++result_.stats.signals;
  if (kind == StraceLineKind::Exit) ++result_.stats.exits;
  // A thread that only got signals or exited is still one of the log's threads.
  if ((kind == StraceLineKind::Signal || kind == StraceLineKind::Exit) &&
      joiner_.lastLine().pid > 0) {
    threadOf(joiner_.lastLine().pid);
  }
  for (const StraceCall& call : calls_) map(call);
  if (!calls_.empty()) joiner_.recycle(std::move(calls_.back()));
  return kind;
}

void StraceMapper::finish() {
  calls_.clear();
  joiner_.finish(calls_);
  for (const StraceCall& call : calls_) map(call);
  inference_.finish(inferred_, result_.stats);
  emitInferred();
  result_.stats.midnightWraps = joiner_.midnightWraps();
  result_.stats.processes = static_cast<std::uint64_t>(tables_);
}

void StraceMapper::map(const StraceCall& call) {
  StraceImportStats& stats = result_.stats;
  ++stats.syscalls;
  const std::uint8_t thread = threadOf(call.pid);  // every tid of the log, whatever it called
  if (call.name == "clone" || call.name == "clone3" || call.name == "fork" ||
      call.name == "vfork") {
    noteClone(call);
  }
  if (call.name == "unshare") noteUnshare(call);
  noteDescriptors(call);
  const Mapping* mapping = mappingOf(call.name);
  if (mapping == nullptr) {
    noteOther(call);
    return;
  }
  if (!call.ret) {  // "= ?": interrupted for good, or the log ended first
    ++stats.unfinished;
    return;
  }
  TraceEvent event;
  event.kind = EventKind::Call;
  event.call = mapping->call;
  event.op = static_cast<std::uint8_t>(mapping->variant);
  event.flags = kEventImported;
  event.thread = thread;
  event.tNs = timeOf(call);
  event.durNs = std::max<std::int64_t>(call.durNs, 0);
  event.ret = *call.ret;
  event.err = event.ret < 0 ? call.err : 0;
  switch (mapping->call) {
    case Call::EpollWait:
      mapEpollWait(call, event);
      return;
    case Call::EpollCtl:
      mapEpollCtl(call, event);
      return;
    case Call::Accept4:
      mapAccept(call, event);
      return;
    case Call::EpollCreate1:
    case Call::Socket:
      mapCreation(call, event);
      return;
    case Call::Read:
    case Call::Write:
      mapDataCall(call, event);
      return;
    case Call::Poll:
    case Call::Ppoll:
    case Call::Select:
    case Call::Pselect6:
      mapPollWait(call, event);
      return;
    default:
      mapFdCall(call, event);
      return;
  }
}

void StraceMapper::mapEpollWait(const StraceCall& call, TraceEvent& event) {
  event.fd = leadingFd(arg(call, 0));
  event.a = parseInteger(arg(call, 2)).value_or(0);
  event.b = event.op == static_cast<std::uint8_t>(CallVariant::EpollPwait2)
                ? timespecMillis(arg(call, 3))
                : parseInteger(arg(call, 3)).value_or(-1);
  event.conn = epollLabel(event.fd, call.pid);
  inference_.beforeWait(event.thread, event.tNs, inferred_, result_.stats);
  emitInferred();
  emit(event);
  bool levelTriggered = false;
  if (event.ret > 0) {
    std::int64_t index = 0;
    forEachEpollEvent(arg(call, 1), [&](std::uint32_t mask, std::uint64_t data) {
      TraceEvent ready;
      ready.kind = EventKind::Ready;
      ready.flags = kEventImported;
      ready.thread = event.thread;
      ready.tNs = event.tNs + event.durNs;  // the recorder stamps them as the wait returns
      ready.fd = fdOfData(keyOf(call.pid, event.fd), data);
      ready.events = mask;
      ready.a = index++;
      const FdKey key = keyOf(call.pid, ready.fd);
      ready.conn = fdLabel(key, {});
      levelTriggered = levelTriggered || !inference_.edgeTriggered(key);
      emit(ready);
    });
  }
  inference_.afterWait(event.thread, event.tNs, event.ret, levelTriggered, inferred_,
                       result_.stats);
  emitInferred();
}

void StraceMapper::mapEpollCtl(const StraceCall& call, TraceEvent& event) {
  const int epfdNumber = leadingFd(arg(call, 0));
  const FdKey epfd = keyOf(call.pid, epfdNumber);
  const int op = epollOpFromName(arg(call, 1)).value_or(0);
  event.fd = leadingFd(arg(call, 2));
  event.a = epfdNumber;
  event.op = static_cast<std::uint8_t>(op);
  const FdKey fd = keyOf(call.pid, event.fd);
  event.conn = fdLabel(fd, fdDecoration(arg(call, 2)));
  std::uint64_t data = static_cast<std::uint64_t>(std::max(event.fd, 0));
  if (op != EPOLL_CTL_DEL) parseEpollEvent(arg(call, 3), event.events, data);
  emit(event);
  if (event.ret != 0 || event.fd < 0) return;
  if (op == EPOLL_CTL_DEL) {
    auto& keys = keysOfFd_[fd];
    std::erase_if(keys, [&](const auto& key) {
      if (key.first != epfd) return false;
      registered_[key.first].erase(key.second);
      return true;
    });
    inference_.onForget(fd);
    return;
  }
  registered_[epfd][data] = event.fd;
  keysOfFd_[fd].emplace_back(epfd, data);
  inference_.onRegister(fd, event.events);
}

void StraceMapper::mapAccept(const StraceCall& call, TraceEvent& event) {
  event.fd = leadingFd(arg(call, 0));
  event.conn = fdLabel(keyOf(call.pid, event.fd), fdDecoration(arg(call, 0)));
  if (event.op == static_cast<std::uint8_t>(CallVariant::Same)) {
    event.b = socketFlags(arg(call, 3));
  }
  if (event.ret >= 0) {
    const FdKey fd = keyOf(call.pid, static_cast<int>(event.ret));
    forgetFd(fd);  // a new socket: whatever the number meant before is gone
    int port = peerPort(call.retDecoration);
    if (port == 0) port = sinPort(arg(call, 1));
    event.a = port;
    event.c = fdLabel(fd, call.retDecoration);
  }
  emit(event);
  const FdKey listener = keyOf(call.pid, event.fd);
  inference_.onInput(event.thread, listener, event.conn, event.ret, true);
  inference_.onAccept(event.thread, listener, event.conn, event.tNs, event.ret, event.err,
                      inferred_, result_.stats);
  emitInferred();
}

// socket, epoll_create, epoll_create1: the call takes no fd and returns a new one.
void StraceMapper::mapCreation(const StraceCall& call, TraceEvent& event) {
  if (event.ret >= 0) {
    const int fd = static_cast<int>(event.ret);
    forgetFd(keyOf(call.pid, fd));
    event.conn = event.call == Call::EpollCreate1
                     ? epollLabel(fd, call.pid)
                     : fdLabel(keyOf(call.pid, fd), call.retDecoration);
  }
  emit(event);
}

// close, bind, listen, shutdown: the first argument is the fd.
void StraceMapper::mapFdCall(const StraceCall& call, TraceEvent& event) {
  event.fd = leadingFd(arg(call, 0));
  event.conn = fdLabel(keyOf(call.pid, event.fd), fdDecoration(arg(call, 0)));
  switch (event.call) {
    case Call::Bind:
      event.a = sinPort(arg(call, 1));
      break;
    case Call::Listen:
      event.a = parseInteger(arg(call, 1)).value_or(0);
      break;
    case Call::Shutdown:
      event.b = shutdownHow(arg(call, 1));
      break;
    default:
      break;
  }
  emit(event);
  if (event.call == Call::Close && event.fd >= 0) {
    forgetFd(keyOf(call.pid, event.fd));  // close(2) frees the number whatever it returned
  }
}

// A call the trace has no record for is counted by name, so the summary can say what else
// the program did (timerfd_settime, futex, ...); io_uring is named: its I/O never shows here.
void StraceMapper::noteOther(const StraceCall& call) {
  StraceImportStats& stats = result_.stats;
  ++stats.otherCalls;
  if (call.name.starts_with("io_uring_")) stats.usesIoUring = true;
  auto found = stats.otherByName.find(call.name);
  if (found == stats.otherByName.end()) {
    // Bounded: a damaged log may invent names without end.
    const bool room = stats.otherByName.size() < kImportMaxOtherNames;
    found = stats.otherByName.try_emplace(room ? call.name : std::string(kOtherNamesRest)).first;
  }
  ++found->second.count;
  if (call.ret && *call.ret < 0) ++found->second.failed;
}

void StraceMapper::noteClone(const StraceCall& call) {
  if (!call.ret || *call.ret <= 0) return;
  const int child = static_cast<int>(*call.ret);
  // A thread (or clone(CLONE_FILES)) shares its parent's fd table; fork gets its own.
  const bool shared = call.argsText.find("CLONE_FILES") != std::string::npos;
  const auto parent = tableOfPid_.try_emplace(call.pid, 0).first->second;
  tableOfPid_[child] = shared ? parent : tables_++;
}

// unshare(CLONE_FILES): from here on the thread has a copy of its table, its own. What it
// registered before stays with the old table; the copy's numbers start afresh here.
void StraceMapper::noteUnshare(const StraceCall& call) {
  if (!call.ret || *call.ret != 0 || call.argsText.find("CLONE_FILES") == std::string::npos) return;
  tableOfPid_[call.pid] = tables_++;
}

FdKey StraceMapper::keyOf(int pid, int fd) {
  return fdKey(tableOfPid_.try_emplace(pid, 0).first->second, fd);
}

void StraceMapper::forgetFd(FdKey fd) {
  if (fd < 0) return;
  fds_.erase(fd);
  sampled_.erase(fd);
  const auto keys = keysOfFd_.find(fd);
  if (keys != keysOfFd_.end()) {
    for (const auto& [epfd, data] : keys->second) {
      auto& byData = registered_[epfd];
      const auto found = byData.find(data);
      if (found != byData.end() && found->second == fd) byData.erase(found);
    }
    keysOfFd_.erase(keys);
  }
  inference_.onForget(fd);
}

void StraceMapper::emit(const TraceEvent& event) {
  if (result_.events.size() >= options_.maxEvents) {
    ++result_.stats.droppedEvents;
    return;
  }
  result_.events.push_back(event);
  result_.events.back().seq = ++seq_;  // the recorder's global order: recording order
  if (event.kind == EventKind::Call) ++result_.stats.callsImported;
  if (event.kind == EventKind::Ready) ++result_.stats.readyImported;
}

void StraceMapper::emitInferred() {
  for (const TraceEvent& event : inferred_) emit(event);
  inferred_.clear();
}

std::uint8_t StraceMapper::threadOf(int pid) {
  if (pid == lastPid_) return lastThread_;
  const auto found = threadOfPid_.find(pid);
  if (found != threadOfPid_.end()) {
    lastPid_ = pid;
    lastThread_ = found->second;
    return found->second;
  }
  // The lane key is one byte: threads past the 255th share the last index.
  const auto index = static_cast<std::uint8_t>(std::min<std::size_t>(threadOfPid_.size(), 255));
  threadOfPid_.emplace(pid, index);
  if (index == result_.threads.size()) {
    result_.threads.push_back({"tid " + std::to_string(pid), Actor::Engine, index, pid});
  }
  return index;
}

std::int64_t StraceMapper::timeOf(const StraceCall& call) {
  if (call.tsNs >= 0) return call.tsNs;
  result_.stats.timestamps = false;
  syntheticNs_ += 1000;
  return syntheticNs_;
}

std::uint32_t StraceMapper::fdLabel(FdKey fd, std::string_view decoration) {
  if (fd < 0) return 0;
  // Epoll instances are named by the lanes of their waits (epollLabel), not as fds.
  if (decoration == "anon_inode:[eventpoll]") return 0;
  FdInfo* found = &fds_[fd];
  if (decoration.empty()) return found->label;
  const std::string_view kept = cutLabel(decoration);
  // The same decoration again: the label it got, or 0 when it was one too many.
  if (found->decoration == kept && (kept.size() < decoration.size()) == found->cut) {
    return found->label;
  }
  // Another descriptor on this number, its close not in the log: forget the old one's
  // registrations (the lanes end it too, LaneTracker).
  if (!found->decoration.empty() && !sameDescriptor(found->decoration, kept)) {
    forgetFd(fd);
    found = &fds_[fd];
  }
  FdInfo& info = *found;
  info.decoration.assign(kept);
  info.cut = kept.size() < decoration.size();
  info.label =
      intern("fd " + std::to_string(fdOfKey(fd)) + " " + info.decoration + (info.cut ? "..." : ""));
  return info.label;
}

std::uint32_t StraceMapper::epollLabel(int epfd, int pid) {
  if (epfd < 0) return 0;
  const std::uint64_t key =
      (std::uint64_t{static_cast<std::uint32_t>(pid)} << 32) | static_cast<std::uint32_t>(epfd);
  auto [it, inserted] = epollLabels_.try_emplace(key, 0);
  if (inserted) {
    it->second =
        intern("epoll_wait epfd " + std::to_string(epfd) + " (tid " + std::to_string(pid) + ")");
  }
  return it->second;
}

// Bounded: a log may name millions of distinct files and sockets, and the labels are kept for
// the whole import (and saved in a session's header). Past kImportMaxLabels, lanes keep their
// generic names and stats.labelsDropped counts the labels refused.
std::uint32_t StraceMapper::intern(std::string text) {
  const auto found = labelIds_.find(text);
  if (found != labelIds_.end()) return found->second;
  if (result_.labels.size() > kImportMaxLabels) {  // [0] is the empty label
    ++result_.stats.labelsDropped;
    return 0;
  }
  const auto id = static_cast<std::uint32_t>(result_.labels.size());
  result_.labels.push_back(text);
  labelIds_.emplace(std::move(text), id);
  return id;
}

// The fd a Ready entry stands for: the one registered with that data on this epoll instance;
// failing that, programs that store the fd itself (most do) are taken at their word.
int StraceMapper::fdOfData(FdKey epfd, std::uint64_t data) const {
  const auto byEpfd = registered_.find(epfd);
  if (byEpfd != registered_.end()) {
    const auto found = byEpfd->second.find(data);
    if (found != byEpfd->second.end()) return found->second;
  }
  return data < (std::uint64_t{1} << 20) ? static_cast<int>(data) : -1;
}

}  // namespace eps
