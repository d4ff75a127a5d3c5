// The Chrome trace is a contract (DESIGN "Headless CLI"): Perfetto must open it, every call is
// named exactly after the call, errno appears only on failure, tracks never overlap.
#include "core/formats/export.hpp"

#include <gtest/gtest.h>
#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/base/json_writer.hpp"
#include "core/base/knobs.hpp"
#include "core/base/names.hpp"

namespace eps {
namespace {

using nlohmann::json;

constexpr std::int64_t kOrigin = 5'000'000'000;

// Builds a trace by hand: events in sequence order at explicit times (ns after kOrigin).
class Trace {
 public:
  TraceEvent& call(std::int64_t at, Call which, int fd, std::int64_t ret, std::int64_t a = 0,
                   std::int64_t b = 0, std::int64_t dur = 1000) {
    TraceEvent& event = add(at, EventKind::Call);
    event.call = which;
    event.fd = fd;
    event.ret = ret;
    event.a = a;
    event.b = b;
    event.durNs = dur;
    if (ret < 0) event.err = EAGAIN;
    return event;
  }
  TraceEvent& add(std::int64_t at, EventKind kind, int fd = -1, std::uint8_t op = 0) {
    TraceEvent event;
    event.kind = kind;
    event.tNs = kOrigin + at;
    event.seq = events.size() + 1;
    event.fd = fd;
    event.op = op;
    events.push_back(event);
    return events.back();
  }
  TraceEvent& client(std::int64_t at, EventKind kind, ClientOp op, std::uint32_t id) {
    TraceEvent& event = add(at, kind, 20, static_cast<std::uint8_t>(op));
    event.actor = Actor::Clients;
    event.conn = id;
    return event;
  }
  std::vector<TraceEvent> events;
};

// A small engine run: startup, two connections, an EAGAIN read, every event kind.
std::vector<TraceEvent> sampleTrace() {
  Trace t;
  t.call(0, Call::EpollCreate1, -1, 4, 0, 0, 2000);
  t.call(3000, Call::Eventfd2, -1, 5);
  t.call(5000, Call::Socket, -1, 3);
  t.call(7000, Call::Bind, 3, 0);
  t.call(9000, Call::Listen, 3, 0, 128);
  t.call(11000, Call::EpollCtl, 3, 0, 4).events = EPOLLIN;
  t.call(13000, Call::EpollCtl, 5, 0, 4).events = EPOLLIN;
  t.add(15000, EventKind::Config, -1, static_cast<std::uint8_t>(KnobId::ConnTrigger)).a = 1;
  t.client(16000, EventKind::ClientAction, ClientOp::Connect, 1).b = 43210;
  t.call(17000, Call::EpollWait, 4, 1, 64, 1000, 50000);
  t.add(67500, EventKind::Ready, 3).events = EPOLLIN;
  t.call(70000, Call::Accept4, 3, 7, 43210);
  t.call(72000, Call::Accept4, 3, 9, 43211);
  t.call(74000, Call::Accept4, 3, -1);
  TraceEvent& ctl = t.call(76000, Call::EpollCtl, 7, 0, 4);
  ctl.events = EPOLLIN | EPOLLET;
  ctl.op = EPOLL_CTL_ADD;
  t.client(78000, EventKind::ClientAction, ClientOp::Send, 1).a = 100;
  t.call(80000, Call::EpollWait, 4, 2, 64, 1000, 20000);
  t.add(100500, EventKind::Ready, 7).events = EPOLLIN;
  t.add(100600, EventKind::Ready, 9).events = EPOLLOUT;
  t.call(102000, Call::Read, 7, 100, 4096);
  t.call(104000, Call::Read, 7, -1, 4096);  // EAGAIN
  t.call(106000, Call::Write, 7, 100, 100);
  TraceEvent& sample = t.add(108000, EventKind::Sample, 7);
  sample.a = 5;
  sample.b = 6;
  sample.c = 7;
  TraceEvent& backlog = t.add(108500, EventKind::Sample, 3, 1);
  backlog.a = 2;
  backlog.b = 128;
  t.add(109000, EventKind::Stranded, 9).a = 3996;
  TraceEvent& busy = t.add(109500, EventKind::Busy, 9);  // fd 9: the one woken with EPOLLOUT
  busy.a = 1000;
  busy.b = 5000;
  TraceEvent& blocked = t.add(110000, EventKind::Blocked, 9);
  blocked.call = Call::Read;
  blocked.a = 500'000'000;
  t.add(111000, EventKind::Control, -1, static_cast<std::uint8_t>(ControlOp::Pause));
  t.add(111500, EventKind::Control, -1, static_cast<std::uint8_t>(ControlOp::Pace)).a = 50;
  t.add(112000, EventKind::Step).a = 2;
  t.add(112500, EventKind::Note);
  TraceEvent& echo = t.client(113000, EventKind::ClientData, ClientOp::Connect, 1);
  echo.a = 100;
  echo.c = 100;
  // Two calls in the same ns (a 0 ns write then a read), then a read whose duration runs
  // into the next call: the exporter must clamp so the track still nests.
  t.call(120000, Call::Write, 9, 10, 10, 0, 0);
  t.call(120000, Call::Read, 9, 1, 4096, 0, 5000);
  t.call(121000, Call::Write, 9, 3, 3, 0, 500);
  t.call(1'234'567, Call::Close, 7, 0);
  t.client(1'300'000, EventKind::ClientAction, ClientOp::Close, 1);
  return t.events;  // fd 9, the listener and the control lane stay open
}

TraceMeta sampleMeta() {
  TraceMeta meta;
  meta.writers = {{"engine", Actor::Engine, 0, 4242}, {"clients", Actor::Clients, 0, 4243}};
  meta.dropped = 3;
  meta.knobs = "conn-trigger=et read=once";
  meta.port = 5555;
  meta.pid = 4241;
  return meta;
}

json exportJson(const std::vector<TraceEvent>& events, const TraceMeta& meta,
                std::string* text = nullptr) {
  std::ostringstream out;
  writeChromeTrace(out, events, meta);
  if (text != nullptr) *text = out.str();
  return json::parse(out.str(), nullptr, false);
}

std::int64_t ns(const json& micros) {
  return std::llround(micros.get<double>() * 1000.0);
}

TEST(Export, ChromeTraceIsValidJsonInObjectForm) {
  const json doc = exportJson(sampleTrace(), sampleMeta());
  ASSERT_FALSE(doc.is_discarded());
  ASSERT_TRUE(doc.contains("traceEvents"));
  EXPECT_TRUE(doc["traceEvents"].is_array());
  EXPECT_EQ(doc["displayTimeUnit"], "ns");
  const json& meta = doc["metadata"];
  EXPECT_EQ(meta["knobs"], "conn-trigger=et read=once");
  EXPECT_EQ(meta["port"], 5555);
  EXPECT_EQ(meta["pid"], 4241);
  EXPECT_EQ(meta["dropped"], 3);
  ASSERT_EQ(meta["producers"].size(), 2u);
  EXPECT_EQ(meta["producers"][0]["tid"], 4242);
  EXPECT_EQ(meta["producers"][1]["actor"], "clients");
}

TEST(Export, EveryCallIsAnXEventNamedExactlyAfterItsCall) {
  const auto events = sampleTrace();
  const json doc = exportJson(events, sampleMeta());
  std::multiset<std::string> expected;
  for (const TraceEvent& event : events) {
    if (event.kind == EventKind::Call) expected.emplace(callName(event.call));
  }
  std::multiset<std::string> written;
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] != "X") continue;
    written.insert(e["name"].get<std::string>());
    EXPECT_EQ(e["cat"], "syscall");
    ASSERT_TRUE(e.contains("dur")) << e;  // Perfetto drops X events without one
    EXPECT_GE(e["dur"].get<double>(), 0.0);
    EXPECT_EQ(e["pid"], 1);
    // errno only on failure, as a name.
    const bool failedCall = e["args"]["ret"].get<long long>() < 0;
    EXPECT_EQ(e["args"].contains("errno"), failedCall) << e;
    if (failedCall) {
      EXPECT_EQ(e["args"]["errno"], "EAGAIN");
    }
  }
  EXPECT_EQ(written, expected);
}

TEST(Export, CallArgsCarryBytesMasksOpsAndReadyFds) {
  const json doc = exportJson(sampleTrace(), sampleMeta());
  int eagainReads = 0;
  int waitsWithReady = 0;
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] != "X") continue;
    const json& args = e["args"];
    if (e["name"] == "read" && args["fd"] == 7 && args["ret"] == -1) {
      ++eagainReads;
      EXPECT_EQ(args["errno"], "EAGAIN");
      EXPECT_EQ(args["bytes"], 4096);
    }
    if (e["name"] == "epoll_ctl" && args["fd"] == 7) {
      EXPECT_EQ(args["op"], "EPOLL_CTL_ADD");
      EXPECT_EQ(args["events"], "EPOLLIN|EPOLLET");
    }
    if (e["name"] == "accept4" && args["ret"] == 7) {
      EXPECT_EQ(args["peer_port"], 43210);
    }
    if (e["name"] == "epoll_wait") {
      EXPECT_EQ(args["maxevents"], 64);
      EXPECT_EQ(args["timeout"], 1000);
      if (args["ret"] == 2) {
        ++waitsWithReady;
        EXPECT_EQ(args["ready"], "7:EPOLLIN,9:EPOLLOUT");
      }
    }
  }
  EXPECT_EQ(eagainReads, 1);
  EXPECT_EQ(waitsWithReady, 1);
}

TEST(Export, TimestampsAreMicrosecondsWithNanosecondPrecision) {
  std::string text;
  const json doc = exportJson(sampleTrace(), sampleMeta(), &text);
  // The close at 1,234,567 ns after the first event.
  EXPECT_NE(text.find("\"ts\":1234.567"), std::string::npos);
  bool sawZero = false;
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] == "X" && e["name"] == "epoll_create1") {
      EXPECT_EQ(ns(e["ts"]), 0);
      EXPECT_EQ(ns(e["dur"]), 2000);
      sawZero = true;
    }
  }
  EXPECT_TRUE(sawZero);
}

TEST(Export, SlicesOnOneTrackNeverOverlap) {
  const json doc = exportJson(sampleTrace(), sampleMeta());
  std::map<std::pair<int, int>, std::vector<std::pair<std::int64_t, std::int64_t>>> tracks;
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] != "X") continue;
    tracks[{e["pid"].get<int>(), e["tid"].get<int>()}].emplace_back(ns(e["ts"]), ns(e["dur"]));
  }
  EXPECT_GE(tracks.size(), 4u);  // epoll_wait, listener, control, connections
  for (auto& [track, slices] : tracks) {
    std::sort(slices.begin(), slices.end());
    for (std::size_t i = 1; i < slices.size(); ++i) {
      EXPECT_LE(slices[i - 1].first + slices[i - 1].second, slices[i].first)
          << "tid " << track.second << " slice " << i;
    }
  }
}

TEST(Export, ConnectionLifetimesAreMatchedAsyncEvents) {
  const json doc = exportJson(sampleTrace(), sampleMeta());
  // Keyed as Perfetto keys an async slice: id and name (cat and pid checked below).
  std::map<std::pair<std::string, std::string>, std::int64_t> begins;
  std::map<std::pair<std::string, std::string>, std::int64_t> ends;
  std::int64_t last = 0;
  for (const json& e : doc["traceEvents"]) {
    if (e.contains("ts")) last = std::max(last, ns(e["ts"]));
    if (e["ph"] != "b" && e["ph"] != "e") continue;
    EXPECT_EQ(e["cat"], "conn");
    EXPECT_EQ(e["pid"], 1);
    // A hex string: DevTools' trace engine drops a falsy id such as the number 0.
    ASSERT_TRUE(e["id"].is_string()) << e;
    EXPECT_EQ(e["id"].get<std::string>().rfind("0x", 0), 0u) << e;
    auto& side = e["ph"] == "b" ? begins : ends;
    EXPECT_TRUE(side.emplace(std::pair(e["id"], e["name"]), ns(e["ts"])).second)
        << "duplicate " << e;
  }
  EXPECT_EQ(begins.size(), 2u);  // fd 7 and fd 9
  ASSERT_EQ(begins.size(), ends.size());
  for (const auto& [id, begin] : begins) {
    ASSERT_TRUE(ends.contains(id)) << id.first << " " << id.second;
    EXPECT_GE(ends[id], begin);
  }
  // fd 7 closed at 1234.567 µs (+1 µs of close); fd 9 is still open: it ends at the last stamp.
  EXPECT_EQ(std::max_element(ends.begin(), ends.end(),
                             [](auto& x, auto& y) { return x.second < y.second; })
                ->second,
            last);
  EXPECT_NE(std::find_if(ends.begin(), ends.end(), [](auto& x) { return x.second == 1'235'567; }),
            ends.end());
}

// Perfetto reads tids as system-wide thread ids: thread_name applies by tid alone, and a
// counter, lifetime or process_name (a pid, no tid) lands on thread tid == pid. A lane whose
// tid were 1 or 2 would lose its name to the process metadata.
TEST(Export, NoTrackTidIsAlsoAPidAndEachTidHasOnePid) {
  const json doc = exportJson(sampleTrace(), sampleMeta());
  std::map<int, std::set<int>> pidsOfTid;
  std::set<int> pids;
  for (const json& e : doc["traceEvents"]) {
    pids.insert(e["pid"].get<int>());
    if (e.contains("tid")) pidsOfTid[e["tid"].get<int>()].insert(e["pid"].get<int>());
  }
  ASSERT_FALSE(pidsOfTid.empty());
  for (const auto& [tid, pidsUsing] : pidsOfTid) {
    EXPECT_FALSE(pids.contains(tid)) << "tid " << tid;
    EXPECT_EQ(pidsUsing.size(), 1u) << "tid " << tid;
  }
}

// Workers racing for one listener: their accept4 calls overlap in time. Each thread other
// than the lane's first caller gets a side track beside the lane, so no track holds two
// slices that overlap without nesting (what Perfetto and DevTools require).
TEST(Export, OverlappingCallsOfOtherThreadsOnOneLaneGetTheirOwnTracks) {
  Trace t;
  t.call(0, Call::Socket, -1, 3);
  t.call(1000, Call::Listen, 3, 0, 128);
  // Recorded as each returns: worker 2's short call first, then worker 1's that began earlier.
  TraceEvent& second = t.call(12000, Call::Accept4, 3, -1, 0, 0, 2000);
  second.thread = 2;
  TraceEvent& first = t.call(10000, Call::Accept4, 3, 9, 43210, 0, 8000);
  first.thread = 1;
  const json doc = exportJson(t.events, sampleMeta());
  std::map<int, std::string> names;
  std::vector<std::pair<int, std::int64_t>> accepts;  // tid, ret
  for (const json& e : doc["traceEvents"]) {
    if (e["name"] == "thread_name") names[e["tid"].get<int>()] = e["args"]["name"];
    if (e["name"] == "accept4") accepts.emplace_back(e["tid"].get<int>(), e["args"]["ret"]);
  }
  ASSERT_EQ(accepts.size(), 2u);
  EXPECT_NE(accepts[0].first, accepts[1].first) << "two overlapping slices on one track";
  for (const auto& [tid, ret] : accepts) {
    ASSERT_TRUE(names.contains(tid)) << "tid " << tid << " has no name";
    EXPECT_EQ(names[tid].rfind("listener fd 3 \u00b7 ", 0), 0u) << names[tid];
  }
}

TEST(Export, EveryTrackUsedIsNamedAndSorted) {
  const json doc = exportJson(sampleTrace(), sampleMeta());
  const auto track = [](const json& e) {
    return std::pair<int, int>(e["pid"].get<int>(), e["tid"].get<int>());
  };
  std::set<std::pair<int, int>> used;
  std::map<std::pair<int, int>, std::string> names;
  std::set<std::pair<int, int>> sorted;
  std::map<int, std::string> processes;
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] == "M") {
      if (e["name"] == "thread_name") names[track(e)] = e["args"]["name"];
      if (e["name"] == "thread_sort_index") sorted.insert(track(e));
      if (e["name"] == "process_name") processes[e["pid"].get<int>()] = e["args"]["name"];
    } else if (e.contains("tid")) {
      used.insert(track(e));
    }
  }
  for (const auto& [pid, tid] : used) {
    EXPECT_TRUE(names.contains({pid, tid})) << pid << "/" << tid;
    EXPECT_TRUE(sorted.contains({pid, tid})) << pid << "/" << tid;
  }
  EXPECT_EQ(processes[1], "epollscope engine");
  EXPECT_EQ(processes[2], "clients");
  std::set<std::string> laneNames;
  for (const auto& entry : names) laneNames.insert(entry.second);
  for (const char* name : {"epoll_wait", "listener fd 3", "control (eventfd 5)",
                           "fd 7 \u2190 :43210", "fd 9 \u2190 external :43211", "client 1"}) {
    EXPECT_TRUE(laneNames.contains(name)) << name;
  }
}

TEST(Export, ReadyDiagnosesSamplesAndClientsHaveTheirShapes) {
  const json doc = exportJson(sampleTrace(), sampleMeta());
  std::map<std::string, json> firstByName;
  int fd7Tid = -1;
  int fd9Tid = -1;
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] == "X" && e["name"] == "read" && e["args"]["fd"] == 7) fd7Tid = e["tid"];
    if (e["ph"] == "X" && e["name"] == "read" && e["args"]["fd"] == 9) fd9Tid = e["tid"];
    if (e["ph"] == "C") {
      for (const auto& [key, value] : e["args"].items()) EXPECT_TRUE(value.is_number()) << key;
    }
    if (e["ph"] == "i") {
      EXPECT_EQ(e["s"], "t");
    }
    const std::string name = e["name"];
    if (!firstByName.contains(name)) firstByName[name] = e;
  }
  // Ready: an instant on the track of the socket it woke.
  ASSERT_TRUE(firstByName.contains("ready"));
  int readyOn7 = 0;
  for (const json& e : doc["traceEvents"]) {
    if (e["name"] == "ready" && e["args"]["fd"] == 7) {
      EXPECT_EQ(e["tid"], fd7Tid);
      EXPECT_EQ(e["args"]["events"], "EPOLLIN");
      ++readyOn7;
    }
  }
  EXPECT_EQ(readyOn7, 1);
  EXPECT_EQ(firstByName["queues fd 7"]["args"], (json{{"recvq", 5}, {"sendq", 6}, {"unsent", 7}}));
  EXPECT_EQ(firstByName["backlog fd 3"]["args"], (json{{"accept_queue", 2}, {"limit", 128}}));
  EXPECT_EQ(firstByName["stranded"]["args"]["bytes"], 3996);
  EXPECT_EQ(firstByName["stranded"]["args"]["count"], 3996);
  // The busy run names the socket that keeps waking the engine, and sits on its track.
  EXPECT_EQ(firstByName["busy"]["args"],
            (json{{"fd", 9}, {"idle_wakeups", 1000}, {"per_second", 5000}}));
  EXPECT_EQ(firstByName["busy"]["tid"], fd9Tid);
  EXPECT_EQ(firstByName["blocked"]["args"]["call"], "read");
  EXPECT_DOUBLE_EQ(firstByName["blocked"]["args"]["ms"].get<double>(), 500.0);
  EXPECT_EQ(firstByName["config"]["args"]["knob"], "conn-trigger");
  EXPECT_EQ(firstByName["config"]["args"]["value"], knobNumberText(KnobId::ConnTrigger, 1));
  EXPECT_EQ(firstByName["config"]["args"]["old"], knobNumberText(KnobId::ConnTrigger, 0));
  EXPECT_TRUE(firstByName.contains("pause"));
  EXPECT_EQ(firstByName["pace"]["args"]["pace_ms"], 50);
  EXPECT_EQ(firstByName["step"]["args"]["index"], 2);
  EXPECT_EQ(firstByName["connect"]["pid"], 2);
  EXPECT_EQ(firstByName["connect"]["args"]["local_port"], 43210);
  EXPECT_FALSE(firstByName["connect"]["args"].contains("errno"));
  EXPECT_EQ(firstByName["send"]["args"]["bytes"], 100);
  EXPECT_EQ(firstByName["echo"]["args"], (json{{"bytes", 100}, {"mismatched", 0}, {"total", 100}}));
  EXPECT_EQ(firstByName["echo"]["tid"], firstByName["connect"]["tid"]);
}

TEST(Export, EmptyTraceIsStillAValidDocument) {
  const json doc = exportJson({}, TraceMeta{});
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_TRUE(doc["traceEvents"].is_array());
}

TEST(Export, StringsAreEscapedAndInvalidUtf8Replaced) {
  TraceMeta meta = sampleMeta();
  meta.knobs = "a \"quoted\" \\ back\nslash\ttab \x01 ctl \xff bad \xe2\x9c\x93 ok";
  meta.knobs += "\xe2\x9c";  // a sequence cut short at the end
  const json doc = exportJson(sampleTrace(), meta);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["metadata"]["knobs"].get<std::string>(),
            "a \"quoted\" \\ back\nslash\ttab \x01 ctl \xEF\xBF\xBD bad \xe2\x9c\x93 ok"
            "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(ExportJson, ScaledNumbersKeepEveryDigit) {
  std::string out;
  appendScaled(out, 1'234'567, 3);
  EXPECT_EQ(out, "1234.567");
  out.clear();
  appendScaled(out, 5, 3);
  EXPECT_EQ(out, "0.005");
  out.clear();
  appendScaled(out, -1250, 3);
  EXPECT_EQ(out, "-1.250");
  out.clear();
  appendScaled(out, 500'000'000, 6);
  EXPECT_EQ(out, "500.000000");
}

TEST(ExportJson, WriterPlacesCommasAndNests) {
  std::ostringstream stream;
  {
    JsonWriter w(stream);
    w.beginObject();
    w.field("a", 1);
    w.key("list");
    w.beginArray();
    w.number(1);
    w.string("two");
    w.beginObject();
    w.endObject();
    w.endArray();
    w.field("s", "x");
    w.endObject();
  }
  EXPECT_EQ(stream.str(), R"({"a":1,"list":[1,"two",{}],"s":"x"})");
}

TEST(Export, CsvHasOneLinePerCall) {
  const auto events = sampleTrace();
  std::ostringstream out;
  writeCallsCsv(out, events, sampleMeta());
  std::istringstream lines(out.str());
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "seq,t_us,dur_us,thread,tid,call,fd,ret,errno,bytes,events,op");
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  const auto calls = std::count_if(events.begin(), events.end(),
                                   [](const TraceEvent& e) { return e.kind == EventKind::Call; });
  EXPECT_EQ(static_cast<std::ptrdiff_t>(rows.size()), calls);
  EXPECT_EQ(rows.front(), "1,0.000,2.000,0,4242,epoll_create1,-1,4,,,,");
  const auto has = [&](const std::string& row) {
    return std::find(rows.begin(), rows.end(), row) != rows.end();
  };
  EXPECT_TRUE(has("21,104.000,1.000,0,4242,read,7,-1,EAGAIN,4096,,"));
  EXPECT_TRUE(has("15,76.000,1.000,0,4242,epoll_ctl,7,0,,,EPOLLIN|EPOLLET,EPOLL_CTL_ADD"));
  for (const std::string& row : rows) EXPECT_EQ(std::count(row.begin(), row.end(), ','), 11) << row;
}

TEST(Export, AReadCarriesTheBytesItReturnedFromThePayloadStore) {
  std::vector<TraceEvent> events = sampleTrace();
  const auto read = std::find_if(events.begin(), events.end(), [](const TraceEvent& e) {
    return e.kind == EventKind::Call && e.call == Call::Read && e.ret > 0;
  });
  ASSERT_NE(read, events.end());
  read->ret = 300;  // more than the store keeps of one read
  PayloadStore payloads;
  payloads.keep(read->seq, std::string(299, 'x') + "\n");
  TraceMeta meta = sampleMeta();
  meta.payloads = &payloads;
  const json doc = exportJson(events, meta);
  int withData = 0;
  for (const json& e : doc["traceEvents"]) {
    if (e.value("name", "") != "read" || !e["args"].contains("data")) continue;
    ++withData;
    EXPECT_EQ(e["args"]["data"], std::string(PayloadStore::kKeptPerRead, 'x'));
    EXPECT_EQ(e["args"]["data_truncated"], true);
  }
  EXPECT_EQ(withData, 1);
  // Without a store, no read has data. (The document is held: a range-for over a member of a
  // temporary would outlive the temporary.)
  const json plain = exportJson(events, sampleMeta());
  for (const json& e : plain["traceEvents"]) {
    EXPECT_FALSE(e.contains("args") && e["args"].contains("data"));
  }
}

}  // namespace
}  // namespace eps
