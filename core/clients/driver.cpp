// The public face of the built-in clients: every action is queued for the driver thread
// (ClientLoop) and applied there by the client's ClientConnection.
#include "core/clients/driver.hpp"

#include "core/base/names.hpp"
#include "core/clients/connection.hpp"
#include "core/clients/loop.hpp"

namespace eps {

// Ownership: owned by ClientDriver; everything lives in the loop (see ClientLoop).
struct ClientDriver::Impl {
  Impl(Recorder& recorder, std::uint16_t port, ClientOptions options)
      : loop(recorder, port, options) {}
  ClientLoop loop;
};

ClientDriver::ClientDriver(Recorder& recorder, std::uint16_t port, ClientOptions options)
    : impl_(std::make_unique<Impl>(recorder, port, options)) {}

ClientDriver::~ClientDriver() = default;

int ClientDriver::connect() {
  return impl_->loop.connect();
}

void ClientDriver::send(int id, std::size_t bytes) {
  impl_->loop.act(id, [bytes](ClientConnection& c) { c.sendPattern(bytes, ClientOp::Send); });
}

void ClientDriver::sendText(int id, std::string text) {
  impl_->loop.act(id, [text = std::move(text)](ClientConnection& c) { c.sendText(text); });
}

void ClientDriver::sendUrgent(int id, char byte) {
  impl_->loop.act(id, [byte](ClientConnection& c) { c.sendUrgent(byte); });
}

void ClientDriver::trickle(int id, std::size_t bytes, std::chrono::milliseconds period) {
  impl_->loop.act(id, [bytes, period](ClientConnection& c) {
    c.startTrickle(bytes, period, ClientLoop::Clock::now());
  });
}

void ClientDriver::stopTrickle(int id) {
  impl_->loop.act(id, [](ClientConnection& c) { c.stopTrickle(); });
}

void ClientDriver::stopReading(int id) {
  impl_->loop.act(id, [](ClientConnection& c) { c.setReading(false); });
}

void ClientDriver::resumeReading(int id) {
  impl_->loop.act(id, [](ClientConnection& c) { c.setReading(true); });
}

void ClientDriver::shutdownWrite(int id) {
  impl_->loop.act(id, [](ClientConnection& c) { c.shutdownWrite(); });
}

void ClientDriver::close(int id) {
  impl_->loop.act(id, [](ClientConnection& c) { c.close(ClientOp::Close); });
}

void ClientDriver::reset(int id) {
  impl_->loop.act(id, [](ClientConnection& c) { c.close(ClientOp::Reset); });
}

bool ClientDriver::waitConnected(int id, std::chrono::milliseconds bound) {
  // Stops early on a failed connect (closed without connecting) and reports false.
  impl_->loop.waitStats(
      id, [](const ClientStats& s) { return s.connected || s.closed; }, bound);
  return stats(id).connected;
}

bool ClientDriver::waitSettled(std::chrono::milliseconds bound) {
  return impl_->loop.waitSettled(bound);
}

bool ClientDriver::waitEchoed(int id, std::chrono::milliseconds bound) {
  return impl_->loop.waitStats(
      id, [](const ClientStats& s) { return s.echoed == s.queued; }, bound);
}

bool ClientDriver::waitEof(int id, std::chrono::milliseconds bound) {
  return impl_->loop.waitStats(
      id, [](const ClientStats& s) { return s.eof; }, bound);
}

bool ClientDriver::waitStats(int id, std::function<bool(const ClientStats&)> until,
                             std::chrono::milliseconds bound) {
  return impl_->loop.waitStats(id, until, bound);
}

std::string clientStateText(const ClientStats& s) {
  if (s.closed) return "closed";
  if (s.resetByPeer) return "reset by peer";
  if (s.brokenBy != 0) return "error " + errnoName(s.brokenBy);
  if (s.eof) return "eof";
  if (!s.connected) return "connecting";
  if (!s.reading) return "not reading";
  return "open";
}

std::uint64_t lostBytes(const ClientStats& s) {
  const bool over = s.closed || s.eof || s.resetByPeer || s.brokenBy != 0;
  return s.mismatched + (over ? s.outstanding() : 0);
}

ClientStats ClientDriver::stats(int id) const {
  return impl_->loop.stats(id);
}

std::vector<ClientStats> ClientDriver::allStats() const {
  return impl_->loop.allStats();
}

}  // namespace eps
