#include "app/cli/session_command.hpp"

#include <iostream>

#include "app/cli/outputs.hpp"
#include "core/base/names.hpp"
#include "core/base/terminal_text.hpp"
#include "core/formats/session_file.hpp"

namespace eps::app {
namespace {

void printClient(const ClientStats& c) {
  std::cout << "  client " << c.id << ": sent " << c.sent << ", echoed " << c.echoed
            << ", outstanding " << c.outstanding() << ", mismatched " << c.mismatched
            << ", pending " << c.pending;
  if (c.urgentSent > 0) std::cout << ", urgent " << c.urgentSent;
  std::cout << (c.closed ? ", closed" : c.connected ? ", connected" : ", not connected");
  if (c.eof) std::cout << ", eof";
  if (c.resetByPeer) std::cout << ", reset by peer";
  if (c.lastErr != 0) std::cout << ", last error " << errnoName(c.lastErr);
  std::cout << "\n";
}

void printSummary(const std::string& path, const SessionData& s) {
  // Every text below comes from the file, which may come from anyone.
  std::cout << "opened session " << terminalText(path) << ": " << s.events.size() << " events, "
            << sessionCallCount(s) << " calls, " << sessionThreadCount(s) << " threads"
            << std::endl;
  std::cout << "source: " << terminalText(s.source) << "\n";
  std::cout << "saved: " << (s.savedAt.empty() ? "?" : terminalText(s.savedAt)) << " on "
            << (s.host.empty() ? "?" : terminalText(s.host)) << " (pid " << s.pid << ", port "
            << s.port << ")\n";
  std::cout << "knobs: " << (s.knobs.empty() ? "(none: not an engine run)" : terminalText(s.knobs))
            << "\n";
  if (s.lesson.file.empty()) {
    std::cout << "lesson: none\n";
  } else {
    std::cout << "lesson: " << terminalText(s.lesson.file) << " \"" << terminalText(s.lesson.title)
              << "\", step " << s.lesson.step << " of " << s.lesson.steps << "\n";
  }
  std::cout << "clients: " << s.clients.size() << "\n";
  for (const ClientStats& client : s.clients) printClient(client);
  if (!s.laneLabels.empty()) std::cout << "lane labels: " << s.laneLabels.size() << "\n";
  if (s.dropped > 0) std::cout << "dropped events: " << s.dropped << "\n";
}

}  // namespace

int runOpenSession(const Options& options) {
  SessionData session;
  try {
    session = readSession(options.openLog);
  } catch (const SessionFileError& error) {
    std::cerr << "epollscope: " << terminalText(error.what()) << "\n";
    return 2;
  }
  printSummary(options.openLog, session);
  return writeSessionOutputs(options, session) ? 0 : 2;
}

}  // namespace eps::app
