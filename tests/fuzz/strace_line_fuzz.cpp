// Fuzz target: the strace line parser (core/strace/line.cpp) and the argument readers of the
// importer (core/strace/parse.cpp). Each line of the input is parsed, joined across
// unfinished/resumed halves, and every argument of every call goes through each reader. They
// must never throw, and the joiner must read each line as the parser alone does.
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/strace/joiner.hpp"
#include "core/strace/line.hpp"
#include "core/strace/parse.hpp"
#include "tests/fuzz/fuzz_target.hpp"

namespace {

using eps::fuzz::require;

void readArgument(std::string_view arg) {
  eps::leadingFd(arg);
  eps::peerPort(eps::fdDecoration(arg));
  eps::parseInteger(arg);
  eps::timespecMillis(arg);
  std::uint32_t mask = 0;
  std::uint64_t data = 0;
  eps::parseEpollEvent(arg, mask, data);
  eps::forEachEpollEvent(arg, [](std::uint32_t, std::uint64_t) {});
  eps::socketFlags(arg);
  eps::sinPort(arg);
  eps::shutdownHow(arg);
  eps::straceErrno(arg);
}

void readCall(const eps::StraceCall& call) {
  for (const std::string& arg : call.args) readArgument(arg);
  for (const std::string& arg : eps::splitStraceArgs(call.argsText)) readArgument(arg);
  eps::peerPort(call.retDecoration);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = eps::fuzz::asText(data, size);
  eps::StraceJoiner joiner;
  std::vector<eps::StraceCall> calls;
  std::uint64_t lines = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    const eps::StraceLine parsed = eps::parseStraceLine(line);
    if (parsed.kind == eps::StraceLineKind::Syscall) readCall(parsed.call);
    require(joiner.feed(line, calls) == parsed.kind, "the joiner and the parser disagree");
    ++lines;
  }
  joiner.finish(calls);
  require(joiner.lines() == lines, "the joiner counted other lines than it was fed");
  for (const eps::StraceCall& call : calls) readCall(call);
  return 0;
}
