// The data-moving calls: the read and write families, and splice, tee, sendfile and
// copy_file_range, which move bytes between two fds. Each becomes a Read or a Write with the
// bytes it asked for (a) and moved, counted in the stats, and tells the inference that the
// wakeup did something (a wakeup that moved bytes is never part of a busy run).
#include <algorithm>

#include "core/strace/mapper.hpp"
#include "core/strace/parse.hpp"

namespace eps {
namespace {

std::string_view argAt(const StraceCall& call, std::size_t index) {
  return index < call.args.size() ? std::string_view(call.args[index]) : std::string_view();
}

// The sum of the `key` numbers in `text` ("iov_len=", "msg_len="); -1 when there is none, 0
// (unknown) when strace cut the array short (", ...]"): the entries it left out are not counted.
std::int64_t sumOf(std::string_view text, std::string_view key) {
  if (text.find(", ...]") != std::string_view::npos) return 0;
  std::int64_t total = -1;
  for (std::size_t at = text.find(key); at != std::string_view::npos;
       at = text.find(key, at + key.size())) {
    std::size_t end = at + key.size();
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    total = std::max<std::int64_t>(total, 0) +
            parseInteger(text.substr(at + key.size(), end - at - key.size())).value_or(0);
  }
  return total;
}

// A -yy decoration of a socket: "TCP:[...]", "UDPv6:[...]", "UNIX-STREAM:[...]", "socket:[...]".
bool isSocket(std::string_view decoration) {
  return decoration.starts_with("TCP") || decoration.starts_with("UDP") ||
         decoration.starts_with("UNIX") || decoration.starts_with("socket:") ||
         decoration.starts_with("NETLINK");
}

struct DataArgs {
  std::size_t fd = 0;     // the argument holding the fd the event is on
  std::size_t other = 0;  // splice, tee, sendfile, copy_file_range: the other fd's argument
  std::size_t size = 2;   // the argument holding the size asked
  bool iovec = false;     // the size is an iovec's (or msghdr's) total
  bool twoFds = false;
};

DataArgs argsOf(CallVariant variant, const StraceCall& call) {
  switch (variant) {
    case CallVariant::Readv:
    case CallVariant::Preadv:
    case CallVariant::Recvmsg:
    case CallVariant::Recvmmsg:
    case CallVariant::Writev:
    case CallVariant::Pwritev:
    case CallVariant::Sendmsg:
    case CallVariant::Sendmmsg:
      return {0, 0, 1, true, false};
    case CallVariant::Sendfile:  // sendfile(out, in, offset, count)
      return {0, 1, 3, false, true};
    case CallVariant::Tee:     // tee(in, out, len, flags)
    case CallVariant::Splice:  // splice(in, off_in, out, off_out, len, flags)
    case CallVariant::CopyFileRange: {
      const bool tee = variant == CallVariant::Tee;
      const std::size_t in = 0, out = tee ? 1 : 2;
      // Bytes taken from a socket are that socket's read; otherwise they fill `out`.
      const bool fromSocket = isSocket(fdDecoration(argAt(call, in)));
      return {fromSocket ? in : out, fromSocket ? out : in, tee ? 2u : 4u, false, true};
    }
    default:  // read, pread64, recv, recvfrom, write, pwrite64, send, sendto: (fd, buf, count)
      return {0, 0, 2, false, false};
  }
}

}  // namespace

void StraceMapper::mapDataCall(const StraceCall& call, TraceEvent& event) {
  const auto variant = static_cast<CallVariant>(event.op);
  const DataArgs args = argsOf(variant, call);
  if (args.twoFds && variant != CallVariant::Sendfile) {
    event.call = args.fd == 0 ? Call::Read : Call::Write;
  }
  event.fd = leadingFd(argAt(call, args.fd));
  if (args.twoFds) event.b = leadingFd(argAt(call, args.other));
  event.conn = fdLabel(keyOf(call.pid, event.fd), fdDecoration(argAt(call, args.fd)));
  event.a = args.iovec ? std::max<std::int64_t>(sumOf(argAt(call, args.size), "iov_len="), 0)
                       : parseInteger(argAt(call, args.size)).value_or(0);
  StraceImportStats& stats = result_.stats;
  if (variant == CallVariant::Recvmmsg || variant == CallVariant::Sendmmsg) {
    event.c = sumOf(argAt(call, 1), "msg_len=");  // the result counts messages, not bytes
    if (event.ret > 0 && event.c < 0) ++stats.mmsgBytesUnknown;
  }
  emit(event);
  const std::int64_t bytes = bytesMoved(event);
  if (event.call == Call::Read) {
    ++stats.readCalls;
    stats.bytesIn += static_cast<std::uint64_t>(bytes);
    inference_.onInput(event.thread, keyOf(call.pid, event.fd), event.conn, event.ret, false);
  } else {
    ++stats.writeCalls;
    stats.bytesOut += static_cast<std::uint64_t>(bytes);
    inference_.onOutput(event.thread, event.ret);
  }
}

}  // namespace eps
