// The window's three modes, one type each, held by the Workspace one at a time: free play
// (LiveMode), a lesson (LessonMode) and a file (FileMode). The two with an engine on this
// machine hand the panels the same Controls; a file has none, so code that drives an engine
// can reach one only through a mode that has it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/gui/state/lesson_player.hpp"
#include "app/gui/state/live_source.hpp"
#include "app/gui/state/viewed_trace.hpp"
#include "core/clients/driver.hpp"
#include "core/engine/engine.hpp"
#include "core/trace/recorder.hpp"

namespace eps::gui {

// What the panels drive: an engine and its built-in clients, and which peer port is which
// client. Ownership: a member of a LiveMode or a LessonMode, used on the UI thread only. The
// engine and the clients are shared with whoever made them (the mode, or a lesson's runner),
// run their own threads and are reached through their thread-safe methods.
class Controls {
 public:
  Controls(std::shared_ptr<Engine> engine, std::shared_ptr<ClientDriver> clients);

  Engine& engine() const { return *engine_; }
  ClientDriver& clients() const { return *clients_; }
  // A lesson replay's fresh engine and clients; a null one (the replay is still setting up)
  // keeps the current.
  void replace(std::shared_ptr<Engine> engine, std::shared_ptr<ClientDriver> clients);

  // Once per pump, not per drawn row: allStats() copies every client under the driver's lock.
  void refreshClientPorts();
  // The built-in client (open at the last refresh) whose local port is `peerPort`; nullopt: an
  // external peer (nc, telnet, a script).
  std::optional<int> builtInClientOf(int peerPort) const;
  // "client 2 :43210" or "external :43210".
  std::string peerName(int peerPort) const;

 private:
  // The clients go before the engine they talk to (members are destroyed in reverse).
  std::shared_ptr<Engine> engine_;
  std::shared_ptr<ClientDriver> clients_;
  std::unordered_map<int, int> clientByPort_;  // open built-in clients: local port -> id
};

// Free play: an engine the user drives, the recorder of its trace, its built-in clients.
// Ownership: held by the Workspace; UI thread only. The engine and clients record into the
// recorder, so it is declared first and destroyed last. Moved into place, never assigned: an
// assignment would free the recorder before the threads that write to it.
class LiveMode {
 public:
  // An engine started on options.port (0: any free port) and its clients. When the engine
  // cannot start, `error` says why and the mode holds it stopped (the toolbar says "stopped";
  // a reset tries again); else `error` is cleared.
  static LiveMode start(const EngineOptions& options, std::string& error);
  LiveMode(LiveMode&&) noexcept = default;
  LiveMode& operator=(LiveMode&&) = delete;

  Controls& controls() { return controls_; }
  const Controls& controls() const { return controls_; }
  int port() const { return port_; }  // 0 when the engine could not start
  // Moves newly recorded events to the end of `out`; false when there were none.
  bool drain(std::vector<TraceEvent>& out);
  const PayloadStore* payloads() const { return &recorder_->payloads(); }
  std::vector<Recorder::WriterInfo> writers() const { return recorder_->writers(); }
  std::uint64_t droppedByRings() const { return recorder_->dropped(); }

 private:
  LiveMode(std::unique_ptr<Recorder> recorder, Controls controls, int port);

  std::unique_ptr<Recorder> recorder_;
  Controls controls_;
  int port_ = 0;
};

// A lesson: its player (the runner and the worker that plays steps) and the engine and clients
// it plays on. Ownership: held by the Workspace; UI thread only. The runner owns its engine,
// clients and recorder; controls_ shares the first two and is declared last, so it lets go of
// them first and the runner stops them (joining their threads) before it frees that recorder.
class LessonMode {
 public:
  // The lesson started on a fresh engine at step 0; nullopt, with `error`, when it cannot be.
  static std::optional<LessonMode> start(Lesson lesson, std::string& error);
  LessonMode(LessonMode&&) noexcept = default;
  LessonMode& operator=(LessonMode&&) = delete;

  LessonPlayer& player() { return *player_; }
  const LessonPlayer& player() const { return *player_; }
  Controls& controls() { return controls_; }
  const Controls& controls() const { return controls_; }
  // Moves new events to the end of `out`; true when they begin a fresh trace (the first take,
  // or a replay), which the timeline must start over for. Takes the replay's engine, clients
  // and payloads with them, so they arrive together.
  bool takeNewEvents(std::vector<TraceEvent>& out);
  // A lesson that traces examples names its lanes as an import does: the labels, when they
  // grew since the last call (or a fresh trace began), else nullopt. Call after takeNewEvents:
  // the labels then cover every event it handed out.
  std::optional<std::vector<std::string>> takeLaneLabels(bool fresh);
  // The bytes the current engine read (a replay starts a fresh store). May be null.
  const PayloadStore* payloads() const { return payloads_.get(); }

 private:
  LessonMode(std::unique_ptr<LessonPlayer> player, Controls controls);

  std::unique_ptr<LessonPlayer> player_;
  std::shared_ptr<const PayloadStore> payloads_;
  std::uint64_t generation_ = 0;  // of the events taken last; 0: none yet
  std::size_t labelsShown_ = 0;
  Controls controls_;
};

// A file shown in place of an engine: an strace log, a tour of one, or a saved session; or a
// program traced live, shown as the log strace writes of it grows.
// Ownership: a value held by the Workspace; UI thread only.
struct FileMode {
  ViewedTrace viewed;
  int tourStep = 0;  // the tour's step on show, from 0 (a tour only)
  std::unique_ptr<LiveSource> live;  // a live trace (running or ended); null for a file
};

// The FileMode that shows `source`'s trace as it grows.
FileMode liveFileMode(std::unique_ptr<LiveSource> source);

}  // namespace eps::gui
