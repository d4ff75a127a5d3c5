#include "app/cli/run_outputs.hpp"

#include <iostream>
#include <span>

#include "app/cli/outputs.hpp"
#include "core/formats/export.hpp"

namespace eps::app {
namespace {

// Writes --trace-out and --csv-out (those given); false, with a line on stderr, if one fails.
bool writeExports(const Options& options, std::span<const TraceEvent> events,
                  const TraceMeta& meta) {
  bool ok = true;
  const auto write = [&](const char* flag, const std::string& path, auto&& writer) {
    if (path.empty()) return;
    if (std::string error = writeFlagOutput(flag, path, writer); !error.empty()) {
      std::cerr << "epollscope: " << error << "\n";
      ok = false;
    }
  };
  write("--trace-out", options.traceOut,
        [&](std::ostream& out) { writeChromeTrace(out, events, meta); });
  write("--csv-out", options.csvOut, [&](std::ostream& out) { writeCallsCsv(out, events, meta); });
  return ok;
}

}  // namespace

bool writeSessionOutputs(const Options& options, const SessionData& session,
                         const PayloadStore* payloads) {
  TraceMeta meta = sessionTraceMeta(session);
  PayloadStore saved;  // a reopened session's reads, for the exports' "data"
  if (payloads == nullptr && !session.payloads.empty()) {
    for (const auto& [seq, bytes] : session.payloads) saved.keep(seq, bytes);
    payloads = &saved;
  }
  meta.payloads = payloads;
  bool ok = writeExports(options, session.events, meta);
  if (options.saveSession.empty()) return ok;
  try {
    saveSessionFile(options.saveSession, session);
  } catch (const SessionFileError& error) {
    std::cerr << "epollscope: " << error.what() << "\n";
    ok = false;
  }
  return ok;
}

}  // namespace eps::app
