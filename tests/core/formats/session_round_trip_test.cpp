// Session files, round trip: a real recording (the engine and the built-in clients against
// the kernel, a lesson, an strace import) is saved, read back, and compared field by field;
// the Chrome export of the read-back session is byte for byte the original's.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "core/clients/driver.hpp"
#include "core/engine/engine.hpp"
#include "core/formats/export.hpp"
#include "core/formats/session_file.hpp"
#include "core/runner/lesson_runner.hpp"
#include "core/strace/import.hpp"

namespace eps {
namespace {

using namespace std::chrono_literals;

void expectSameEvents(const std::vector<TraceEvent>& want, const std::vector<TraceEvent>& got) {
  ASSERT_EQ(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const TraceEvent& w = want[i];
    const TraceEvent& g = got[i];
    SCOPED_TRACE("event " + std::to_string(i) + " seq " + std::to_string(w.seq));
    EXPECT_EQ(w.tNs, g.tNs);
    EXPECT_EQ(w.durNs, g.durNs);
    EXPECT_EQ(w.seq, g.seq);
    EXPECT_EQ(w.ret, g.ret);
    EXPECT_EQ(w.a, g.a);
    EXPECT_EQ(w.b, g.b);
    EXPECT_EQ(w.c, g.c);
    EXPECT_EQ(w.fd, g.fd);
    EXPECT_EQ(w.err, g.err);
    EXPECT_EQ(w.events, g.events);
    EXPECT_EQ(w.conn, g.conn);
    EXPECT_EQ(w.kind, g.kind);
    EXPECT_EQ(w.call, g.call);
    EXPECT_EQ(w.op, g.op);
    EXPECT_EQ(w.actor, g.actor);
    EXPECT_EQ(w.thread, g.thread);
    EXPECT_EQ(w.flags, g.flags);
    if (::testing::Test::HasFailure()) return;  // one broken event is enough to read
  }
}

void expectSameClients(const std::vector<ClientStats>& want, const std::vector<ClientStats>& got) {
  ASSERT_EQ(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const ClientStats& w = want[i];
    const ClientStats& g = got[i];
    EXPECT_EQ(std::tie(w.id, w.fd, w.localPort, w.connected, w.reading, w.writeShut, w.closed,
                       w.eof, w.resetByPeer, w.lastErr),
              std::tie(g.id, g.fd, g.localPort, g.connected, g.reading, g.writeShut, g.closed,
                       g.eof, g.resetByPeer, g.lastErr));
    EXPECT_EQ(std::tie(w.sent, w.queued, w.echoed, w.mismatched, w.pending, w.urgentSent),
              std::tie(g.sent, g.queued, g.echoed, g.mismatched, g.pending, g.urgentSent));
  }
}

std::string chromeOf(const SessionData& data) {
  std::ostringstream out;
  writeChromeTrace(out, data.events, sessionTraceMeta(data));
  return out.str();
}

// Saves `original` to a real file, reads it back and checks that nothing changed.
void roundTrip(SessionData original, SessionData& read) {
  // The session keeps the trace in sequence order (a recorder's batch may rarely hand a late
  // event over after a newer one); compare against that order.
  std::stable_sort(original.events.begin(), original.events.end(),
                   [](const TraceEvent& x, const TraceEvent& y) { return x.seq < y.seq; });
  const std::string path = ::testing::TempDir() + "round_trip.eps";
  saveSessionFile(path, original);
  read = readSession(path);
  expectSameEvents(original.events, read.events);
  expectSameClients(original.clients, read.clients);
  EXPECT_EQ(read.knobs, original.knobs);
  EXPECT_EQ(read.lesson, original.lesson);
  EXPECT_EQ(read.laneLabels, original.laneLabels);
  EXPECT_EQ(std::tie(read.port, read.pid, read.dropped, read.source),
            std::tie(original.port, original.pid, original.dropped, original.source));
  ASSERT_EQ(read.writers.size(), original.writers.size());
  for (std::size_t i = 0; i < read.writers.size(); ++i) {
    const auto& w = original.writers[i];
    const auto& g = read.writers[i];
    EXPECT_EQ(std::tie(w.name, w.actor, w.thread, w.tid),
              std::tie(g.name, g.actor, g.thread, g.tid));
  }
  EXPECT_FALSE(read.savedAt.empty());
  EXPECT_EQ(chromeOf(read), chromeOf(original));
}

TEST(SessionRoundTrip, AnEngineRunWithClientsAndWorkersReadsBackFieldForField) {
  Recorder recorder;
  EngineOptions options;
  options.knobs.connTrigger = Trigger::Edge;
  options.knobs.readChunk = 512;
  options.knobs.workers = 2;
  Engine engine(recorder, options);
  const int port = engine.start();
  SessionData data;
  {
    ClientDriver clients(recorder, static_cast<std::uint16_t>(port));
    const int first = clients.connect();
    const int second = clients.connect();
    ASSERT_TRUE(clients.waitConnected(first, 5000ms));
    ASSERT_TRUE(clients.waitConnected(second, 5000ms));
    clients.send(first, 3000);
    clients.sendText(second, std::string("hello\0world", 11));
    ASSERT_TRUE(clients.waitEchoed(first, 5000ms));
    ASSERT_TRUE(clients.waitEchoed(second, 5000ms));
    clients.shutdownWrite(second);
    ASSERT_TRUE(clients.waitEof(second, 5000ms));
    data.clients = clients.allStats();
  }
  engine.stop();
  recorder.drainInto(data.events);
  data.writers = recorder.writers();
  data.knobs = describeKnobs(options.knobs);
  data.port = port;
  data.pid = 4242;
  data.source = "engine";
  SessionData read;
  roundTrip(data, read);

  ASSERT_EQ(read.clients.size(), 2u);
  EXPECT_EQ(read.clients[0].echoed, 3000u);
  EXPECT_EQ(read.clients[1].echoed, 11u);
  EXPECT_TRUE(read.clients[1].eof);
  EXPECT_EQ(sessionKnobs(read), options.knobs);
  EXPECT_TRUE(std::any_of(read.events.begin(), read.events.end(), [](const TraceEvent& e) {
    return e.thread > 0;
  })) << "the workers' events carry their thread index";
  EXPECT_GT(sessionCallCount(read), 10u);
  const auto has = [&read](auto predicate) {
    return std::any_of(read.events.begin(), read.events.end(), predicate);
  };
  EXPECT_TRUE(has([](const TraceEvent& e) {
    return e.kind == EventKind::Call && e.call == Call::Setsockopt && e.a == IPPROTO_TCP &&
           e.b == TCP_NODELAY && e.c == 1;
  })) << "the setsockopt at accept reads back with its option";
  EXPECT_TRUE(has([](const TraceEvent& e) {
    return e.kind == EventKind::Call && e.call == Call::Getsockname && e.a > 0;
  })) << "getsockname reads back with the port it found";
  EXPECT_TRUE(has([](const TraceEvent& e) {
    return e.kind == EventKind::Sample && (e.ret & kProbeSiocinq) != 0 &&
           (e.ret & kProbeSiocoutq) != 0;
  })) << "a sample reads back with the probe calls it made";
  EXPECT_TRUE(has([](const TraceEvent& e) {
    return e.kind == EventKind::Sample && static_cast<SampleOf>(e.op) == SampleOf::ReadyList &&
           e.ret == kProbePoll;
  })) << "the ready-list poll reads back as a sample of its own";
}

TEST(SessionRoundTrip, ALessonKeepsItsPositionAndItsClientsCounters) {
  LessonLoad loaded =
      loadLessonFile(std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/02-et-lost-wakeup.toml");
  ASSERT_TRUE(loaded.lesson) << loaded.error->text();
  const Lesson& lesson = *loaded.lesson;
  SessionData data;
  {
    LessonRunner runner(lesson);
    ASSERT_EQ(runner.start(), "");
    ASSERT_GE(lesson.steps.size(), 2u);
    EXPECT_TRUE(runner.playStep(0).passed());
    EXPECT_TRUE(runner.playStep(1).passed());
    runner.takeNewEvents(data.events);
    data.writers = runner.writers();
    data.clients = runner.clientsRef()->allStats();
    data.port = runner.engineRef()->port();
  }
  data.knobs = describeKnobs(lesson.knobs);
  data.source = "lesson " + lesson.path;
  data.lesson = {lesson.path, lesson.title.en, 2, static_cast<int>(lesson.steps.size())};
  SessionData read;
  roundTrip(data, read);
  EXPECT_EQ(read.lesson.step, 2);
  EXPECT_FALSE(read.clients.empty());
  EXPECT_EQ(std::count_if(read.events.begin(), read.events.end(),
                          [](const TraceEvent& e) { return e.kind == EventKind::Step; }),
            2);
}

TEST(SessionRoundTrip, AnImportKeepsItsLaneLabelsAndImportedFlags) {
  StraceImporter importer;
  for (const char* line : {
           "301 1795368574.000100 epoll_create1(EPOLL_CLOEXEC) = 3<anon_inode:[eventpoll]> "
           "<0.000010>",
           "301 1795368574.000200 epoll_ctl(3<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
           "5<TCP:[127.0.0.1:8080->127.0.0.1:41234]>, {events=EPOLLIN|EPOLLET, data={u32=5, "
           "u64=5}}) = 0 <0.000010>",
           "302 1795368574.000300 epoll_wait(3<anon_inode:[eventpoll]>, [{events=EPOLLIN, "
           "data={u32=5, u64=5}}], 64, -1) = 1 <0.000500>",
           "302 1795368574.000900 read(5<TCP:[127.0.0.1:8080->127.0.0.1:41234]>, "
           "\"xxxxxxxx\"..., 100) = 100 <0.000010>",
           "302 1795368574.001100 epoll_wait(3<anon_inode:[eventpoll]>, [], 64, 100) = 0 "
           "<0.100100>",
       }) {
    importer.feed(line);
  }
  StraceImport log = importer.finish();
  SessionData data;
  data.events = log.events;
  data.writers = log.threads;
  data.laneLabels = log.labels;
  data.source = "strace log t.log";
  SessionData read;
  roundTrip(data, read);
  EXPECT_EQ(sessionThreadCount(read), 2u);
  EXPECT_FALSE(sessionKnobs(read).has_value());
  EXPECT_TRUE(std::all_of(read.events.begin(), read.events.end(),
                          [](const TraceEvent& e) { return (e.flags & kEventImported) != 0; }));
}

TEST(SessionRoundTrip, WritingOrdersEventsBySequence) {
  SessionData data;
  for (const std::uint64_t seq : {3u, 1u, 2u}) {
    TraceEvent event;
    event.seq = seq;
    event.tNs = static_cast<std::int64_t>(seq) * 10;
    data.events.push_back(event);
  }
  std::stringstream file;
  writeSession(file, data);
  const SessionData read = readSession(file, "s.eps");
  ASSERT_EQ(read.events.size(), 3u);
  EXPECT_EQ(read.events[0].seq, 1u);
  EXPECT_EQ(read.events[2].tNs, 30);
}

}  // namespace
}  // namespace eps
