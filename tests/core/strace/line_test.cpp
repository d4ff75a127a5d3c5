// The strace line parser: the fidelity test compares its output with the trace, and the
// importer reads users' logs through it. Real lines (ECOSYSTEM.md §2) and a real log made at
// test time; malformed lines must be reported, never crash.
#include "core/strace/joiner.hpp"
#include "core/strace/line.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

namespace eps {
namespace {

// Lines captured with `strace -f -tt -T -yy` on Debian 12 (ECOSYSTEM.md §2), in file order.
const std::vector<std::string> kSampleLines = {
    R"(5114  17:19:10.653897 epoll_create1(EPOLL_CLOEXEC) = 4<anon_inode:[eventpoll]> <0.000015>)",
    R"(5114  17:19:10.653990 epoll_ctl(4<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, 3<TCP:[127.0.0.1:5555]>, {events=EPOLLIN, data={u32=3, u64=3}}) = 0 <0.000015>)",
    R"(5114  17:19:10.654044 epoll_wait(4<anon_inode:[eventpoll]>, [], 64, 1000) = 0 <1.000614>)",
    R"(5114  17:19:11.658028 epoll_wait(4<anon_inode:[eventpoll]>, [{events=EPOLLIN, data={u32=3, u64=3}}], 64, 1000) = 1 <0.688558>)",
    R"(5114  17:19:12.346747 accept4(3<TCP:[127.0.0.1:5555]>, NULL, NULL, SOCK_CLOEXEC|SOCK_NONBLOCK) = 5<TCP:[127.0.0.1:5555->127.0.0.1:59808]> <0.000019>)",
    R"(5114  17:19:12.348664 epoll_ctl(4<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, 5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>, {events=EPOLLIN|EPOLLRDHUP|EPOLLET, data={u32=5, u64=5}}) = 0 <0.000017>)",
    R"(5114  17:19:12.348950 read(5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>, "hello\n", 65536) = 6 <0.000053>)",
    R"(5114  17:19:12.349037 write(5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>, "hello\n", 6) = 6 <0.000025>)",
    R"(5114  17:19:12.400221 epoll_wait(4<anon_inode:[eventpoll]>, [{events=EPOLLIN|EPOLLRDHUP, data={u32=5, u64=5}}], 64, 1000) = 1 <0.053881>)",
    R"(5114  17:19:12.454903 read(5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>, "", 65536) = 0 <0.000020>)",
    R"(5114  17:19:12.455431 epoll_ctl(4<anon_inode:[eventpoll]>, EPOLL_CTL_DEL, 5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>, NULL) = 0 <0.000163>)",
    R"(5114  17:19:12.456052 close(5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>) = 0 <0.000233>)",
    R"(5672  17:19:24.170037 epoll_ctl(4<anon_inode:[eventpoll]>, EPOLL_CTL_MOD, 6<TCP:[127.0.0.1:5601->127.0.0.1:33736]>, {events=EPOLLIN|EPOLLOUT, data={u32=6, u64=6}}) = 0 <0.000013>)",
    R"(5672  17:19:24.169868 write(6<TCP:[127.0.0.1:5601->127.0.0.1:33736]>, "xxxxxxxxxxxxxxxx"..., 65536) = 6144 <0.000022>)",
    R"(11406 1795368575.852634 epoll_pwait(3<anon_inode:[eventpoll]>, [], 4, 0, NULL, 8) = 0 <0.000012>)",
    R"(5114  17:19:12.348766 accept4(3<TCP:[127.0.0.1:5555]>, NULL, NULL, SOCK_CLOEXEC|SOCK_NONBLOCK) = -1 EAGAIN (Resource temporarily unavailable) <0.000016>)",
    R"(5114  17:19:12.349180 read(5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>, 0x7ffed19cff20, 65536) = -1 EAGAIN (Resource temporarily unavailable) <0.000013>)",
    R"(5672  17:19:24.170414 write(6<TCP:[127.0.0.1:5601->127.0.0.1:33736]>, "xxxxxxxxxxxxxxxx"..., 91136) = -1 EAGAIN (Resource temporarily unavailable) <0.000013>)",
    R"(11406 1795368574.851592 epoll_wait(3<anon_inode:[eventpoll]>, 0x7ffe3edd1500, 4, -1) = -1 EINTR (Interrupted system call) <1.000606>)",
    R"(11406 1795368575.852780 close(3)        = -1 EBADF (Bad file descriptor) <0.000012>)",
    R"(5671  17:29:27.577133 <... read resumed>0x7ffd09b5eae0, 300000) = ? ERESTARTSYS (To be restarted if SA_RESTART is set) <603.306608>)",
    R"(5672  17:19:24.064483 epoll_wait(4<anon_inode:[eventpoll]>,  <unfinished ...>)",
    R"(5671  17:19:24.162360 connect(5<TCP:[14787]>, {sa_family=AF_INET, sin_port=htons(5601), sin_addr=inet_addr("127.0.0.1")}, 16) = 0 <0.000277>)",
    R"(5672  17:19:24.164077 <... epoll_wait resumed>[{events=EPOLLIN, data={u32=3, u64=3}}], 16, 200) = 1 <0.099577>)",
    R"(5672  17:19:24.164164 accept4(3<TCP:[127.0.0.1:5601]>, NULL, NULL, SOCK_CLOEXEC|SOCK_NONBLOCK <unfinished ...>)",
    R"(5672  17:19:24.165785 <... accept4 resumed>) = 6<TCP:[127.0.0.1:5601->127.0.0.1:33736]> <0.001602>)",
    R"(5672  17:29:27.577486 <... epoll_wait resumed> <unfinished ...>) = ?)",
    R"([pid 17027] 17:48:23.288511 <... epoll_wait resumed>[], 4, 100) = 0 <0.100227>)",
    R"(11406 1795368575.852404 --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---)",
    R"(5671  17:29:27.577308 --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=11356, si_uid=0} ---)",
    R"(5114  17:19:12.457933 exit_group(0)     = ?)",
    R"(5114  17:19:12.459275 +++ exited with 0 +++)",
    R"(5672  17:29:27.579011 +++ killed by SIGTERM +++)",
};

StraceCall callOf(const std::string& line) {
  const StraceLine parsed = parseStraceLine(line);
  EXPECT_EQ(parsed.kind, StraceLineKind::Syscall) << line;
  return parsed.call;
}

TEST(Strace, EverySampleLineIsUnderstood) {
  for (const std::string& line : kSampleLines) {
    EXPECT_NE(parseStraceLine(line).kind, StraceLineKind::NotUnderstood) << line;
  }
}

TEST(Strace, CompleteCallWithDecoratedResultAndDuration) {
  const StraceCall call = callOf(kSampleLines[0]);
  EXPECT_EQ(call.pid, 5114);
  EXPECT_EQ(call.tsNs, ((17LL * 60 + 19) * 60 + 10) * 1'000'000'000 + 653'897'000);
  EXPECT_NEAR(call.tsSeconds, 17 * 3600 + 19 * 60 + 10.653897, 1e-6);
  EXPECT_EQ(call.name, "epoll_create1");
  EXPECT_EQ(call.args, std::vector<std::string>{"EPOLL_CLOEXEC"});
  EXPECT_EQ(call.ret, 4);
  EXPECT_EQ(call.err, 0);
  EXPECT_EQ(call.durNs, 15'000);
  EXPECT_DOUBLE_EQ(call.durSeconds, 0.000015);
  EXPECT_FALSE(call.unfinished);
  EXPECT_FALSE(call.resumed);
}

TEST(Strace, ArgumentsSplitAtTopLevelCommasOnly) {
  const StraceCall ctl = callOf(kSampleLines[5]);
  ASSERT_EQ(ctl.args.size(), 4u);
  EXPECT_EQ(ctl.args[0], "4<anon_inode:[eventpoll]>");
  EXPECT_EQ(ctl.args[1], "EPOLL_CTL_ADD");
  EXPECT_EQ(ctl.args[2], "5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>");
  EXPECT_EQ(ctl.args[3], "{events=EPOLLIN|EPOLLRDHUP|EPOLLET, data={u32=5, u64=5}}");
  const StraceCall accept = callOf(kSampleLines[4]);
  EXPECT_EQ(accept.args.size(), 4u);
  EXPECT_EQ(accept.ret, 5);  // the decoration after the value holds '>' in "->"
  const StraceCall read = callOf(kSampleLines[6]);
  ASSERT_EQ(read.args.size(), 3u);
  EXPECT_EQ(read.args[1], R"("hello\n")");
  EXPECT_EQ(read.ret, 6);
  const StraceCall write = callOf(kSampleLines[13]);
  ASSERT_EQ(write.args.size(), 3u);
  EXPECT_EQ(write.args[1], R"("xxxxxxxxxxxxxxxx"...)");
  EXPECT_EQ(write.args[2], "65536");
  const StraceCall connect = callOf(kSampleLines[22]);
  ASSERT_EQ(connect.args.size(), 3u);
  EXPECT_EQ(connect.args[1],
            R"({sa_family=AF_INET, sin_port=htons(5601), sin_addr=inet_addr("127.0.0.1")})");
  const StraceCall empty = callOf(kSampleLines[2]);
  EXPECT_EQ(empty.args,
            (std::vector<std::string>{"4<anon_inode:[eventpoll]>", "[]", "64", "1000"}));
  // Quotes hide commas, brackets and parentheses.
  EXPECT_EQ(callOf(R"(write(1, "a, b) = [c", 9) = 9)").args,
            (std::vector<std::string>{"1", R"("a, b) = [c")", "9"}));
  EXPECT_EQ(callOf(R"(write(1, "q\"uote, \\", 9) = 9)").args.size(), 3u);
  EXPECT_TRUE(callOf("getpid()          = 4032").args.empty());
}

TEST(Strace, ErrorsCarryTheirNameAndNumber) {
  const StraceCall accept = callOf(kSampleLines[15]);
  EXPECT_EQ(accept.ret, -1);
  EXPECT_EQ(accept.errName, "EAGAIN");
  EXPECT_EQ(accept.err, EAGAIN);
  EXPECT_EQ(accept.durNs, 16'000);
  const StraceCall wait = callOf(kSampleLines[18]);
  EXPECT_EQ(wait.err, EINTR);
  EXPECT_EQ(wait.tsNs, 1795368574'851592000LL);       // -ttt, exact
  const StraceCall close = callOf(kSampleLines[19]);  // padded to column 40 before '='
  EXPECT_EQ(close.args, std::vector<std::string>{"3"});
  EXPECT_EQ(close.err, EBADF);
  const StraceCall restart = callOf(kSampleLines[20]);
  EXPECT_TRUE(restart.resumed);
  EXPECT_FALSE(restart.ret.has_value());
  EXPECT_EQ(restart.errName, "ERESTARTSYS");
  EXPECT_EQ(restart.err, 512);
  EXPECT_EQ(restart.durNs, 603'306'608'000);
  // Names outside the project's table still get their number.
  EXPECT_EQ(callOf("wait4(-1, 0x7ffd385a926c, WNOHANG, NULL) = -1 ECHILD (No child processes)").err,
            ECHILD);
  EXPECT_EQ(straceErrno("ERESTARTNOHAND"), 514);
  EXPECT_FALSE(straceErrno("ENOTANERRNO").has_value());
}

TEST(Strace, UnfinishedResumedSignalAndExitLines) {
  const StraceLine unfinished = parseStraceLine(kSampleLines[21]);
  EXPECT_TRUE(unfinished.unfinished);
  EXPECT_EQ(unfinished.call.name, "epoll_wait");
  EXPECT_EQ(unfinished.call.args, std::vector<std::string>{"4<anon_inode:[eventpoll]>"});
  EXPECT_FALSE(unfinished.call.ret.has_value());
  const StraceLine died = parseStraceLine(kSampleLines[26]);
  EXPECT_TRUE(died.resumed);
  EXPECT_EQ(died.call.name, "epoll_wait");
  EXPECT_TRUE(died.call.args.empty());
  EXPECT_FALSE(died.call.ret.has_value());
  const StraceLine bracketed = parseStraceLine(kSampleLines[27]);
  EXPECT_EQ(bracketed.pid, 17027);
  EXPECT_EQ(bracketed.call.ret, 0);
  const StraceLine signal = parseStraceLine(kSampleLines[28]);
  EXPECT_EQ(signal.kind, StraceLineKind::Signal);
  EXPECT_EQ(signal.text, "SIGALRM");
  EXPECT_EQ(signal.pid, 11406);
  const StraceCall exitGroup = callOf(kSampleLines[30]);
  EXPECT_EQ(exitGroup.name, "exit_group");
  EXPECT_FALSE(exitGroup.ret.has_value());
  const StraceLine exited = parseStraceLine(kSampleLines[31]);
  EXPECT_EQ(exited.kind, StraceLineKind::Exit);
  EXPECT_EQ(exited.text, "exited with 0");
  EXPECT_EQ(parseStraceLine(kSampleLines[32]).text, "killed by SIGTERM");
  EXPECT_EQ(parseStraceLine("strace: Process 4033 attached").kind, StraceLineKind::Info);
  EXPECT_EQ(parseStraceLine("[ Process PID=4033 runs in 32 bit mode. ]").kind,
            StraceLineKind::Info);
}

TEST(Strace, PrefixVariants) {
  // No -f: no pid column; -ttt only; ns precision; no timestamp at all.
  StraceLine line = parseStraceLine("1795368574.851472 read(3, \"\", 10) = 0");
  EXPECT_EQ(line.kind, StraceLineKind::Syscall);
  EXPECT_EQ(line.pid, 0);
  EXPECT_EQ(line.tsNs, 1795368574'851472000LL);
  line = parseStraceLine("4032  17:19:10.123456789 close(3) = 0 <0.000001234>");
  EXPECT_EQ(line.tsNs % 1'000'000'000, 123'456'789);
  EXPECT_EQ(line.call.durNs, 1234);
  line = parseStraceLine("close(3) = 0");
  EXPECT_EQ(line.kind, StraceLineKind::Syscall);
  EXPECT_EQ(line.tsNs, -1);
  EXPECT_EQ(line.call.durNs, -1);
  line = parseStraceLine("4032  close(3) = 0\r");
  EXPECT_EQ(line.pid, 4032);
  EXPECT_EQ(line.call.ret, 0);
}

TEST(Strace, LeadingFdAndDecoration) {
  EXPECT_EQ(leadingFd("5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>"), 5);
  EXPECT_EQ(leadingFd("5"), 5);
  EXPECT_EQ(leadingFd(" 12 "), 12);
  EXPECT_EQ(leadingFd("AT_FDCWD</tmp>"), -1);
  EXPECT_EQ(leadingFd("NULL"), -1);
  EXPECT_EQ(leadingFd("0x7ffe"), -1);
  EXPECT_EQ(leadingFd(""), -1);
  EXPECT_EQ(leadingFd("99999999999999999999"), -1);
  EXPECT_EQ(fdDecoration("5<TCP:[127.0.0.1:5555->127.0.0.1:59808]>"),
            "TCP:[127.0.0.1:5555->127.0.0.1:59808]");
  EXPECT_EQ(fdDecoration("3</dev/null<char 1:3>>"), "/dev/null<char 1:3>");
  EXPECT_EQ(fdDecoration("3"), "");
  EXPECT_EQ(fdDecoration("3<broken"), "");
}

TEST(Strace, JoinerPairsUnfinishedAndResumedPerPid) {
  StraceJoiner joiner;
  std::vector<StraceCall> calls;
  for (const std::string& line : kSampleLines) joiner.feed(line, calls);
  joiner.finish(calls);
  EXPECT_EQ(joiner.notUnderstood(), 0u);
  EXPECT_EQ(joiner.lines(), kSampleLines.size());
  const auto find = [&](const std::string& name, std::int64_t tsNs) -> const StraceCall* {
    for (const StraceCall& call : calls) {
      if (call.name == name && call.tsNs == tsNs) return &call;
    }
    return nullptr;
  };
  constexpr std::int64_t k171924 = ((17LL * 60 + 19) * 60 + 24) * 1'000'000'000;
  const StraceCall* wait = find("epoll_wait", k171924 + 64'483'000);  // the unfinished start
  ASSERT_NE(wait, nullptr);
  EXPECT_TRUE(wait->resumed);
  EXPECT_FALSE(wait->unfinished);
  EXPECT_EQ(wait->pid, 5672);
  EXPECT_EQ(wait->ret, 1);
  EXPECT_EQ(wait->durNs, 99'577'000);
  EXPECT_EQ(wait->args,
            (std::vector<std::string>{"4<anon_inode:[eventpoll]>",
                                      "[{events=EPOLLIN, data={u32=3, u64=3}}]", "16", "200"}));
  const StraceCall* accept = find("accept4", k171924 + 164'164'000);
  ASSERT_NE(accept, nullptr);
  EXPECT_EQ(accept->ret, 6);
  EXPECT_EQ(accept->args.size(), 4u);
  EXPECT_EQ(accept->args[3], "SOCK_CLOEXEC|SOCK_NONBLOCK");
  // The connect of another pid between the two halves comes out first.
  const auto position = [&](const StraceCall* call) { return call - calls.data(); };
  const StraceCall* connect = find("connect", k171924 + 162'360'000);
  ASSERT_NE(connect, nullptr);
  EXPECT_LT(position(connect), position(wait));
  // Resumed lines whose start is not in the log still come out, with what they carry.
  const StraceCall* orphan =
      find("epoll_wait", ((17LL * 60 + 48) * 60 + 23) * 1'000'000'000 + 288'511'000);
  ASSERT_NE(orphan, nullptr);
  EXPECT_EQ(orphan->args, (std::vector<std::string>{"[]", "4", "100"}));
}

TEST(Strace, JoinerFlushesCallsThatNeverResume) {
  StraceJoiner joiner;
  std::vector<StraceCall> calls;
  joiner.feed("7  1.000000 rt_sigsuspend([], 8 <unfinished ...>", calls);
  joiner.feed("8  2.000000 read(3,  <unfinished ...>", calls);
  EXPECT_TRUE(calls.empty());
  joiner.feed("7  3.000000 +++ killed by SIGKILL +++", calls);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].name, "rt_sigsuspend");
  EXPECT_TRUE(calls[0].unfinished);
  joiner.finish(calls);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].name, "read");
  EXPECT_TRUE(calls[1].unfinished);
  EXPECT_EQ(calls[1].args, std::vector<std::string>{"3"});
}

TEST(Strace, MalformedLinesAreNotUnderstood) {
  const std::vector<std::string> corpus = {
      "",
      "   ",
      "garbage",
      "5114",
      "5114  ",
      "5114  17:19:10.653897",
      "5114  17:19:10.653897 ",
      "read(",
      "read(3",
      R"(read(3, "abc)",
      "read(3) =",
      "read(3) = ",
      "read(3) = abc",
      "read(3) = 5 <0.0001",
      "read(3) = 5 <abc>",
      "read(3) = 5 trailing junk",
      "read(3)) = 1",
      "read(3] = 1",
      "read(3) 5",
      "read(3) = -",
      "read 3 = 1",
      "(3) = 1",
      "[pid 12",
      "[pid abc] read(3) = 1",
      "<... read resumed",
      "<... read resumed>",
      "<... read resumed>3",
      "<... resumed>) = 1",
      "--- SIGINT",
      "+++ exited",
      "epoll_ctl(4<anon_inode:[eventpoll], 1) = 0",
      "close(3) = 0 <unfinished ...>",
      "read(3, <unfinished ...> trailing",
      "}{",
      ")",
      "=",
      std::string("\x00\x01\x02\xff\xfe", 5),
      "read(3, \"\xff\xfe\x00\", 3) = 3 \x01",
      "\xe2\x9c\x93(1) = 1",
  };
  for (const std::string& line : corpus) {
    const StraceLine parsed = parseStraceLine(line);
    EXPECT_EQ(parsed.kind, StraceLineKind::NotUnderstood) << '[' << line << ']';
    EXPECT_TRUE(parsed.call.args.empty()) << line;
  }
  StraceJoiner joiner;
  std::vector<StraceCall> calls;
  for (const std::string& line : corpus) joiner.feed(line, calls);
  joiner.finish(calls);
  EXPECT_TRUE(calls.empty());
  EXPECT_EQ(joiner.notUnderstood(), corpus.size());
}

TEST(Strace, TruncatedAndRandomLinesNeverCrash) {
  StraceLine out;
  for (const std::string& line : kSampleLines) {
    for (std::size_t cut = 0; cut <= line.size(); ++cut) {
      const StraceLineKind kind = parseStraceLine(std::string_view(line).substr(0, cut), out);
      if (kind == StraceLineKind::Syscall) {
        EXPECT_FALSE(out.call.name.empty());
      }
    }
  }
  std::mt19937 random(12345);
  const std::string alphabet = "0123456789 ()[]{}<>\"\\,.=?-:_abcEFG|\x01\xff";
  for (int round = 0; round < 20000; ++round) {
    std::string line;
    const auto length = random() % 80;
    for (std::size_t i = 0; i < length; ++i) line += alphabet[random() % alphabet.size()];
    parseStraceLine(line, out);
    // Mutations of a real line: one byte replaced.
    std::string mutated = kSampleLines[random() % kSampleLines.size()];
    mutated[random() % mutated.size()] = alphabet[random() % alphabet.size()];
    parseStraceLine(mutated, out);
  }
  SUCCEED();
}

// Runs strace on a small shell pipeline and checks every line of the real log is understood.
class StraceLog : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/bin/strace", X_OK) != 0) GTEST_SKIP() << "strace is not installed";
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("epollscope_strace_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  // Returns the log's lines, or skips the test when this machine cannot ptrace.
  std::vector<std::string> trace(const std::string& options, const std::string& script) {
    const auto log = dir_ / "log";
    const std::string command = "/usr/bin/strace " + options + " -o " + log.string() +
                                " /bin/sh -c '" + script + "' >/dev/null 2>" +
                                (dir_ / "err").string();
    const int status = std::system(command.c_str());
    std::vector<std::string> lines;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    if (status != 0 || lines.empty()) {
      std::ifstream err(dir_ / "err");
      std::string why((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
      skipReason_ = "strace cannot trace here (status " + std::to_string(status) + "): " + why;
    }
    return lines;
  }

  std::filesystem::path dir_;
  std::string skipReason_;
};

TEST_F(StraceLog, EveryLineOfARealLogIsUnderstood) {
  // A child in the background makes the parent's wait show as unfinished/resumed.
  const auto lines =
      trace("-f -yy -T -tt", "echo hi > /dev/null; cat /etc/hostname >/dev/null & wait");
  if (!skipReason_.empty()) GTEST_SKIP() << skipReason_;
  StraceJoiner joiner;
  std::vector<StraceCall> calls;
  std::size_t syscallLines = 0;
  for (const std::string& line : lines) {
    const StraceLineKind kind = joiner.feed(line, calls);
    EXPECT_NE(kind, StraceLineKind::NotUnderstood) << line;
    if (kind == StraceLineKind::Syscall) ++syscallLines;
  }
  joiner.finish(calls);
  EXPECT_GT(syscallLines, 20u);
  bool sawEcho = false;
  for (const StraceCall& call : calls) {
    EXPECT_FALSE(call.name.empty());
    EXPECT_GE(call.tsNs, 0);
    EXPECT_GT(call.pid, 0);
    if (call.name == "write" && call.args.size() == 3 && call.args[1] == R"("hi\n")") {
      sawEcho = true;
      EXPECT_EQ(call.ret, 3);
      EXPECT_EQ(call.args[2], "3");
      EXPECT_EQ(fdDecoration(call.args[0]).substr(0, 9), "/dev/null");
      EXPECT_GE(call.durNs, 0);
    }
    if (call.name == "openat" && call.ret.value_or(-1) >= 0) {
      EXPECT_EQ(call.args[0].substr(0, 8), "AT_FDCWD");  // -yy decorates it with the cwd
    }
  }
  EXPECT_TRUE(sawEcho);
}

TEST_F(StraceLog, FilteredLogWithEpochTimestamps) {
  const auto lines = trace("-f -ttt -T -e trace=read,write,close",
                           "echo hi > /dev/null; cat /etc/hostname >/dev/null");
  if (!skipReason_.empty()) GTEST_SKIP() << skipReason_;
  StraceJoiner joiner;
  std::vector<StraceCall> calls;
  for (const std::string& line : lines) {
    EXPECT_NE(joiner.feed(line, calls), StraceLineKind::NotUnderstood) << line;
  }
  joiner.finish(calls);
  ASSERT_FALSE(calls.empty());
  for (const StraceCall& call : calls) {
    EXPECT_TRUE(call.name == "read" || call.name == "write" || call.name == "close") << call.name;
    EXPECT_GT(call.tsSeconds, 1e9);  // epoch seconds
    EXPECT_GE(leadingFd(call.args.at(0)), 0);
  }
}

}  // namespace
}  // namespace eps
