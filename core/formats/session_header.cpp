#include "core/formats/session_header.hpp"

#include <limits>

#include "core/base/input_limits.hpp"
#include "core/base/names.hpp"
#include "core/formats/session_event.hpp"
#include "core/trace/payload_store.hpp"

namespace eps::session {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();
constexpr std::uint64_t kMaxEvents = std::uint64_t{1} << 40;  // beyond any real trace

// Reads one member of a header object; `where` names the object in errors ("writers[2]").
// Ownership: a view over a JSON object that outlives it; one thread.
class Fields {
 public:
  Fields(const Json& object, std::string where) : object_(object), where_(std::move(where)) {
    if (!object_.is_object())
      fail("", where_.empty() ? "is not a JSON object" : "must be an object");
  }

  const Json& at(const char* key) const {
    const auto found = object_.find(key);
    if (found == object_.end()) fail(key, "is missing");
    return *found;
  }
  std::int64_t integer(const char* key, std::int64_t low, std::int64_t high) const {
    const Json& value = at(key);
    bool fits = false;
    if (value.is_number_unsigned()) {
      fits = value.get<std::uint64_t>() <= static_cast<std::uint64_t>(high);
    } else if (value.is_number_integer()) {
      fits = value.get<std::int64_t>() >= low && value.get<std::int64_t>() <= high;
    }
    if (!fits) {
      fail(key, "must be an integer " + std::to_string(low) + ".." + std::to_string(high));
    }
    return value.get<std::int64_t>();
  }
  std::uint64_t count(const char* key, std::uint64_t high = UINT64_MAX) const {
    const Json& value = at(key);
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() > high) {
      fail(key, "must be an integer 0.." + std::to_string(high));
    }
    return value.get<std::uint64_t>();
  }
  bool flag(const char* key) const {
    const Json& value = at(key);
    if (!value.is_boolean()) fail(key, "must be true or false");
    return value.get<bool>();
  }
  std::string text(const char* key) const {
    const Json& value = at(key);
    if (!value.is_string()) fail(key, "must be a string");
    return value.get<std::string>();
  }
  const Json& array(const char* key) const {
    const Json& value = at(key);
    if (!value.is_array()) fail(key, "must be an array");
    return value;
  }
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    const std::string place = where_.empty() ? key : key.empty() ? where_ : where_ + "." + key;
    throw HeaderProblem(place.empty() ? "header " + problem : "header: " + place + " " + problem);
  }

 private:
  const Json& object_;
  std::string where_;
};

Recorder::WriterInfo readWriter(const Json& json, const std::string& where) {
  const Fields f(json, where);
  Recorder::WriterInfo writer{};
  writer.name = f.text("name");
  const std::string actor = f.text("actor");
  const auto parsed = actorFromName(actor);
  if (!parsed) f.fail("actor", "is not engine, clients or control: '" + actor + "'");
  writer.actor = *parsed;
  writer.thread = static_cast<std::uint8_t>(f.integer("thread", 0, 255));
  writer.tid = static_cast<int>(f.integer("tid", 0, kInt32Max));
  return writer;
}

ClientStats readClient(const Json& json, const std::string& where) {
  const Fields f(json, where);
  ClientStats c;
  c.id = static_cast<int>(f.integer("id", 0, kInt32Max));
  c.fd = static_cast<int>(f.integer("fd", -1, kInt32Max));
  c.localPort = static_cast<std::uint16_t>(f.integer("localPort", 0, 65535));
  c.connected = f.flag("connected");
  c.reading = f.flag("reading");
  c.writeShut = f.flag("writeShut");
  c.closed = f.flag("closed");
  c.eof = f.flag("eof");
  c.resetByPeer = f.flag("resetByPeer");
  c.lastErr = static_cast<int>(f.integer("lastErr", 0, 4095));
  c.sent = f.count("sent");
  c.queued = f.count("queued");
  c.echoed = f.count("echoed");
  c.mismatched = f.count("mismatched");
  c.pending = f.count("pending");
  c.urgentSent = f.count("urgentSent");
  return c;
}

SessionData::LessonPosition readLesson(const Json& json) {
  SessionData::LessonPosition lesson;
  if (json.is_null()) return lesson;
  const Fields f(json, "lesson");
  lesson.file = f.text("file");
  lesson.title = f.text("title");
  lesson.steps = static_cast<int>(f.integer("steps", 0, kInt32Max));
  lesson.step = static_cast<int>(f.integer("step", 0, lesson.steps));
  if (lesson.file.empty()) f.fail("file", "is empty (a session without a lesson has null)");
  return lesson;
}

OrderedJson clientJson(const ClientStats& c) {
  return {{"id", c.id},
          {"fd", c.fd},
          {"localPort", c.localPort},
          {"connected", c.connected},
          {"reading", c.reading},
          {"writeShut", c.writeShut},
          {"closed", c.closed},
          {"eof", c.eof},
          {"resetByPeer", c.resetByPeer},
          {"lastErr", c.lastErr},
          {"sent", c.sent},
          {"queued", c.queued},
          {"echoed", c.echoed},
          {"mismatched", c.mismatched},
          {"pending", c.pending},
          {"urgentSent", c.urgentSent}};
}

std::string hexOf(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    hex += kDigits[static_cast<unsigned char>(c) >> 4];
    hex += kDigits[static_cast<unsigned char>(c) & 0xF];
  }
  return hex;
}

// "payloads": [[seq, "hex"], ...]: a read's kept bytes (at most PayloadStore::kKeptPerRead).
void readPayloads(const Fields& f, const Json& header, SessionData& data) {
  if (!header.contains("payloads")) return;
  const Json& payloads = f.array("payloads");
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    const Json& entry = payloads[i];
    const std::string where = "payloads[" + std::to_string(i) + "]";
    if (!entry.is_array() || entry.size() != 2 || !entry[0].is_number_unsigned() ||
        !entry[1].is_string()) {
      f.fail(where, "must be [seq, \"hex bytes\"]");
    }
    const std::string hex = entry[1].get<std::string>();
    if (hex.size() % 2 != 0 || hex.size() > 2 * PayloadStore::kKeptPerRead ||
        hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
      f.fail(where, "bytes must be lower-case hex, at most " +
                        std::to_string(PayloadStore::kKeptPerRead) + " bytes");
    }
    std::string bytes;
    for (std::size_t k = 0; k < hex.size(); k += 2) {
      bytes += static_cast<char>(std::stoi(hex.substr(k, 2), nullptr, 16));
    }
    data.payloads.emplace_back(entry[0].get<std::uint64_t>(), std::move(bytes));
  }
}

OrderedJson listsJson(const SessionData& data) {
  OrderedJson lists = OrderedJson::object();
  OrderedJson& writers = lists["writers"] = OrderedJson::array();
  for (const Recorder::WriterInfo& w : data.writers) {
    writers.push_back(
        {{"name", w.name}, {"actor", actorName(w.actor)}, {"thread", w.thread}, {"tid", w.tid}});
  }
  lists["laneLabels"] = data.laneLabels;
  lists["lesson"] = nullptr;
  if (!data.lesson.file.empty()) {
    lists["lesson"] = {{"file", data.lesson.file},
                       {"title", data.lesson.title},
                       {"step", data.lesson.step},
                       {"steps", data.lesson.steps}};
  }
  OrderedJson& clients = lists["clients"] = OrderedJson::array();
  for (const ClientStats& c : data.clients) clients.push_back(clientJson(c));
  if (!data.payloads.empty()) {
    OrderedJson& payloads = lists["payloads"] = OrderedJson::array();
    for (const auto& [seq, bytes] : data.payloads) payloads.push_back({seq, hexOf(bytes)});
  }
  return lists;
}

}  // namespace

Knobs parseKnobsText(const std::string& text, std::string& error) {
  Knobs knobs;
  error.clear();
  std::string_view rest = text;
  while (!rest.empty() && error.empty()) {
    const std::size_t space = rest.find(' ');
    const std::string_view pair = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    const std::size_t equals = pair.find('=');
    const auto id = knobFromName(pair.substr(0, equals));
    if (equals == std::string_view::npos || !id) {
      error = "'" + std::string(pair) + "' is not a knob=value";
    } else if (auto bad = setKnob(knobs, *id, pair.substr(equals + 1))) {
      error = *bad;
    }
  }
  return knobs;
}

std::string headerLine(const SessionData& data, std::uint64_t eventCount,
                       const std::string& savedAt, const std::string& host) {
  OrderedJson header = {{"format", kSessionFormat},
                        {"events", eventCount},
                        {"fields", kEventFields},
                        {"source", data.source},
                        {"knobs", data.knobs},
                        {"port", data.port},
                        {"pid", data.pid},
                        {"dropped", data.dropped},
                        {"savedAt", data.savedAt.empty() ? savedAt : data.savedAt},
                        {"host", data.host.empty() ? host : data.host}};
  const OrderedJson lists = listsJson(data);
  for (const auto& [key, value] : lists.items()) header[key] = value;
  return header.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

Json parseHeaderJson(std::string_view line) {
  // A real header nests 3 deep (payloads: header, list, entry) and holds some 60,000 values
  // at most (13,000 kept payloads of three, 4,096 lane labels). Within 16 MiB, a tree of
  // millions of tiny values would cost half a gigabyte: both are refused as they are met.
  constexpr int kMaxDepth = 16;
  constexpr std::size_t kMaxValues = 1'000'000;
  std::size_t values = 0;
  return Json::parse(line, [&values](int depth, Json::parse_event_t event, Json&) {
    if (depth > kMaxDepth) {
      throw HeaderProblem("header nests deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    if (event == Json::parse_event_t::value && ++values > kMaxValues) {
      throw HeaderProblem("header holds more than " + std::to_string(kMaxValues) + " values");
    }
    return true;
  });
}

void checkHeaderData(const SessionData& data) {
  // Round the data through its own JSON: the reader's checks are then the writer's.
  const std::string line = headerLine(data, 0);
  if (line.size() > kSessionHeaderMaxBytes) {
    throw HeaderProblem("the header would be " + std::to_string(line.size() >> 20) +
                        " MiB, more than the " + std::to_string(mebibytes(kSessionHeaderMaxBytes)) +
                        " MiB a reader takes");
  }
  SessionData copy;
  readHeader(parseHeaderJson(line), copy);
}

std::uint64_t readHeader(const Json& header, SessionData& data) {
  const Fields f(header, "");
  const std::int64_t format = f.integer("format", 0, kInt32Max);
  if (format != kSessionFormat) {
    f.fail("format",
           std::to_string(format) + " does not match line 1's " + std::to_string(kSessionFormat));
  }
  if (f.text("fields") != kEventFields) f.fail("fields", "do not match this format's columns");
  const std::uint64_t events = f.count("events", kMaxEvents);
  data.source = f.text("source");
  data.knobs = f.text("knobs");
  std::string knobError;
  parseKnobsText(data.knobs, knobError);
  if (!knobError.empty()) f.fail("knobs", knobError);
  data.port = static_cast<int>(f.integer("port", 0, 65535));
  data.pid = static_cast<int>(f.integer("pid", 0, kInt32Max));
  data.dropped = f.count("dropped");
  data.savedAt = f.text("savedAt");
  data.host = f.text("host");
  const Json& writers = f.array("writers");
  for (std::size_t i = 0; i < writers.size(); ++i) {
    data.writers.push_back(readWriter(writers[i], "writers[" + std::to_string(i) + "]"));
  }
  const Json& labels = f.array("laneLabels");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (!labels[i].is_string()) f.fail("laneLabels[" + std::to_string(i) + "]", "must be a string");
    data.laneLabels.push_back(labels[i].get<std::string>());
  }
  data.lesson = readLesson(f.at("lesson"));
  const Json& clients = f.array("clients");
  for (std::size_t i = 0; i < clients.size(); ++i) {
    data.clients.push_back(readClient(clients[i], "clients[" + std::to_string(i) + "]"));
  }
  readPayloads(f, header, data);
  return events;
}

}  // namespace eps::session
