// Saving a session: check everything first (a file that would not read back is never
// written), then stream the magic, the header, the events in sequence order and the trailer.
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "core/base/output_file.hpp"
#include "core/formats/session_checksum.hpp"
#include "core/formats/session_event.hpp"
#include "core/formats/session_file.hpp"
#include "core/formats/session_header.hpp"

namespace eps {
namespace {

constexpr std::size_t kFlushBytes = std::size_t{1} << 16;

std::string utcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string hostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

// The events in sequence order: pointers into `events`, sorted only when they are not already
// (a recorder's batches may hand over a late event after a newer one).
std::vector<const TraceEvent*> inSeqOrder(const std::vector<TraceEvent>& events) {
  std::vector<const TraceEvent*> order;
  order.reserve(events.size());
  for (const TraceEvent& event : events) order.push_back(&event);
  const auto bySeq = [](const TraceEvent* x, const TraceEvent* y) { return x->seq < y->seq; };
  if (!std::is_sorted(order.begin(), order.end(), bySeq)) {
    std::stable_sort(order.begin(), order.end(), bySeq);
  }
  return order;
}

// Applies the reader's checks to every event; throws with the first problem.
void checkEvents(const SessionData& data, const std::vector<const TraceEvent*>& order,
                 const std::string& name) {
  const session::EventContext context(data.writers, data.laneLabels.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const TraceEvent& event = *order[i];
    std::string problem = context.check(event);
    if (problem.empty() && i > 0 && event.seq <= order[i - 1]->seq) {
      problem = "seq " + std::to_string(event.seq) + " repeats";
    }
    if (!problem.empty()) {
      throw SessionFileError("cannot save " + name + ": event seq " + std::to_string(event.seq) +
                             ": " + problem);
    }
  }
}

}  // namespace

void writeSession(std::ostream& out, const SessionData& data, const std::string& name) {
  try {
    session::checkHeaderData(data);
  } catch (const session::HeaderProblem& problem) {
    throw SessionFileError("cannot save " + name + ": " + problem.what());
  }
  const std::vector<const TraceEvent*> order = inSeqOrder(data.events);
  checkEvents(data, order, name);

  session::LineChecksum checksum;
  std::string buffer;
  const auto addLine = [&](std::string_view line) {
    checksum.add(line);
    buffer.append(line);
    buffer += '\n';
  };
  addLine(std::string(kSessionMagic) + " " + std::to_string(kSessionFormat));
  addLine(session::headerLine(data, order.size(), utcNow(), hostName()));
  buffer.reserve(buffer.size() + kFlushBytes + 512);
  for (const TraceEvent* event : order) {
    const std::size_t start = buffer.size();
    session::appendEventLine(buffer, *event);
    checksum.add(std::string_view(buffer).substr(start, buffer.size() - start - 1));
    if (buffer.size() >= kFlushBytes) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  buffer += session::trailerLine(order.size(), checksum.value());
  buffer += '\n';
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

void saveSessionFile(const std::string& path, const SessionData& data) {
  const std::string problem =
      writeOutputFile(path, [&](std::ostream& out) { writeSession(out, data, path); });
  if (!problem.empty()) throw SessionFileError("cannot save " + path + ": " + problem);
}

std::optional<Knobs> sessionKnobs(const SessionData& data) {
  if (data.knobs.empty()) return std::nullopt;
  std::string error;
  Knobs knobs = session::parseKnobsText(data.knobs, error);
  if (!error.empty()) return std::nullopt;
  return knobs;
}

TraceMeta sessionTraceMeta(const SessionData& data) {
  TraceMeta meta;
  meta.writers = data.writers;
  meta.dropped = data.dropped;
  meta.knobs = data.knobs;
  meta.port = data.port;
  meta.pid = data.pid;
  meta.source = data.source;
  meta.laneLabels = data.laneLabels.empty() ? nullptr : &data.laneLabels;
  return meta;
}

std::size_t sessionCallCount(const SessionData& data) {
  return static_cast<std::size_t>(
      std::count_if(data.events.begin(), data.events.end(),
                    [](const TraceEvent& event) { return event.kind == EventKind::Call; }));
}

std::size_t sessionThreadCount(const SessionData& data) {
  std::vector<int> tids;
  for (const Recorder::WriterInfo& writer : data.writers) {
    if (writer.tid != 0) tids.push_back(writer.tid);
  }
  std::sort(tids.begin(), tids.end());
  return static_cast<std::size_t>(std::unique(tids.begin(), tids.end()) - tids.begin());
}

}  // namespace eps
