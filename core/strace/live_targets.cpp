#include "core/strace/live_targets.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/strace/live_spawn.hpp"

namespace eps {
namespace {

bool isBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n';
}

// Inside "...", a backslash escapes only these (as POSIX sh says); elsewhere it stays.
bool escapableInDoubleQuotes(char c) {
  return c == '"' || c == '\\' || c == '$' || c == '`';
}

// The parent pid from /proc/PID/stat (after the command in parentheses), or -1.
pid_t parentOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat{std::istreambuf_iterator<char>(in), {}};
  const std::size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 4 >= stat.size()) return -1;
  return static_cast<pid_t>(std::atoi(stat.c_str() + close + 4));  // ") S PPID"
}

}  // namespace

std::vector<std::string> splitCommandLine(std::string_view line, std::string& error) {
  std::vector<std::string> words;
  std::string word;
  bool inWord = false;
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote == '\'') {
      if (c == '\'')
        quote = 0;
      else
        word += c;
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < line.size() && escapableInDoubleQuotes(line[i + 1])) {
        word += line[++i];
      } else {
        word += c;
      }
    } else if (isBlank(c)) {
      if (inWord) words.push_back(std::move(word));
      word.clear();
      inWord = false;
    } else {
      inWord = true;
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\') {
        if (i + 1 == line.size()) {
          error = "a backslash ends the command line: nothing for it to escape";
          return {};
        }
        word += line[++i];
      } else {
        word += c;
      }
    }
  }
  if (quote != 0) {
    error = std::string("unclosed ") + (quote == '\'' ? "single" : "double") + " quote";
    return {};
  }
  if (inWord) words.push_back(std::move(word));
  error.clear();
  return words;
}

std::vector<ProcessEntry> ownProcesses(pid_t self, std::size_t limit) {
  std::vector<ProcessEntry> found;
  const uid_t me = ::getuid();
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ignored)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    const auto pid = static_cast<pid_t>(std::atoi(name.c_str()));
    struct stat info {};
    // A process that ended meanwhile, or another user's: not a candidate.
    if (::stat(entry.path().c_str(), &info) != 0 || info.st_uid != me) continue;
    if (pid == self || parentOf(pid) == self) continue;
    // Kernel threads (root's kworkers) and zombies have no command line, and nothing strace
    // could attach to.
    std::string command = commandLineOf(pid);
    if (!command.empty()) found.push_back({pid, std::move(command)});
  }
  std::sort(found.begin(), found.end(),
            [](const ProcessEntry& a, const ProcessEntry& b) { return a.pid > b.pid; });
  if (found.size() > limit) found.resize(limit);
  return found;
}

}  // namespace eps
