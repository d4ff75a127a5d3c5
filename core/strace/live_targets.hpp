// What the window offers to trace live (core/strace/live_tracer.hpp): a command line typed in
// a text field, split into words the way a shell splits a simple one (no shell runs it), and
// the processes of this user that --attach could take, read from /proc.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eps {

// The words of `line`: split at unquoted blanks; '...' keeps everything literally, "..." keeps
// everything but \" \\ \$ \` (a backslash there escapes them), and an unquoted backslash
// escapes the next character. No expansion, no operators (a `|` is a word). `error` names an
// unclosed quote or a trailing backslash; the words are then empty.
std::vector<std::string> splitCommandLine(std::string_view line, std::string& error);

struct ProcessEntry {
  pid_t pid = 0;
  std::string command;  // /proc/PID/cmdline with spaces
};

// This user's processes other than `self` and its own children (epollscope, strace, a program
// it already traces), and other than kernel threads and zombies (no command line); at most
// `limit` of them, the newest (highest pids) first.
std::vector<ProcessEntry> ownProcesses(pid_t self, std::size_t limit);

}  // namespace eps
