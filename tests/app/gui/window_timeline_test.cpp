// The timeline under real hands: the real window on its own Xvfb display, driven with real X
// wheel, pointer and key events (xdotool), checked through the view state it reports.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {


double nsAtX(const json& s, double x) {
  const json& t = s["timeline"];
  return t["startNs"].get<double>() + (x - t["canvas"]["x"].get<double>()) * t["nsPerPixel"].get<double>();
}
double xAtNs(const json& s, double ns) {
  const json& t = s["timeline"];
  return t["canvas"]["x"].get<double>() + (ns - t["startNs"].get<double>()) / t["nsPerPixel"].get<double>();
}

// The first drawn lane that has events, and a point on the canvas inside it.
std::pair<float, float> pointOnCanvas(const json& s, double fraction = 0.35) {
  const json& canvas = s["timeline"]["canvas"];
  const float x = canvas["x"].get<float>() + canvas["w"].get<float>() * static_cast<float>(fraction);
  float y = canvas["y"].get<float>() + 10;
  for (const json& lane : s["timeline"]["lanes"]) {
    if (lane["drawn"].get<bool>()) {
      y = lane["y"].get<float>() + lane["height"].get<float>() / 2;
      break;
    }
  }
  return {x, y};
}

// One wheel notch in, then two out, at a point: the time under the cursor stays there.
void expectWheelZoomAnchored(WindowDriver& window, const json& before, const std::string& mode) {
  ASSERT_FALSE(before.is_null()) << window.failure();
  const auto [x, y] = pointOnCanvas(before);
  for (const int notches : {1, -2}) {
    const json s0 = window.settle();
    ASSERT_FALSE(s0.is_null()) << window.failure();
    const double anchor = nsAtX(s0, x);
    const double scale0 = s0["timeline"]["nsPerPixel"].get<double>();
    window.wheel(x, y, notches);
    const json s1 = window.waitFor(
        [&](const json& s) {
          const double scale = s["timeline"]["nsPerPixel"].get<double>();
          return notches > 0 ? scale < scale0 * 0.9 : scale > scale0 * 1.1;
        },
        mode + ": the wheel to zoom " + (notches > 0 ? "in" : "out"));
    ASSERT_FALSE(s1.is_null()) << window.failure();
    EXPECT_LT(std::abs(xAtNs(s1, anchor) - static_cast<double>(x)), 1.0)
        << mode << ": the time under the cursor moved; before " << s0["timeline"].dump()
        << "\nafter " << s1["timeline"].dump();
    EXPECT_FALSE(s1["timeline"]["lanes"].empty()) << mode;
  }
}

TEST(WindowTimeline, WheelZoomStaysAtTheCursorLiveFollowingAndImported) {
  SKIP_WITHOUT_WINDOWS();
  {
    WindowDriver window({1280, 720, {"--scenario", "lost-wakeup"}});
    expectWheelZoomAnchored(window, window.waitFor([](const json& s) { return s["frame"] > 3; }, "a frame"),
                            "live");
    window.key("l");  // follow the newest events, then zoom: following stops, the anchor holds
    const json following = window.waitFor(
        [](const json& s) { return s["timeline"]["followLive"].get<bool>(); }, "follow mode");
    expectWheelZoomAnchored(window, following, "follow");
  }
  WindowDriver window({1280, 720, {"--open", kSource + "/assets/traces/nginx.strace"}});
  expectWheelZoomAnchored(
      window, window.waitFor([](const json& s) { return s["mode"] == "file"; }, "the log shown"),
      "imported log");
}

TEST(WindowTimeline, DraggingPansByWhatTheMouseMoved) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--open", kSource + "/assets/traces/redis.strace"}});
  const json s0 = window.waitFor([](const json& s) { return s["mode"] == "file"; }, "the log shown");
  ASSERT_FALSE(s0.is_null()) << window.failure();
  const auto [x, y] = pointOnCanvas(window.settle(), 0.6);
  const json before = window.settle();
  window.drag(x, y, x - 200, y);
  const json after = window.settle();
  const double moved = (after["timeline"]["startNs"].get<double>() -
                        before["timeline"]["startNs"].get<double>()) /
                       before["timeline"]["nsPerPixel"].get<double>();
  EXPECT_NEAR(moved, 200, 2) << "pixels panned";
  EXPECT_TRUE(after["timeline"]["userTookView"].get<bool>());
}

// A range dragged on the ruler reports the calls, wakeups, EAGAINs and bytes inside it: the
// same figures as the CSV export of what the window holds, counted over that range.
TEST(WindowTimeline, RangeFiguresEqualTheCsvExportOfTheRange) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--open", kSource + "/assets/traces/nginx.strace",
                                   "--csv-out", "calls.csv"}});
  ASSERT_FALSE(window.waitFor([](const json& s) { return s["mode"] == "file"; }, "the log").is_null())
      << window.failure();
  const json shown = window.settle();  // the layout has followed the toolbar's height
  const json& ruler = shown["timeline"]["ruler"];
  const float y = ruler["y"].get<float>() + ruler["h"].get<float>() / 2;
  const float x0 = ruler["x"].get<float>() + ruler["w"].get<float>() * 0.15f;
  const float x1 = ruler["x"].get<float>() + ruler["w"].get<float>() * 0.55f;
  window.drag(x0, y, x1, y);
  const json s = window.waitFor([](const json& st) { return st["timeline"].contains("range"); },
                                "a range");
  ASSERT_FALSE(s.is_null()) << window.failure();
  ASSERT_EQ(window.signalAndWait(SIGTERM), 0) << window.output();
  const json& range = s["timeline"]["range"];
  const auto origin = s["timeline"]["originNs"].get<std::int64_t>();
  std::ifstream csv(window.dir() + "/calls.csv");
  ASSERT_TRUE(csv) << window.output();
  std::string line;
  std::getline(csv, line);
  ASSERT_EQ(line, "seq,t_us,dur_us,thread,tid,call,fd,ret,errno,bytes,events,op");
  std::uint64_t calls = 0, wakeups = 0, eagains = 0;
  std::int64_t bytes = 0;
  while (std::getline(csv, line)) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) f.push_back(cell);
    f.resize(12);
    const auto t = origin + std::llround(std::stod(f[1]) * 1000);
    if (t < range["startNs"].get<std::int64_t>() || t >= range["endNs"].get<std::int64_t>()) continue;
    const long long ret = std::stoll(f[7]);
    ++calls;
    if (f[5] == "epoll_wait" && ret > 0) ++wakeups;
    if (f[8] == "EAGAIN") ++eagains;
    // The importer's reads and writes, by the names strace gave them (core/strace/map_data.cpp;
    // recvmmsg and sendmmsg return a message count, and nginx calls neither).
    static const std::set<std::string> kMovesBytes = {
        "read",  "pread64", "recv",     "recvfrom", "recvmsg", "readv",    "preadv",
        "write", "pwrite64", "send",    "sendto",   "sendmsg", "writev",   "pwritev",
        "sendfile", "splice", "tee",    "copy_file_range"};
    if (kMovesBytes.contains(f[5]) && ret > 0) bytes += ret;
  }
  EXPECT_GT(calls, 5u) << "the range holds calls";
  EXPECT_GT(bytes, 0) << "and reads or writes";
  EXPECT_EQ(range["calls"].get<std::uint64_t>(), calls);
  EXPECT_EQ(range["wakeups"].get<std::uint64_t>(), wakeups);
  EXPECT_EQ(range["eagains"].get<std::uint64_t>(), eagains);
  EXPECT_EQ(range["bytes"].get<std::int64_t>(), bytes);
}

// The overview strip shows the whole trace; a click on it brings that moment to the middle.
TEST(WindowTimeline, ClickingTheOverviewMovesTheViewThere) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--open", kSource + "/assets/traces/memcached.strace"}});
  ASSERT_FALSE(window.waitFor([](const json& s) { return s["mode"] == "file"; }, "the log").is_null())
      << window.failure();
  const json s0 = window.settle();
  // Zoom in first so the visible window is a small part of the strip.
  const auto [cx, cy] = pointOnCanvas(s0, 0.5);
  window.wheel(cx, cy, 8);
  const json zoomed = window.settle();
  const json& strip = zoomed["timeline"]["overview"];
  const float x = strip["x"].get<float>() + strip["w"].get<float>() * 0.2f;
  window.click(x, strip["y"].get<float>() + strip["h"].get<float>() / 2);
  const json s1 = window.settle();
  const json& t = s1["timeline"];
  const double first = t["firstNs"].get<double>(), last = t["lastNs"].get<double>();
  const double middle = (t["startNs"].get<double>() + t["endNs"].get<double>()) / 2;
  EXPECT_NEAR((middle - first) / (last - first), 0.2, 0.01) << t.dump();
  const json& box = t["overviewWindow"];
  EXPECT_NEAR(box["x"].get<double>() + box["w"].get<double>() / 2, static_cast<double>(x), 2) << "the window drawn there";
}

// An asyncio program's log, recorded now: Python's files (its modules, /dev/urandom...) get
// lanes that would bury the sockets: hidden from the start; "sockets only" hides the rest
// (the epoll instances' descriptors, pipes).
TEST(WindowTimeline, SocketsOnlyHidesTheFileLanesOfAnAsyncioLog) {
  SKIP_WITHOUT_WINDOWS();
  if (std::system("command -v strace >/dev/null && test -x /usr/bin/python3") != 0) {
    GTEST_SKIP() << "strace or /usr/bin/python3 is missing";
  }
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("asyncio-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream script(dir / "echo.py");
    script << "import asyncio\n"
              "async def handle(reader, writer):\n"
              "    writer.write(await reader.read(100)); await writer.drain(); writer.close()\n"
              "async def main():\n"
              "    server = await asyncio.start_server(handle, '127.0.0.1', 0)\n"
              "    port = server.sockets[0].getsockname()[1]\n"
              "    for i in range(3):\n"
              "        r, w = await asyncio.open_connection('127.0.0.1', port)\n"
              "        w.write(b'hello'); await w.drain(); await r.read(100); w.close()\n"
              "    server.close(); await server.wait_closed()\n"
              "asyncio.run(main())\n";
  }
  const std::string log = (dir / "asyncio.strace").string();
  ASSERT_EQ(std::system(("strace -f -ttt -T -yy -o " + log + " /usr/bin/python3 " +
                         (dir / "echo.py").string() + " >/dev/null 2>&1").c_str()),
            0);
  WindowDriver window({1280, 720, {"--open", log}});
  ASSERT_FALSE(window.waitFor([](const json& s) { return s["mode"] == "file"; }, "the log").is_null())
      << window.failure();
  const auto nonSockets = [](const json& s) {
    int n = 0;
    for (const json& lane : s["timeline"]["lanes"]) {
      const std::string name = lane["name"];
      const std::string kind = lane["kind"];
      n += kind == "file" || kind == "other" || kind == "control" ||
           name.find('/') != std::string::npos || name.find("pipe:") != std::string::npos;
    }
    return n;
  };
  const json before = window.settle();
  // An import's file lanes (CPython's modules and libraries) are hidden from the start.
  EXPECT_TRUE(before["timeline"]["hideFiles"].get<bool>());
  for (const json& lane : before["timeline"]["lanes"]) {
    EXPECT_NE(lane["kind"], "file") << lane["name"] << " is a file: hidden by default";
  }
  EXPECT_GT(before["timeline"]["hiddenLanes"].get<int>(), 10) << "CPython's files";
  ASSERT_GT(nonSockets(before), 0) << "the log has non-socket lanes: "
                                   << before["timeline"]["lanes"].dump();
  ASSERT_TRUE(window.clickWidget("lanes")) << window.failure();
  ASSERT_TRUE(window.clickWidget("sockets-only")) << window.failure();
  const json after =
      window.waitFor([](const json& s) { return s["timeline"]["socketsOnly"].get<bool>(); }, "the filter");
  ASSERT_FALSE(after.is_null()) << window.failure();
  EXPECT_EQ(nonSockets(after), 0) << after["timeline"]["lanes"].dump();
  EXPECT_GT(after["timeline"]["hiddenLanes"].get<int>(), 0);
  bool connection = false;
  for (const json& lane : after["timeline"]["lanes"]) connection |= lane["kind"] == "connection";
  EXPECT_TRUE(connection) << "the sockets stay";
  std::filesystem::remove_all(dir);
}

// Search highlights exactly the events the event log lists for the same text.
TEST(WindowTimeline, SearchHighlightsWhatTheLogListsForTheSameText) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--open", kSource + "/assets/traces/nginx.strace"}});
  ASSERT_FALSE(window.waitFor([](const json& s) { return s["mode"] == "file"; }, "the log").is_null())
      << window.failure();
  window.settle();
  ASSERT_TRUE(window.clickWidget("search")) << window.failure();
  window.type("EAGAIN");
  window.key("Return");
  ASSERT_TRUE(window.clickWidget("log-find")) << window.failure();
  window.type("EAGAIN");
  const json s = window.waitFor(
      [](const json& st) {
        return st["timeline"]["search"]["text"] == "EAGAIN" && st["log"]["text"] == "EAGAIN";
      },
      "both texts typed");
  ASSERT_FALSE(s.is_null()) << window.failure();
  const json& search = s["timeline"]["search"];
  EXPECT_GT(search["matches"].get<int>(), 0);
  EXPECT_EQ(search["ids"], s["log"]["ids"]) << "the timeline's matches are the log's lines";
  EXPECT_EQ(search["current"].get<int>(), 0) << "Enter showed the first";
  EXPECT_EQ(s["selection"]["id"], search["ids"][0]);
  int drawn = 0;
  for (const json& lane : s["timeline"]["lanes"]) drawn += lane["matchesDrawn"].get<int>();
  EXPECT_GT(drawn, 0) << "highlighted on the timeline";
}

}  // namespace
}  // namespace eps::test
#endif
