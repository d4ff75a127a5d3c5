#include "core/strace/import.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/base/interrupt.hpp"
#include "core/base/terminal_text.hpp"
#include "core/strace/chunk_lines.hpp"
#include "core/strace/mapper.hpp"

namespace eps {
namespace {

constexpr std::size_t kReadChunk = std::size_t{1} << 20;
constexpr std::size_t kShownBytes = 200;  // of a bad line, for display

bool blank(std::string_view line) {
  for (const char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// Control bytes other than tab and CR (and any NUL) are never in a line strace writes: it
// escapes them. Many of them mean a binary file.
bool looksBinary(std::string_view line) {
  std::size_t control = 0;
  for (const char c : line) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0) return true;
    if ((byte < 0x20 && byte != '\t' && byte != '\r') || byte == 0x7f) ++control;
  }
  return control * 10 > line.size();
}

std::string printable(std::string_view line) {
  return terminalText(line, kShownBytes);
}

// Closes the log on every way out of importStraceFile.
struct FileCloser {
  int fd;
  ~FileCloser() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errnoText(int err) {
  return std::strerror(err);
}

}  // namespace

StraceImporter::StraceImporter(StraceImportOptions options)
    : options_(std::move(options)), mapper_(std::make_unique<StraceMapper>(options_)) {}

StraceImporter::~StraceImporter() = default;

void StraceImporter::feed(std::string_view line) {
  StraceImportStats& stats = mapper_->result().stats;
  ++stats.lines;
  if (blank(line)) {
    ++stats.emptyLines;
    return;
  }
  ++nonEmptySeen_;
  if (understood_ == 0 && looksBinary(line)) {
    throw StraceImportError(options_.source + ":" + std::to_string(stats.lines) +
                            ": binary data, not an strace log");
  }
  if (mapper_->feedLine(line) == StraceLineKind::NotUnderstood) {
    notUnderstood(line, "");
  } else {
    ++understood_;
  }
  sniff(line, understood_ > 0);
}

void StraceImporter::feedOverlong(std::string_view head) {
  StraceImportStats& stats = mapper_->result().stats;
  ++stats.lines;
  ++nonEmptySeen_;
  if (understood_ == 0 && looksBinary(head)) {
    throw StraceImportError(options_.source + ":" + std::to_string(stats.lines) +
                            ": binary data, not an strace log");
  }
  notUnderstood(head, " [line too long]");
  sniff(head, understood_ > 0);
}

void StraceImporter::notUnderstood(std::string_view line, const char* why) {
  StraceImport& result = mapper_->result();
  ++result.stats.notUnderstood;
  if (firstBadNumber_ == 0) firstBadNumber_ = result.stats.lines;
  if (result.badLines.size() < options_.keepBadLines) {
    result.badLines.push_back({result.stats.lines, printable(line) + why});
  }
}

// Until one line is understood, the log is on probation: `sniffLines` non-empty lines that
// strace would never write, and it is not an strace log.
void StraceImporter::sniff(std::string_view line, bool understood) {
  if (understood || nonEmptySeen_ < options_.sniffLines) return;
  const StraceImport& result = mapper_->result();
  const std::string first = result.badLines.empty() ? printable(line) : result.badLines[0].text;
  throw StraceImportError(options_.source + ":" + std::to_string(firstBadNumber_) +
                          ": not an strace log: none of the first " +
                          std::to_string(nonEmptySeen_) +
                          " non-empty lines is one `strace -f -o` writes (line " +
                          std::to_string(firstBadNumber_) + ": \"" + first + "\")");
}

StraceDelta StraceImporter::takeEvents() {
  StraceImport& result = mapper_->result();
  StraceDelta delta;
  delta.events.swap(result.events);
  delta.firstLabel = labelsTaken_;
  delta.newLabels.assign(result.labels.begin() + static_cast<std::ptrdiff_t>(labelsTaken_),
                         result.labels.end());
  delta.newThreads.assign(result.threads.begin() + static_cast<std::ptrdiff_t>(threadsTaken_),
                          result.threads.end());
  labelsTaken_ = result.labels.size();
  threadsTaken_ = result.threads.size();
  return delta;
}

const StraceImportStats& StraceImporter::stats() const {
  return mapper_->result().stats;
}

void StraceImporter::noteSamples(int pid, int tid, std::int64_t tNs,
                                 std::span<const FdSample> samples) {
  mapper_->mapSamples(pid, tid, tNs, samples);
}

StraceImport StraceImporter::finish() {
  mapper_->finish();
  StraceImport& result = mapper_->result();
  if (nonEmptySeen_ == 0) {
    throw StraceImportError(options_.source + ": empty file, not an strace log (" +
                            std::to_string(result.stats.lines) + " lines)");
  }
  if (understood_ == 0) {
    const std::string first = result.badLines.empty() ? "" : result.badLines[0].text;
    throw StraceImportError(options_.source + ":" + std::to_string(firstBadNumber_) +
                            ": not an strace log: no line of it is one `strace -f -o` writes "
                            "(line " +
                            std::to_string(firstBadNumber_) + ": \"" + first + "\")");
  }
  return std::move(result);
}

namespace {

// Waits at most a tick for input, so a log that is still being written (a FIFO) leaves the
// loop time to see Ctrl-C.
bool readableSoon(int fd) {
  constexpr int kTickMs = 100;
  pollfd ready{fd, POLLIN, 0};
  return ::poll(&ready, 1, kTickMs) != 0;  // readable, at its end, or an error read() reports
}

}  // namespace

StraceImport importStraceFile(const std::string& path, StraceImportOptions options) {
  options.source = path;
  const FileCloser file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) throw StraceImportError("cannot open " + path + ": " + errnoText(errno));
  struct stat info {};
  if (::fstat(file.fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    throw StraceImportError(path + ": is a directory, not an strace log");
  }
  StraceImporter importer(options);
  StraceChunkLines lines(importer, options.maxLineBytes);
  std::string buffer(kReadChunk, '\0');
  const bool mayBlock = !S_ISREG(info.st_mode);  // a FIFO or a terminal: strace may be writing
  while (true) {
    throwIfInterrupted();  // a log can be endless (a FIFO, /dev/zero): Ctrl-C stops it here
    if (mayBlock && !readableSoon(file.fd)) continue;
    const ssize_t got = ::read(file.fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw StraceImportError("cannot read " + path + ": " + errnoText(errno));
    if (got == 0) break;
    lines.feed(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
  lines.end();
  return importer.finish();
}

}  // namespace eps
