#include "core/base/peer_names.hpp"

namespace eps {

std::string externalPeerName(int peerPort) {
  return "external :" + std::to_string(peerPort);
}

std::string clientPeerName(std::uint32_t clientId, int peerPort) {
  return "client " + std::to_string(clientId) + " :" + std::to_string(peerPort);
}

std::string connectCommand(int port) {
  return "nc 127.0.0.1 " + std::to_string(port);
}

std::string connectBanner(int port, Phrases say) {
  return phrase(say, "connect with: %s", connectCommand(port).c_str());
}

}  // namespace eps
