// Names for the other end of a connection and for the way to reach the engine, shared by the
// timeline's lanes, the kernel view, the clients panel, the toolbar and the headless CLI, so
// the class sees one name for one thing.
#pragma once

#include <cstdint>
#include <string>

#include "core/base/phrases.hpp"

namespace eps {

// "external :43210": a peer that is not one of the built-in clients (nc, telnet, a script).
// Its port is the only name it has: the engine learns it from accept4.
std::string externalPeerName(int peerPort);
// "client 2 :43210": a built-in client's connection, as the engine sees it.
std::string clientPeerName(std::uint32_t clientId, int peerPort);
// "nc 127.0.0.1 7000": the command that connects to the engine.
std::string connectCommand(int port);
// "connect with: nc 127.0.0.1 7000": the toolbar's banner and the headless CLI's stderr line.
std::string connectBanner(int port, Phrases say = nullptr);  // say: core/base/phrases.hpp

}  // namespace eps
