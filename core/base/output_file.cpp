// Writing a file whole or not at all (see output_file.hpp for the rules and why).
#include "core/base/output_file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

namespace eps {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 16;
constexpr int kNameAttempts = 16;      // EEXIST on a fresh random name: someone else's file
constexpr std::size_t kMaxStem = 200;  // keeps ".STEM.RANDOM.partial" under NAME_MAX (255)

// A stream buffer over a file descriptor that checks every write(2). The first failure is kept
// (its errno) and every later write refused, so a full disk stops a large export at once and
// the ostream reports badbit. Owned by one writeOutputFile call, on its thread.
class CheckedFdBuf final : public std::streambuf {
 public:
  explicit CheckedFdBuf(int fd) : fd_(fd), buffer_(kBufferBytes) { resetPut(); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  void resetPut() { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  bool drain() {
    if (error_ != 0) return false;
    const char* next = pbase();
    std::size_t left = static_cast<std::size_t>(pptr() - pbase());
    while (left > 0) {
      const ssize_t n = ::write(fd_, next, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {  // 0 for a non-empty write: the file cannot grow (treated as full)
        error_ = n < 0 ? errno : ENOSPC;
        return false;
      }
      next += n;
      left -= static_cast<std::size_t>(n);
    }
    resetPut();
    return true;
  }

  int fd_;
  std::vector<char> buffer_;
  int error_ = 0;
};

// Runs `fill` into `fd`; returns 0 or the errno of the first failed write.
int fillFd(int fd, const std::function<void(std::ostream&)>& fill) {
  CheckedFdBuf buffer(fd);
  std::ostream out(&buffer);
  fill(out);
  out.flush();
  if (buffer.error() != 0) return buffer.error();
  return out ? 0 : EIO;  // a stream failure that was no write(2): say I/O error
}

std::string reason(int error) {
  return std::strerror(error);
}

std::string folderOf(const std::string& path) {
  const std::string folder = std::filesystem::path(path).parent_path().string();
  return folder.empty() ? "." : folder;
}

std::string kindProblem(mode_t mode) {
  if (S_ISLNK(mode)) {
    return "is a symbolic link; refused (name the file it points to: replacing a link, or "
           "writing through one, is never done)";
  }
  if (S_ISDIR(mode)) return "is a directory";
  const char* kind = S_ISCHR(mode)    ? "a character device"
                     : S_ISBLK(mode)  ? "a block device"
                     : S_ISFIFO(mode) ? "a FIFO"
                     : S_ISSOCK(mode) ? "a socket"
                                      : "not a regular file";
  return std::string("is ") + kind + "; refused (only a regular file is replaced)";
}

std::string folderProblem(const std::string& folder) {
  struct stat info {};
  if (::stat(folder.c_str(), &info) != 0) return "folder " + folder + ": " + reason(errno);
  if (!S_ISDIR(info.st_mode)) return "folder " + folder + ": " + reason(ENOTDIR);
  if (::faccessat(AT_FDCWD, folder.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
    return "folder " + folder + ": " + reason(errno);
  }
  return "";
}

std::string randomHex() {
  unsigned char bytes[8] = {};
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    // No entropy source: still unpredictable enough with the clock's low bits, and O_EXCL
    // keeps it safe whatever the name.
    const auto now =
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    std::memcpy(bytes, &now, sizeof bytes);
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char byte : bytes) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xf];
  }
  return hex;
}

// A temporary file beside the target, removed when this goes away unless kept.
class Temporary {
 public:
  // Creates it; on failure fd() < 0 and error() says why.
  explicit Temporary(const std::string& target) {
    const std::string stem = std::filesystem::path(target).filename().string().substr(0, kMaxStem);
    for (int attempt = 0; attempt < kNameAttempts && fd_ < 0; ++attempt) {
      path_ = folderOf(target) + "/." + stem + "." + randomHex() + ".partial";
      fd_ = createNewFile(path_);
      if (fd_ < 0 && errno != EEXIST) break;
    }
    if (fd_ < 0) {
      error_ = errno;
      path_.clear();  // whatever is at that name is not ours to remove
    }
  }
  ~Temporary() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty() && !kept_) ::unlink(path_.c_str());
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;

  int fd() const { return fd_; }
  int error() const { return error_; }
  const std::string& path() const { return path_; }
  // Closes the descriptor; 0 or the errno close(2) reported (deferred write errors).
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result == 0 ? 0 : errno;
  }
  void keep() { kept_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  int error_ = 0;
  bool kept_ = false;
};

std::string writeStdout(const std::function<void(std::ostream&)>& fill) {
  std::cout.flush();  // lines already printed come first
  if (const int error = fillFd(STDOUT_FILENO, fill); error != 0) return reason(error);
  return "";
}

// The new file's mode: the old one's, when there is one (a private file stays private).
void keepMode(const std::string& target, int fd) {
  struct stat old {};
  if (::lstat(target.c_str(), &old) == 0 && S_ISREG(old.st_mode)) {
    ::fchmod(fd, old.st_mode & 07777);
  }
}

// After the rename: the folder's entry made durable. Its failure is not reported: the new
// file is already in place and complete, and saying "cannot write" now would be false.
void syncFolder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string outputPathProblem(const std::string& path, const OutputOptions& options) {
  if (path.empty()) return "no file name";
  if (path == "-") {
    return options.allowStdout ? "" : "standard output (-) is not allowed here; name a file";
  }
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0) {
    if (!S_ISREG(info.st_mode)) return kindProblem(info.st_mode);
  } else if (errno != ENOENT) {
    return reason(errno);
  }
  return folderProblem(folderOf(path));
}

std::string writeOutputFile(const std::string& path, const std::function<void(std::ostream&)>& fill,
                            const OutputOptions& options) {
  if (std::string problem = outputPathProblem(path, options); !problem.empty()) return problem;
  if (path == "-") return writeStdout(fill);
  Temporary temporary(path);
  if (temporary.fd() < 0) {
    return "cannot create a file in " + folderOf(path) + ": " + reason(temporary.error());
  }
  keepMode(path, temporary.fd());
  if (const int error = fillFd(temporary.fd(), fill); error != 0) return reason(error);
  if (options.durable && ::fsync(temporary.fd()) != 0) return reason(errno);
  if (const int error = temporary.close(); error != 0) return reason(error);
  if (::rename(temporary.path().c_str(), path.c_str()) != 0) return reason(errno);
  temporary.keep();  // it is the target now
  if (options.durable) syncFolder(folderOf(path));
  return "";
}

int createNewFile(const std::string& path) {
  // 0666: the umask decides, as for any new file.
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
}

std::string outputFailure(const std::string& what, const std::string& path,
                          const std::string& reason) {
  return "cannot write " + (what.empty() ? "" : what + " ") + path + ": " + reason;
}

}  // namespace eps
