// ThreadSanitizer keeps one record per descriptor *number* for the whole process: it assumes
// one descriptor table. The engine thread has its own (engine_fd_table.hpp), whose numbers
// the rest of the process uses too for other files, so TSan would read the engine's
// accept4() = 6 and a client's read(6, ...) as a data race "on file descriptor 6" between two
// unrelated files. While a guard lives, this thread's memory accesses are not recorded by
// TSan — for the engine, only around its descriptor calls: their bookkeeping of descriptor
// numbers is then left out, and so is what read() writes into the engine's own buffer. Every
// other access, and every lock and atomic, is still checked. Without TSan it is nothing.
#pragma once

#if defined(__SANITIZE_THREAD__)
extern "C" {
void AnnotateIgnoreReadsBegin(const char* file, int line);
void AnnotateIgnoreReadsEnd(const char* file, int line);
void AnnotateIgnoreWritesBegin(const char* file, int line);
void AnnotateIgnoreWritesEnd(const char* file, int line);
}
#endif

namespace eps {

// Ownership: a scope on the stack of the thread whose descriptor calls it hides.
class EngineTableCall {
 public:
#if defined(__SANITIZE_THREAD__)
  EngineTableCall() {
    AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
    AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
  }
  ~EngineTableCall() {
    AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
    AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
  }
#else
  EngineTableCall() {}   // user-provided: a guard is never an "unused variable"
  ~EngineTableCall() {}  // NOLINT(modernize-use-equals-default)
#endif
  EngineTableCall(const EngineTableCall&) = delete;
  EngineTableCall& operator=(const EngineTableCall&) = delete;
};

}  // namespace eps
