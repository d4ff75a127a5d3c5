// What the window shows: the engine, the built-in clients, and the timeline fed from their
// trace. Reset restarts the engine on the same port with the knobs in force.
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "app/gui/lesson_player.hpp"
#include "app/gui/viewed_trace.hpp"
#include "core/clients/driver.hpp"
#include "core/engine/engine.hpp"
#include "core/formats/export.hpp"
#include "core/timeline/model.hpp"
#include "core/trace/recorder.hpp"

namespace eps::gui {

// Ownership: owned by runWindow; used on the UI (main) thread only. The engine and the
// client driver run their own threads and are reached through their thread-safe methods.
class Session {
 public:
  explicit Session(EngineOptions options);
  ~Session();

  std::string start();  // "" or the reason the engine could not start
  void reset();         // stop everything, clear the timeline, start again (same port)
  // Moves newly recorded events into the timeline; true when there were any.
  bool pump();

  Engine& engine() { return *engine_; }
  ClientDriver& clients() { return *clients_; }

  // Lessons: the lesson's runner owns its own engine and clients; while a lesson is open,
  // engine() and clients() are the lesson's. Opening one stops the free-play engine.
  std::string openLesson(const std::string& path);  // "" or "FILE:LINE:COLUMN: ..."
  LessonPlayer* lesson() { return lesson_.get(); }
  void closeLesson();
  // Files: an strace log or a tour of one, loaded on a loader thread; when it is ready,
  // pump() stops the live engine (or lesson) and shows the file instead. "" or why not.
  std::string openFile(const std::string& path);
  bool loading() const { return loader_.valid(); }
  const std::string& loadingPath() const { return loadingPath_; }
  // The outcome of the last load that failed ("" when none); reading it clears it.
  std::string takeLoadError() { return std::exchange(loadError_, std::string()); }
  const ViewedTrace* viewed() const { return viewed_ ? &*viewed_ : nullptr; }
  // Back from a file to the live engine (same port): "" or why not (the file stays shown).
  std::string closeView();
  // The live engine (free play or a lesson) is what the panels control; false while a file
  // is shown, when engine() and clients() must not be used.
  bool live() const { return !viewed_; }

  // Exports of what the timeline holds (the same writers as the headless run): "" or why not.
  std::string exportChromeTrace(const std::string& path);
  std::string exportCallsCsv(const std::string& path);
  // Saves what the window shows as a session file (core/formats/session_file.hpp): "" or why not.
  std::string saveSession(const std::string& path);

  TimelineModel& timeline() { return timeline_; }
  int addClient();
  // The built-in client (open at the last pump()) whose local port is `peerPort`; nullopt: an
  // external peer (nc, telnet, a script).
  std::optional<int> builtInClientOf(int peerPort) const;
  // "client 2 :43210" or "external :43210".
  std::string peerName(int peerPort) const;
  int port() const { return port_; }
  std::uint64_t droppedByRings() const { return recorder_ ? recorder_->dropped() : 0; }
  // The bytes of the engine's reads for the trace on show (free play or the lesson's), kept
  // by pump() so a lesson replay's fresh store arrives with its fresh events. May be null.
  const PayloadStore* payloads() const { return payloads_.get(); }

 private:
  void stopAll();
  void dropLesson();  // closes the lesson, its engine and clients before its recorder
  bool takeLoaded();
  TraceMeta exportMeta() const;
  SessionData sessionData() const;
  void refreshClientPorts();

  EngineOptions options_;
  std::unique_ptr<Recorder> recorder_;
  std::shared_ptr<Engine> engine_;
  std::shared_ptr<ClientDriver> clients_;
  std::unique_ptr<LessonPlayer> lesson_;
  std::uint64_t lessonGeneration_ = 0;
  TimelineModel timeline_;
  std::vector<TraceEvent> scratch_;
  std::shared_ptr<const PayloadStore> payloads_;
  std::unordered_map<int, int> clientByPort_;  // open built-in clients: local port -> id
  int port_ = 0;
  std::future<ViewedLoad> loader_;
  std::string loadingPath_;
  std::string loadError_;
  std::optional<ViewedTrace> viewed_;
};

}  // namespace eps::gui
