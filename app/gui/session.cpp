#include "app/gui/session.hpp"

#include <stdexcept>

#include "core/base/peer_names.hpp"

namespace eps::gui {

Session::Session(EngineOptions options) : options_(std::move(options)) {}

Session::~Session() {
  dropLesson();  // member order alone would free the lesson before its engine and clients
  stopAll();
}

void Session::dropLesson() {
  if (!lesson_) return;
  // The lesson's engine and clients record into the lesson's recorder: let go of them first,
  // so its runner stops them (joining their threads) before it frees that recorder.
  clients_.reset();
  engine_.reset();
  payloads_.reset();
  lesson_.reset();
}

std::string Session::start() {
  recorder_ = std::make_unique<Recorder>();
  engine_ = std::make_shared<Engine>(*recorder_, options_);
  try {
    port_ = engine_->start();
  } catch (const std::exception& error) {
    return error.what();
  }
  options_.port = port_;  // a reset keeps the port, so `nc 127.0.0.1 PORT` stays right
  clients_ = std::make_shared<ClientDriver>(*recorder_, static_cast<std::uint16_t>(port_));
  return "";
}

void Session::stopAll() {
  if (lesson_) return;  // the lesson's runner owns and stops its engine
  clients_.reset();
  if (engine_) engine_->stop();
  engine_.reset();
}

void Session::reset() {
  if (lesson_) return lesson_->restart();
  if (engine_) options_.knobs = engine_->knobs();
  stopAll();
  timeline_.clear();
  start();
}

bool Session::pump() {
  if (takeLoaded()) return true;
  if (viewed_) return false;
  scratch_.clear();
  refreshClientPorts();
  if (lesson_) {
    const std::uint64_t generation = lesson_->takeNewEvents(scratch_);
    if (generation != lessonGeneration_) {  // a replay began a fresh trace
      timeline_.clear();
      lessonGeneration_ = generation;
    }
    // Hold the lesson's current engine and clients: a replay replaces them.
    if (auto engine = lesson_->engine()) engine_ = std::move(engine);
    if (auto clients = lesson_->clients()) clients_ = std::move(clients);
    payloads_ = lesson_->payloads();
    if (!scratch_.empty()) timeline_.append(scratch_);
    return !scratch_.empty();
  }
  if (recorder_) payloads_ = recorder_->payloadsRef();
  if (!recorder_ || recorder_->drainInto(scratch_) == 0) return false;
  timeline_.append(scratch_);
  return true;
}

std::string Session::openLesson(const std::string& path) {
  LessonLoad loaded = loadLessonFile(path);
  if (loaded.error) return loaded.error->text();
  auto player = std::make_unique<LessonPlayer>(std::move(*loaded.lesson));
  // The free-play engine stops first: one engine at a time on this machine's loopback story.
  stopAll();
  timeline_.clear();
  if (const std::string error = player->start(); !error.empty()) {
    start();
    return error;
  }
  lesson_ = std::move(player);
  lessonGeneration_ = 0;
  pump();
  return "";
}

void Session::closeLesson() {
  if (!lesson_ || lesson_->busy()) return;
  dropLesson();
  timeline_.clear();
  start();
}

int Session::addClient() {
  return clients_->connect();
}

std::optional<int> Session::builtInClientOf(int peerPort) const {
  const auto found = clientByPort_.find(peerPort);
  if (found == clientByPort_.end()) return std::nullopt;
  return found->second;
}

// Once per pump, not per drawn row: allStats() copies every client under the driver's lock.
void Session::refreshClientPorts() {
  clientByPort_.clear();
  if (!clients_) return;
  for (const ClientStats& s : clients_->allStats()) {
    if (!s.closed && s.localPort != 0) clientByPort_[s.localPort] = s.id;
  }
}

std::string Session::peerName(int peerPort) const {
  const auto client = builtInClientOf(peerPort);
  return client ? clientPeerName(static_cast<std::uint32_t>(*client), peerPort)
                : externalPeerName(peerPort);
}

}  // namespace eps::gui
