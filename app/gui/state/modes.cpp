#include "app/gui/state/modes.hpp"

#include <stdexcept>
#include <utility>

#include "core/base/peer_names.hpp"

namespace eps::gui {

Controls::Controls(std::shared_ptr<Engine> engine, std::shared_ptr<ClientDriver> clients)
    : engine_(std::move(engine)), clients_(std::move(clients)) {}

void Controls::replace(std::shared_ptr<Engine> engine, std::shared_ptr<ClientDriver> clients) {
  if (clients) clients_ = std::move(clients);
  if (engine) engine_ = std::move(engine);
}

void Controls::refreshClientPorts() {
  clientByPort_.clear();
  for (const ClientStats& s : clients_->allStats()) {
    if (!s.closed && s.localPort != 0) clientByPort_[s.localPort] = s.id;
  }
}

std::optional<int> Controls::builtInClientOf(int peerPort) const {
  const auto found = clientByPort_.find(peerPort);
  if (found == clientByPort_.end()) return std::nullopt;
  return found->second;
}

std::string Controls::peerName(int peerPort) const {
  const auto client = builtInClientOf(peerPort);
  return client ? clientPeerName(static_cast<std::uint32_t>(*client), peerPort)
                : externalPeerName(peerPort);
}

LiveMode::LiveMode(std::unique_ptr<Recorder> recorder, Controls controls, int port)
    : recorder_(std::move(recorder)), controls_(std::move(controls)), port_(port) {}

LiveMode LiveMode::start(const EngineOptions& options, std::string& error) {
  auto recorder = std::make_unique<Recorder>();
  auto engine = std::make_shared<Engine>(*recorder, options);
  int port = 0;
  try {
    port = engine->start();
    error.clear();
  } catch (const std::exception& failure) {
    error = failure.what();
  }
  // Without an engine the clients connect to port 0, which refuses them: never to whatever
  // may have taken free play's port meanwhile.
  auto clients = std::make_shared<ClientDriver>(*recorder, static_cast<std::uint16_t>(port));
  return LiveMode(std::move(recorder), Controls(std::move(engine), std::move(clients)), port);
}

bool LiveMode::drain(std::vector<TraceEvent>& out) {
  return recorder_->drainInto(out) > 0;
}

LessonMode::LessonMode(std::unique_ptr<LessonPlayer> player, Controls controls)
    : player_(std::move(player)), controls_(std::move(controls)) {}

std::optional<LessonMode> LessonMode::start(Lesson lesson, std::string& error) {
  auto player = std::make_unique<LessonPlayer>(std::move(lesson));
  error = player->start();
  if (!error.empty()) return std::nullopt;
  Controls controls(player->engine(), player->clients());
  return LessonMode(std::move(player), std::move(controls));
}

bool LessonMode::takeNewEvents(std::vector<TraceEvent>& out) {
  controls_.refreshClientPorts();
  const std::uint64_t generation = player_->takeNewEvents(out);
  const bool fresh = generation != generation_;
  generation_ = generation;
  controls_.replace(player_->engine(), player_->clients());
  payloads_ = player_->payloads();
  return fresh;
}

std::optional<std::vector<std::string>> LessonMode::takeLaneLabels(bool fresh) {
  if (!player_->lesson().tracesExamples) return std::nullopt;
  std::vector<std::string> labels = player_->laneLabels();
  if (!fresh && labels.size() == labelsShown_) return std::nullopt;
  labelsShown_ = labels.size();
  return labels;
}

FileMode liveFileMode(std::unique_ptr<LiveSource> source) {
  ViewedTrace viewed = liveViewedTrace(*source);
  return FileMode{std::move(viewed), 0, std::move(source)};
}

}  // namespace eps::gui
