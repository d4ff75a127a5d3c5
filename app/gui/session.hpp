// What the window shows: the engine, the built-in clients, and the timeline fed from their
// trace. Reset restarts the engine on the same port with the knobs in force.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/gui/lesson_player.hpp"
#include "core/client_driver.hpp"
#include "core/engine.hpp"
#include "core/recorder.hpp"
#include "core/timeline_model.hpp"

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
};

}  // namespace eps::gui
