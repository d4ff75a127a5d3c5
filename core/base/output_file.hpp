// The one way epollscope writes a file: sessions, Chrome trace JSON, CSV, screenshots, the
// window's layout and --state-out all go through writeOutputFile.
//
// A file is written whole or not at all. The bytes go to a temporary file in the target's own
// folder (so rename() cannot cross file systems), created with O_CREAT|O_EXCL|O_NOFOLLOW under
// an unpredictable name: a link planted in a shared folder is refused, never followed. Every
// write's result is checked, the file is fsync'd and closed (close reports NFS and quota errors
// too), then renamed over the target. On any failure the temporary is removed and the previous
// target is left as it was.
//
// Only regular files are replaced. A target that is a symbolic link is refused rather than
// followed or replaced: following it writes wherever the link points (a link in a shared
// folder makes that an attack), replacing it silently turns the link into a file. A device
// node, FIFO, socket or folder is refused too: renaming over /dev/null as root would replace
// the device. "-" stands for standard output where the caller allows it; its writes are
// checked the same way (a full disk behind a redirection is still an error).
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace eps {

struct OutputOptions {
  bool allowStdout = false;  // "-" means standard output
  // fsync the file before the rename and its folder after: a power cut leaves the old file or
  // the new one. Off for files rewritten every frame (--state-out), where it costs a disk flush
  // per frame and a lost frame does not matter.
  bool durable = true;
};

// Why `path` cannot be written, or "" when it can: "-" (if allowed), or a path whose folder
// exists and is writable and whose target is absent or a regular file. Called before a long
// run, so a bad path fails at once rather than after it; writeOutputFile checks again.
std::string outputPathProblem(const std::string& path, const OutputOptions& options = {});

// Writes `path` through `fill`, as described above. Returns "" on success, else the reason
// (a refusal from outputPathProblem, or strerror of the call that failed). An exception from
// `fill` removes the temporary and propagates.
std::string writeOutputFile(const std::string& path, const std::function<void(std::ostream&)>& fill,
                            const OutputOptions& options = {});

// Creates `path` as a new file open for writing (O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, mode
// 0666 less the umask): -1 with errno EEXIST when anything is there already, a dangling
// symbolic link included, so a planted name is never followed or reused.
int createNewFile(const std::string& path);

// The one line a failed output is reported with: "cannot write WHAT PATH: REASON" (`what`,
// e.g. "--csv-out", may be empty).
std::string outputFailure(const std::string& what, const std::string& path,
                          const std::string& reason);

}  // namespace eps
