// Integrity: many clients, random message sizes, random read chunks, through every correct
// configuration of the engine: every byte comes back, in order, zero bytes included.
#include <random>

#include "core/clients/driver.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

struct Correct {
  const char* name;
  std::function<void(Knobs&)> set;
};

const std::vector<Correct>& correctConfigurations() {
  static const std::vector<Correct> configurations = {
      {"lt drain direct", [](Knobs&) {}},
      {"et drain direct rdhup",
       [](Knobs& k) {
         k.connTrigger = k.listenTrigger = Trigger::Edge;
         k.rdhup = true;
       }},
      {"et flip", [](Knobs& k) { k.connTrigger = Trigger::Edge, k.write = WritePolicy::Flip; }},
      {"et always", [](Knobs& k) { k.connTrigger = Trigger::Edge, k.write = WritePolicy::Always; }},
      {"lt read once", [](Knobs& k) { k.read = ReadPolicy::Once; }},
      {"et oneshot rearm",
       [](Knobs& k) {
         k.connTrigger = Trigger::Edge;
         k.oneshot = true;
       }},
      {"lt oneshot rearm once",
       [](Knobs& k) {
         k.oneshot = true;
         k.read = ReadPolicy::Once;
       }},
      {"et max-events 1", [](Knobs& k) { k.connTrigger = Trigger::Edge, k.maxEvents = 1; }},
      {"lt grow accept once",
       [](Knobs& k) {
         k.maxEvents = kGrowMaxEvents;
         k.accept = AcceptPolicy::Once;
       }},
      {"et small send buffer",
       [](Knobs& k) {
         k.connTrigger = Trigger::Edge;
         k.sndbuf = 4096;
         k.rcvbuf = 4096;
       }},
  };
  return configurations;
}

TEST(EngineIntegrity, EveryByteComesBackThroughEveryCorrectConfiguration) {
  std::mt19937 random(20261122);  // fixed seed: a failure can be replayed
  for (const Correct& configuration : correctConfigurations()) {
    SCOPED_TRACE(configuration.name);
    Knobs knobs;
    configuration.set(knobs);
    knobs.readChunk = std::uniform_int_distribution<int>(1, 65536)(random);
    if (random() % 3 == 0) knobs.readChunk = std::uniform_int_distribution<int>(1, 64)(random);
    SCOPED_TRACE("read-chunk " + std::to_string(knobs.readChunk));
    EngineHarness h(knobs);
    Recorder clientTrace;
    ClientOptions options;
    if (knobs.sndbuf > 0) options.rcvbuf = 4096;
    ClientDriver clients(clientTrace, static_cast<std::uint16_t>(h.port()), options);
    std::vector<int> ids;
    for (int i = 0; i < 8; ++i) ids.push_back(clients.connect());
    for (int id : ids) ASSERT_TRUE(clients.waitConnected(id, 5000ms));
    std::uniform_int_distribution<std::size_t> size(1, 20000);
    for (int round = 0; round < 4; ++round) {
      for (int id : ids) clients.send(id, size(random));
    }
    for (int id : ids) {
      EXPECT_TRUE(clients.waitEchoed(id, 20000ms)) << "client " << id;
      const ClientStats stats = clients.stats(id);
      EXPECT_EQ(stats.mismatched, 0u) << "client " << id << ": corrupted or duplicated bytes";
      EXPECT_EQ(stats.echoed, stats.queued) << "client " << id << ": lost bytes";
      EXPECT_GT(stats.queued, 0u);
    }
  }
}

}  // namespace
}  // namespace eps::testing
