#include "app/gui/session.hpp"

#include <stdexcept>

namespace eps::gui {

Session::Session(EngineOptions options) : options_(std::move(options)) {}

Session::~Session() {
  stopAll();
}

std::string Session::start() {
  recorder_ = std::make_unique<Recorder>();
  engine_ = std::make_unique<Engine>(*recorder_, options_);
  try {
    port_ = engine_->start();
  } catch (const std::exception& error) {
    return error.what();
  }
  options_.port = port_;  // a reset keeps the port, so `nc 127.0.0.1 PORT` stays right
  clients_ = std::make_unique<ClientDriver>(*recorder_, static_cast<std::uint16_t>(port_));
  return "";
}

void Session::stopAll() {
  clients_.reset();
  if (engine_) engine_->stop();
  engine_.reset();
}

void Session::reset() {
  if (engine_) options_.knobs = engine_->knobs();
  stopAll();
  timeline_.clear();
  clientIds_.clear();
  start();
}

bool Session::pump() {
  scratch_.clear();
  if (!recorder_ || recorder_->drainInto(scratch_) == 0) return false;
  timeline_.append(scratch_);
  return true;
}

int Session::addClient() {
  const int id = clients_->connect();
  clientIds_.push_back(id);
  return id;
}

}  // namespace eps::gui
