// Internal to the strace importer: turns the calls StraceJoiner completes into the TraceEvents
// the engine's recorder would have written, keeping what the log tells about each thread and
// fd on the way (lane labels from -yy decorations, epoll registrations for mapping a Ready
// entry's data back to its fd) and feeding the inference of diagnoses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/strace_import.hpp"
#include "core/strace_import_infer.hpp"
#include "core/strace_line.hpp"

namespace eps {

// Ownership: one per import, owned by StraceImporter, used by the importing thread.
// fd numbers are taken as one table for the whole log (threads share theirs); a log of
// several processes is counted in stats.processes so the summary can warn about it.
class StraceMapper {
 public:
  explicit StraceMapper(const StraceImportOptions& options);

  // Feeds one line through the joiner and maps every call it completes.
  StraceLineKind feedLine(std::string_view line);
  // End of the log: calls left unfinished are counted, inferred runs still open reported.
  void finish();
  StraceImport& result() { return result_; }

 private:
  struct FdInfo {
    std::uint32_t label = 0;
    std::string decoration;
  };

  void map(const StraceCall& call);
  void mapEpollWait(const StraceCall& call, TraceEvent& event);
  void mapEpollCtl(const StraceCall& call, TraceEvent& event);
  void mapAccept(const StraceCall& call, TraceEvent& event);
  void mapFdCall(const StraceCall& call, TraceEvent& event);
  void mapCreation(const StraceCall& call, TraceEvent& event);
  void noteClone(const StraceCall& call);
  void forgetFd(int fd);
  void emit(const TraceEvent& event);
  void emitInferred();
  std::uint8_t threadOf(int pid);
  std::int64_t timeOf(const StraceCall& call);
  std::uint32_t fdLabel(int fd, std::string_view decoration);
  std::uint32_t epollLabel(int epfd, int pid);
  std::uint32_t intern(std::string text);
  int fdOfData(int epfd, std::uint64_t data) const;

  StraceImportOptions options_;
  StraceImport result_;
  StraceJoiner joiner_;
  std::vector<StraceCall> calls_;  // reused: the calls one line completes
  ImportInference inference_;
  std::vector<TraceEvent> inferred_;  // reused: diagnoses waiting to be emitted
  std::unordered_map<std::string, std::uint32_t> labelIds_;
  std::unordered_map<std::uint64_t, std::uint32_t> epollLabels_;  // pid << 32 | epfd
  std::unordered_map<int, FdInfo> fds_;
  // epfd -> (data -> fd) as EPOLL_CTL_ADD/MOD registered it, and each fd's (epfd, data).
  std::unordered_map<int, std::unordered_map<std::uint64_t, int>> registered_;
  std::unordered_map<int, std::vector<std::pair<int, std::uint64_t>>> keysOfFd_;
  std::unordered_map<int, std::uint8_t> threadOfPid_;
  std::unordered_map<int, int> tableOfPid_;  // fd table of each pid (clone without CLONE_FILES)
  int tables_ = 1;
  std::uint64_t seq_ = 0;
  std::int64_t syntheticNs_ = 0;  // logs without timestamps: 1 us per call
};

}  // namespace eps
