// Reading a session: line by line through a fixed buffer (a damaged file may be one endless
// binary line), every problem a SessionFileError naming the file and the line.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/base/input_limits.hpp"
#include "core/base/interrupt.hpp"
#include "core/formats/session_checksum.hpp"
#include "core/formats/session_event.hpp"
#include "core/formats/session_file.hpp"
#include "core/formats/session_header.hpp"

namespace eps {
namespace {

constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
constexpr std::size_t kMaxMagicBytes = 256;
constexpr std::size_t kMaxEventBytes = 1024;               // a real line is below 300
constexpr std::size_t kMaxReserve = std::size_t{1} << 22;  // trust a header's count this far
constexpr std::uint64_t kEventsBetweenInterruptChecks = 4096;  // about a millisecond of reading

// Ownership: reads one stream on one thread. A returned line stays valid until the next call.
class LineReader {
 public:
  enum class Got { Line, TooLong, End };

  LineReader(std::istream& in, const std::string& name) : in_(in), name_(name) {
    buffer_.resize(kChunkBytes);
  }

  // The next line without its '\n' (nor a '\r' before it); `terminated` is false when the
  // stream ended inside the line.
  Got next(std::string_view& line, std::size_t maxBytes, bool& terminated) {
    carry_.clear();
    while (true) {
      const char* start = buffer_.data() + pos_;
      const std::size_t available = end_ - pos_;
      const auto* newline = static_cast<const char*>(std::memchr(start, '\n', available));
      const std::size_t length = newline ? static_cast<std::size_t>(newline - start) : available;
      if (carry_.size() + length > maxBytes) {
        ++number_;
        return Got::TooLong;
      }
      pos_ += newline ? length + 1 : length;
      if (newline && carry_.empty()) {
        terminated = true;
        return deliver(line, {start, length});
      }
      carry_.append(start, length);
      if (newline || !refill()) {
        if (!newline && carry_.empty()) return Got::End;
        terminated = newline != nullptr;
        return deliver(line, carry_);
      }
    }
  }

  std::uint64_t number() const { return number_; }  // lines returned so far

 private:
  Got deliver(std::string_view& line, std::string_view text) {
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line = text;
    ++number_;
    return Got::Line;
  }

  bool refill() {
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    if (in_.bad()) throw SessionFileError("cannot read " + name_ + ": " + std::strerror(errno));
    pos_ = 0;
    end_ = static_cast<std::size_t>(in_.gcount());
    return end_ > 0;
  }

  std::istream& in_;
  const std::string& name_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::string carry_;  // a line that spans two chunks
  std::uint64_t number_ = 0;
};

// Reads one file; each method throws SessionFileError at the first problem.
// Ownership: a value on the reading thread's stack, alive for one readSession call.
class SessionReader {
 public:
  SessionReader(std::istream& in, const std::string& name) : lines_(in, name), name_(name) {}

  SessionData read() {
    readMagic();
    const std::uint64_t count = readHeaderLine();
    readEvents(count);
    readTrailer(count);
    return std::move(data_);
  }

 private:
  [[noreturn]] void fail(std::uint64_t line, const std::string& problem) const {
    throw SessionFileError(name_ + ":" + std::to_string(line) + ": " + problem);
  }
  std::string endsAt() const { return "the file ends at line " + std::to_string(lines_.number()); }

  void readMagic();
  std::uint64_t readHeaderLine();
  void readEvents(std::uint64_t count);
  void readTrailer(std::uint64_t count);
  void checkTrailer(std::uint64_t count, std::uint64_t at);

  LineReader lines_;
  const std::string& name_;
  SessionData data_;
  std::string_view line_;
  bool terminated_ = true;
  session::LineChecksum checksum_;  // of every line before the trailer
};

void SessionReader::readMagic() {
  const std::string expected =
      "'" + std::string(kSessionMagic) + " " + std::to_string(kSessionFormat) + "'";
  const LineReader::Got got = lines_.next(line_, kMaxMagicBytes, terminated_);
  if (got == LineReader::Got::End) throw SessionFileError(name_ + ": empty file");
  const std::string prefix = std::string(kSessionMagic) + " ";
  if (got == LineReader::Got::TooLong || !line_.starts_with(prefix)) {
    fail(1, "not an epollscope session (the first line is not " + expected + ")");
  }
  const std::string_view version = line_.substr(prefix.size());
  long long format = 0;
  const auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), format);
  const bool digits = !version.empty() && std::all_of(version.begin(), version.end(),
                                                      [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) fail(1, "bad format version (the first line is not " + expected + ")");
  const std::string reads = "this one reads " + std::to_string(kSessionFormat);
  if (ec != std::errc() || format > kSessionFormat) {
    fail(1, "saved by a newer epollscope (format " + std::string(version) + "; " + reads + ")");
  }
  if (format < kSessionFormat) {
    fail(1, "saved by an older epollscope in format " + std::string(version) +
                ", which this one no longer reads (" + reads + ")");
  }
  checksum_.add(line_);
}

std::uint64_t SessionReader::readHeaderLine() {
  const LineReader::Got got = lines_.next(line_, kSessionHeaderMaxBytes, terminated_);
  if (got == LineReader::Got::End) fail(1, "damaged: the header is missing (" + endsAt() + ")");
  if (got == LineReader::Got::TooLong) {
    fail(2, "the header is longer than " + std::to_string(mebibytes(kSessionHeaderMaxBytes)) +
                " MiB, the most a session header may be (reading stopped there)");
  }
  checksum_.add(line_);
  // nlohmann throws more than parse_error: out_of_range for a number past a double ("1e999"),
  // type_error, ...; every one of them is a damaged header here, never a crash.
  try {
    const nlohmann::json header = session::parseHeaderJson(line_);
    return session::readHeader(header, data_);
  } catch (const nlohmann::json::parse_error& error) {
    fail(2, "damaged: the header is not valid JSON (at byte " + std::to_string(error.byte) + ")");
  } catch (const nlohmann::json::out_of_range&) {
    fail(2, "damaged: the header holds a number out of range");
  } catch (const nlohmann::json::exception& error) {
    fail(2, "damaged: the header cannot be read (" + std::string(error.what()) + ")");
  } catch (const session::HeaderProblem& problem) {
    fail(2, problem.what());
  }
}

void SessionReader::readEvents(std::uint64_t count) {
  data_.events.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(count, kMaxReserve)));
  const session::EventContext context(data_.writers, data_.laneLabels.size());
  for (std::uint64_t i = 0; i < count; ++i) {
    if (i % kEventsBetweenInterruptChecks == 0) throwIfInterrupted();
    const LineReader::Got got = lines_.next(line_, kMaxEventBytes, terminated_);
    const auto missing = [&] {
      return std::to_string(count - i) + " of " + std::to_string(count) + " events missing";
    };
    const std::uint64_t at = lines_.number();
    if (got == LineReader::Got::End) fail(at, "damaged: " + missing() + " (" + endsAt() + ")");
    if (got == LineReader::Got::TooLong) fail(at, "not an event: longer than 1024 bytes");
    if (!terminated_) fail(at, "damaged: the file ends inside this line (" + missing() + ")");
    if (line_.starts_with("end")) fail(at, "damaged: " + missing() + " (the end line comes early)");
    checksum_.add(line_);
    TraceEvent event;
    std::string problem = session::parseEventLine(line_, event);
    if (problem.empty()) problem = context.check(event);
    if (!problem.empty()) fail(at, problem);
    if (!data_.events.empty() && event.seq <= data_.events.back().seq) {
      fail(at, "field 1 seq: " + std::to_string(event.seq) + " does not follow " +
                   std::to_string(data_.events.back().seq) + " (events are in sequence order)");
    }
    data_.events.push_back(event);
  }
}

void SessionReader::readTrailer(std::uint64_t count) {
  LineReader::Got got = lines_.next(line_, kMaxEventBytes, terminated_);
  if (got == LineReader::Got::End) {
    fail(lines_.number(), "damaged: the end line is missing (" + endsAt() + ", after all " +
                              std::to_string(count) + " events)");
  }
  const std::uint64_t at = lines_.number();
  if (got == LineReader::Got::Line && line_.starts_with("end ")) {
    checkTrailer(count, at);
  } else if (got == LineReader::Got::Line && !line_.empty() && line_[0] >= '0' && line_[0] <= '9') {
    fail(at, "damaged: more events than the header's " + std::to_string(count));
  } else {
    fail(at, "expected the end line 'end " + std::to_string(count) + " CHECKSUM'");
  }
  got = lines_.next(line_, kMaxEventBytes, terminated_);
  if (got != LineReader::Got::End) fail(lines_.number(), "text after the end line");
}

// "end N CHECKSUM", or "end N" alone and ended by '\n' (a file edited by hand may drop the
// checksum).
void SessionReader::checkTrailer(std::uint64_t count, std::uint64_t at) {
  const std::string_view rest = line_.substr(4);
  const std::string_view counted = rest.substr(0, rest.find(' '));
  std::uint64_t events = 0;
  const auto [end, ec] = std::from_chars(counted.data(), counted.data() + counted.size(), events);
  if (ec != std::errc() || end != counted.data() + counted.size()) {
    fail(at, "expected the end line 'end " + std::to_string(count) + " CHECKSUM'");
  }
  if (events != count) {
    fail(at, "damaged: the end line counts " + std::to_string(events) + " events, the header " +
                 std::to_string(count));
  }
  // Without its checksum the line must still end in '\n': else the file was cut inside it.
  const bool hasChecksum = line_.size() > 4 + counted.size();
  if (!hasChecksum && !terminated_) fail(at, "damaged: the file ends inside the end line");
  if (hasChecksum && line_ != session::trailerLine(count, checksum_.value())) {
    fail(at, "damaged: the checksum does not match (lines 1.." + std::to_string(at - 1) +
                 " changed after saving)");
  }
}

}  // namespace

SessionData readSession(std::istream& in, const std::string& name) {
  return SessionReader(in, name).read();
}

SessionData readSession(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw SessionFileError(path + ": is a directory, not a session");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SessionFileError("cannot open " + path + ": " + std::strerror(errno));
  return readSession(in, path);
}

bool looksLikeSession(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string prefix = std::string(kSessionMagic) + " ";
  std::string head(prefix.size(), '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  return in && head == prefix;
}

}  // namespace eps
