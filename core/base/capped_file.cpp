#include "core/base/capped_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/base/input_limits.hpp"

namespace eps {
namespace {

// Closes the file on every way out.
struct FileCloser {
  int fd;
  ~FileCloser() {
    if (fd >= 0) ::close(fd);
  }
};

std::string tooLarge(std::size_t capBytes, std::string_view what, std::string_view how) {
  return "larger than " + std::to_string(mebibytes(capBytes)) + " MiB, the most a " +
         std::string(what) + " may be (" + std::string(how) + ")";
}

}  // namespace

CappedRead readCappedFile(const std::string& path, std::size_t capBytes, std::string_view what) {
  CappedRead out;
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
  const FileCloser file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (file.fd < 0) {
    out.error = "cannot open the " + std::string(what) + ": " + std::strerror(errno);
    return out;
  }
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) {
    out.error = std::string("cannot read: ") + std::strerror(errno);
    return out;
  }
  if (S_ISDIR(info.st_mode)) {
    out.error = "is a directory, not a " + std::string(what);
    return out;
  }
  if (S_ISREG(info.st_mode) && static_cast<std::uint64_t>(info.st_size) > capBytes) {
    out.error = tooLarge(capBytes, what, "refused without reading it");
    return out;
  }
  // Blocking again, so a pipe whose writer is still writing is read, not taken as empty.
  ::fcntl(file.fd, F_SETFL, ::fcntl(file.fd, F_GETFL) & ~O_NONBLOCK);
  std::string text(capBytes + 1, '\0');  // one byte past the cap tells "more" from "exactly"
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::read(file.fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out.error = std::string("cannot read: ") + std::strerror(errno);
      return out;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > capBytes) {
    out.error = tooLarge(capBytes, what, "reading stopped there");
    return out;
  }
  text.resize(got);
  out.text = std::move(text);
  return out;
}

}  // namespace eps
