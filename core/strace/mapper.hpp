// Internal to the strace importer: turns the calls StraceJoiner completes into the TraceEvents
// the engine's recorder would have written, keeping what the log tells about each thread and
// fd on the way (lane labels from -yy decorations, epoll registrations for mapping a Ready
// entry's data back to its fd) and feeding the inference of diagnoses.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/strace/fd_lanes.hpp"
#include "core/inspect/pid_sampler.hpp"
#include "core/strace/import.hpp"
#include "core/strace/infer.hpp"
#include "core/strace/joiner.hpp"
#include "core/strace/line.hpp"

namespace eps {

// Ownership: one per import, owned by StraceImporter, used by the importing thread.
// Registrations and inferences are kept per descriptor table (FdKey): a thread shares its
// creator's table unless it called unshare(CLONE_FILES), a forked process has its own. The
// events keep the plain numbers, so a log with several tables is counted in stats.processes
// and the summary warns that its lanes do not tell equal numbers apart.
class StraceMapper {
 public:
  explicit StraceMapper(const StraceImportOptions& options);

  // Feeds one line through the joiner and maps every call it completes.
  StraceLineKind feedLine(std::string_view line);
  // End of the log: calls left unfinished are counted, inferred runs still open reported.
  void finish();
  StraceImport& result() { return result_; }
  // A live trace sampled the sockets of process `pid` at `tNs` (strace's clock) while its
  // thread `tid` slept in a wait (sample_map.cpp).
  void mapSamples(int pid, int tid, std::int64_t tNs, std::span<const FdSample> samples);

 private:
  struct FdInfo {
    std::uint32_t label = 0;  // 0: none yet, or refused (beyond kImportMaxLabels)
    std::string decoration;   // as kept: at most kImportMaxLabelBytes
    bool cut = false;         // the decoration was longer
  };

  void map(const StraceCall& call);
  void mapEpollWait(const StraceCall& call, TraceEvent& event);
  void mapEpollCtl(const StraceCall& call, TraceEvent& event);
  void mapAccept(const StraceCall& call, TraceEvent& event);
  void mapFdCall(const StraceCall& call, TraceEvent& event);
  void mapDataCall(const StraceCall& call, TraceEvent& event);  // map_data.cpp
  void mapPollWait(const StraceCall& call, TraceEvent& event);  // map_waits.cpp
  std::uint32_t pollLabel(int pid, Call call);                  // map_waits.cpp
  void noteOther(const StraceCall& call);
  void mapCreation(const StraceCall& call, TraceEvent& event);
  void noteClone(const StraceCall& call);
  void noteUnshare(const StraceCall& call);
  // fd_lanes.cpp: close-on-exec flags, and the lanes a successful execve ends.
  void noteDescriptors(const StraceCall& call);
  void mapSample(std::uint8_t thread, FdKey key, std::int64_t tNs, const FdSample& sample);
  void measureStranding(std::uint8_t thread, FdKey key, const TraceEvent& sample);
  FdKey keyOf(int pid, int fd);
  void forgetFd(FdKey fd);
  void emit(const TraceEvent& event);
  void emitInferred();
  std::uint8_t threadOf(int pid);
  std::int64_t timeOf(const StraceCall& call);
  std::uint32_t fdLabel(FdKey fd, std::string_view decoration);
  std::uint32_t epollLabel(int epfd, int pid);
  std::uint32_t intern(std::string text);
  int fdOfData(FdKey epfd, std::uint64_t data) const;

  StraceImportOptions options_;
  StraceImport result_;
  StraceJoiner joiner_;
  std::vector<StraceCall> calls_;  // reused: the calls one line completes
  std::vector<std::pair<int, std::uint32_t>> readyFds_;  // reused: a poll's (fd, events)
  ImportInference inference_;
  std::vector<TraceEvent> inferred_;  // reused: diagnoses waiting to be emitted
  std::unordered_map<std::string, std::uint32_t> labelIds_;
  std::unordered_map<std::uint64_t, std::uint32_t> epollLabels_;  // pid << 32 | epfd
  std::unordered_map<std::uint64_t, std::uint32_t> pollLabels_;   // pid << 8 | call
  std::unordered_map<FdKey, FdInfo> fds_;
  // The levels of each fd's last recorded sample: a sample is recorded when they change.
  std::unordered_map<FdKey, std::array<std::int64_t, 3>> sampled_;
  // epfd -> (data -> fd number) as EPOLL_CTL_ADD/MOD registered it, and each fd's (epfd, data).
  std::unordered_map<FdKey, std::unordered_map<std::uint64_t, int>> registered_;
  std::unordered_map<FdKey, std::vector<std::pair<FdKey, std::uint64_t>>> keysOfFd_;
  std::unordered_map<int, std::uint8_t> threadOfPid_;
  int lastPid_ = -1;  // threadOf's last answer: a log's lines come in runs of one tid
  std::uint8_t lastThread_ = 0;
  // fd table of each pid: a clone without CLONE_FILES, or unshare(CLONE_FILES), makes a new one
  std::unordered_map<int, int> tableOfPid_;
  int tables_ = 1;
  CloseOnExecTable closeOnExec_;
  std::uint64_t seq_ = 0;
  std::int64_t syntheticNs_ = 0;  // logs without timestamps: 1 us per call
};

}  // namespace eps
