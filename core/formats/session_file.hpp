// Session files: the whole of what the instrument showed — the trace, the knobs, where a
// lesson stood, the built-in clients' counters — saved to one text file that opens later on
// another machine. Shared by the headless CLI (--save-session, --open) and the window.
//
// FORMAT (version 1). UTF-8 text, one record per line, '\n' line ends (a '\r' before it is
// ignored). Written and read as a stream: no part of the file needs to be held in memory
// beyond the event it is on.
//
//   line 1    epollscope-session 1
//             The magic and the format version. A reader refuses any version it does not
//             know, naming both ("saved by a newer epollscope (format 2; this one reads 1)").
//   line 2    one JSON object, the header (the only JSON in the file; at most
//             kSessionHeaderMaxBytes, 16 MiB, and nested at most 16 deep):
//               "format": 1, "events": N (how many event lines follow),
//               "fields": "seq t_ns dur_ns kind call actor thread flags fd ret errno events
//                          conn op a b c" (the event line's columns, checked on read),
//               "source": "engine" | "lesson FILE" | "strace log FILE",
//               "knobs": describeKnobs() text ("listen-trigger=lt conn-trigger=et ..."; empty
//                        for an import), every name=value parsed back on read,
//               "port", "pid", "dropped" (events lost before saving),
//               "savedAt" (UTC, ISO 8601), "host" — informational,
//               "writers": [{"name","actor","thread","tid"}] (the trace's producers),
//               "laneLabels": [strings] (imports: the lane names of imported events' conn),
//               "lesson": null | {"file","title","step" (steps played),"steps"},
//               "clients": [{"id","fd","localPort","connected","reading","writeShut",
//                            "closed","eof","resetByPeer","lastErr","sent","queued","echoed",
//                            "mismatched","pending","urgentSent"}],
//               "payloads": [[seq, "hex bytes"], ...] (optional: the first bytes of the
//                            engine's reads, by the read event's seq; at most 256 bytes each)
//   lines 3.. one event per line, N lines, 17 fields separated by one space, in the order of
//             "fields": seq t_ns dur_ns kind call actor thread flags fd ret errno events conn
//             op a b c. Every field is a decimal integer except three names:
//               kind   eventKindName() ("call", "ready", "sample", "stranded", ...)
//               call   callName()      ("none", "epoll_wait", "accept4", ...)
//               actor  "engine" | "clients" | "control"
//             Names, not enum values, so reordering an enum cannot silently change a file's
//             meaning; an unknown name is an error. `op` stays a number: its meaning depends
//             on the kind (EPOLL_CTL_*, KnobId, ClientOp, ...; see trace_event.hpp) and it is
//             range-checked per kind. Events are in sequence order (seq strictly grows).
//   last      end N CHECKSUM
//             N again (a file cut short is told apart from a complete one) and 16 hex digits:
//             a 64-bit checksum of every line before this one (session_checksum.hpp), so a
//             change that leaves every field in range is still caught. A file edited by hand
//             may end with "end N" alone: the checksum is then not checked.
//
// Every field is range-checked on read (fd >= -1, errno 0..4095, known flag bits, thread
// among the writers, an imported event's conn among laneLabels, ...). Any problem — bad
// magic, unknown version, a damaged header, a bad field, missing events or trailer, a
// checksum that does not match, text after the trailer — throws SessionFileError "FILE:LINE:
// problem" (a field adds which one); nothing is returned half-read. writeSession applies the same
// checks first, so a file it writes always reads back.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/base/knobs.hpp"
#include "core/base/trace_event.hpp"
#include "core/clients/driver.hpp"
#include "core/formats/export.hpp"
#include "core/trace/recorder.hpp"

namespace eps {

inline constexpr int kSessionFormat = 1;
inline constexpr const char* kSessionMagic = "epollscope-session";

// Everything a saved session holds. A plain value: build it, save it, read it back.
struct SessionData {
  std::vector<TraceEvent> events;             // in sequence order (writeSession orders them)
  std::vector<Recorder::WriterInfo> writers;  // the trace's producers: names and tids
  std::vector<std::string> laneLabels;        // imports: lane names (TraceMeta::laneLabels)
  std::string knobs;                          // describeKnobs() text; empty for an import
  int port = 0;
  int pid = 0;
  std::uint64_t dropped = 0;  // events lost before saving
  std::string source;         // "engine", "lesson FILE", "strace log FILE"
  struct LessonPosition {
    std::string file;  // empty: the session played no lesson
    std::string title;
    int step = 0;   // steps played (the last one played is step `step`, 1-based)
    int steps = 0;  // steps in the lesson
    bool operator==(const LessonPosition&) const = default;
  } lesson;
  std::vector<ClientStats> clients;  // the built-in clients' counters when saved
  // The bytes kept of the engine's reads (PayloadStore::entries()): the read event's seq and
  // up to PayloadStore::kKeptPerRead bytes, so typed text survives the round trip.
  std::vector<std::pair<std::uint64_t, std::string>> payloads;
  std::string savedAt;  // informational: UTC time of saving (writeSession fills
  std::string host;     // it in when empty) and the host name
};

// A file that cannot be read as a session, or data that cannot be saved as one. The message
// is one line: "FILE:LINE: problem" (reading), "cannot save FILE: problem" (writing).
class SessionFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Streams `data` in the format above. Throws SessionFileError, before writing anything, when
// the data would not read back (an event out of range, a duplicated seq, a knob text that
// does not parse); `name` is the file named in that error. Stream failures are the caller's
// to check (out.fail()).
void writeSession(std::ostream& out, const SessionData& data, const std::string& name = "session");

// Writes `path` whole or not at all, through writeOutputFile (output_file.hpp: a symlink, a
// device or anything else but a regular file is refused). Throws SessionFileError ("cannot
// save PATH: reason").
void saveSessionFile(const std::string& path, const SessionData& data);

// Reads a session file. Throws SessionFileError "PATH:LINE: problem" (or "cannot open PATH:
// reason", "PATH: empty file"); never returns a partly read session.
SessionData readSession(const std::string& path);
// The same from a stream; `name` stands for the file in error messages.
SessionData readSession(std::istream& in, const std::string& name);

// True when the file's first line begins with the magic (any version: a newer file is still
// a session, and readSession explains why it cannot be read). False for anything else,
// including a file that cannot be opened.
bool looksLikeSession(const std::string& path);

// The knobs the session's `knobs` text names (defaults for knobs it does not name); nullopt
// when the text is empty (an import) or does not parse (readSession never returns such).
std::optional<Knobs> sessionKnobs(const SessionData& data);

// The export metadata of a session: writeChromeTrace/writeCallsCsv of a read-back session
// write the same bytes as for the data that was saved. Points into `data` (laneLabels).
TraceMeta sessionTraceMeta(const SessionData& data);

// Summary counts: events that are calls; kernel threads that made the trace (the writers'
// distinct tids: an import's traced threads, the engine's and the clients' threads).
std::size_t sessionCallCount(const SessionData& data);
std::size_t sessionThreadCount(const SessionData& data);

}  // namespace eps
