// The one output writer against the real kernel: a file is replaced whole or not at all, a
// failure leaves the previous file and no temporary behind, anything but a regular file is
// refused (never written through, never replaced), and the temporary is a new file under an
// unpredictable name that a planted link cannot redirect.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/base/output_file.hpp"
#include "core/formats/session_file.hpp"
#include "tests/helpers/file_text.hpp"

namespace eps {
namespace {

namespace fs = std::filesystem;

// A fresh folder per test, removed afterwards.
class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("output_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::vector<std::string> names() const {
    std::vector<std::string> all;
    for (const auto& entry : fs::directory_iterator(dir_)) all.push_back(entry.path().filename());
    std::sort(all.begin(), all.end());
    return all;
  }

  fs::path dir_;
};

using eps::testing::readAll;
using eps::testing::writeText;

auto text(const std::string& s) {
  return [s](std::ostream& out) { out << s; };
}

SessionData smallSession() {
  SessionData data;
  data.writers = {{"engine", Actor::Engine, 0, 100}};
  data.knobs = describeKnobs(Knobs{});
  data.source = "engine";
  return data;
}

TEST_F(OutputFileTest, ReplacesARegularFileWholeAndLeavesNoTemporary) {
  writeText(path("out.csv"), "previous\n");
  EXPECT_EQ(writeOutputFile(path("out.csv"), text("new contents\n")), "");
  EXPECT_EQ(readAll(path("out.csv")), "new contents\n");
  EXPECT_EQ(names(), std::vector<std::string>{"out.csv"}) << "no temporary is left behind";
}

TEST_F(OutputFileTest, AFailingWriterLeavesThePreviousFileAndNoTemporary) {
  writeText(path("out.json"), "previous\n");
  const auto failing = [](std::ostream& out) {
    out << "half of it";
    throw std::runtime_error("stopped");
  };
  EXPECT_THROW(writeOutputFile(path("out.json"), failing), std::runtime_error);
  EXPECT_EQ(readAll(path("out.json")), "previous\n");
  EXPECT_EQ(names(), std::vector<std::string>{"out.json"});
}

// A write the kernel refuses part way (RLIMIT_FSIZE: EFBIG, the in-process stand-in for a full
// disk; tests/app/cli/output_cli_test.cpp fills a real tmpfs) is reported with its reason, and the
// previous file survives.
TEST_F(OutputFileTest, AWriteTheKernelRefusesIsReportedAndThePreviousFileSurvives) {
  writeText(path("big.csv"), "previous\n");
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  rlimit small = old;
  small.rlim_cur = 4096;
  if (::setrlimit(RLIMIT_FSIZE, &small) != 0) GTEST_SKIP() << "setrlimit(RLIMIT_FSIZE) refused";
  const auto oldHandler = ::signal(SIGXFSZ, SIG_IGN);  // else the signal ends the process
  const std::string reason =
      writeOutputFile(path("big.csv"), [](std::ostream& out) { out << std::string(1 << 20, 'x'); });
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, oldHandler);
  EXPECT_EQ(reason, std::strerror(EFBIG));
  EXPECT_EQ(readAll(path("big.csv")), "previous\n");
  EXPECT_EQ(names(), std::vector<std::string>{"big.csv"});
}

TEST_F(OutputFileTest, KeepsTheModeOfTheFileItReplaces) {
  writeText(path("private.eps"), "previous\n");
  ASSERT_EQ(::chmod(path("private.eps").c_str(), 0600), 0);
  ASSERT_EQ(writeOutputFile(path("private.eps"), text("new\n")), "");
  struct stat info {};
  ASSERT_EQ(::stat(path("private.eps").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(OutputFileTest, RefusesASymlinkTargetAndLeavesTheLinkAndItsFileAlone) {
  writeText(path("real.eps"), "precious\n");
  fs::create_symlink(path("real.eps"), path("link.eps"));
  const std::string reason = writeOutputFile(path("link.eps"), text("new\n"));
  EXPECT_NE(reason.find("is a symbolic link; refused"), std::string::npos) << reason;
  EXPECT_TRUE(fs::is_symlink(path("link.eps")));
  EXPECT_EQ(readAll(path("real.eps")), "precious\n");
  EXPECT_EQ(outputPathProblem(path("link.eps")), reason) << "the check before a run agrees";
}

TEST_F(OutputFileTest, RefusesAFifoAFolderAndASocket) {
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0644), 0);
  fs::create_directory(path("folder"));
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string socketPath = path("sock");
  ASSERT_LT(socketPath.size(), sizeof address.sun_path);
  std::strcpy(address.sun_path, socketPath.c_str());
  ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  // A FIFO with no reader would block an open for writing: refusal must come before any open.
  EXPECT_EQ(writeOutputFile(path("fifo"), text("x")),
            "is a FIFO; refused (only a regular file is replaced)");
  EXPECT_EQ(writeOutputFile(path("folder"), text("x")), "is a directory");
  EXPECT_EQ(writeOutputFile(path("sock"), text("x")),
            "is a socket; refused (only a regular file is replaced)");
  ::close(sock);
  EXPECT_TRUE(fs::is_fifo(path("fifo")));
  EXPECT_TRUE(fs::is_directory(path("folder")));
  EXPECT_TRUE(fs::is_socket(path("sock")));
}

// A device node of our own (a copy of /dev/null's numbers) stands in for /dev/null, so the
// write path itself is exercised without ever risking the real one.
TEST_F(OutputFileTest, RefusesADeviceNodeAndASessionIsNotSavedOverOne) {
  if (::mknod(path("null").c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) {
    GTEST_SKIP() << "mknod refused (" << std::strerror(errno) << "): needs CAP_MKNOD";
  }
  EXPECT_EQ(writeOutputFile(path("null"), text("x")),
            "is a character device; refused (only a regular file is replaced)");
  try {
    saveSessionFile(path("null"), smallSession());
    ADD_FAILURE() << "a session was saved over a device node";
  } catch (const SessionFileError& error) {
    EXPECT_EQ(std::string(error.what()), "cannot save " + path("null") +
                                             ": is a character device; refused (only a regular "
                                             "file is replaced)");
  }
  EXPECT_TRUE(fs::is_character_file(path("null")));
}

// /dev/null itself is only ever asked about, never written: if the refusal broke, a write
// would replace the machine's /dev/null (this runs as root in CI).
TEST(OutputFile, DevNullIsRefusedByTheCheckAndStaysACharacterDevice) {
  EXPECT_EQ(outputPathProblem("/dev/null"),
            "is a character device; refused (only a regular file is replaced)");
  EXPECT_TRUE(fs::is_character_file(fs::symlink_status("/dev/null")));
}

TEST_F(OutputFileTest, AMissingOrUnwritableFolderIsNamed) {
  EXPECT_EQ(outputPathProblem(path("no/such/x.csv")),
            "folder " + path("no/such") + ": No such file or directory");
  writeText(path("plain"), "");
  EXPECT_EQ(outputPathProblem(path("plain/x.csv")), std::strerror(ENOTDIR));
  EXPECT_EQ(outputPathProblem("-"), "standard output (-) is not allowed here; name a file");
  EXPECT_EQ(outputPathProblem("-", {.allowStdout = true}), "");
}

// The temporary is created with O_EXCL|O_NOFOLLOW: whatever is planted at its name (a link to
// a victim, even a dangling one) makes the create fail, and the victim is untouched.
TEST_F(OutputFileTest, ANewFileIsNeverCreatedThroughAPlantedLink) {
  writeText(path("victim"), "precious\n");
  fs::create_symlink(path("victim"), path("planted"));
  fs::create_symlink(path("nowhere"), path("dangling"));
  for (const char* name : {"planted", "dangling"}) {
    errno = 0;
    EXPECT_EQ(createNewFile(path(name)), -1) << name;
    EXPECT_EQ(errno, EEXIST) << name;
  }
  EXPECT_EQ(readAll(path("victim")), "precious\n");
  EXPECT_FALSE(fs::exists(path("nowhere")));
}

// The temporary's name cannot be guessed: two writes use different random names, hidden, in
// the target's own folder.
TEST_F(OutputFileTest, TheTemporaryNameIsUnpredictable) {
  std::vector<std::string> seen;
  const auto spy = [&](std::ostream& out) {
    for (const std::string& name : names()) {
      if (name != "t.csv") seen.push_back(name);
    }
    out << "x";
  };
  ASSERT_EQ(writeOutputFile(path("t.csv"), spy), "");
  ASSERT_EQ(writeOutputFile(path("t.csv"), spy), "");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_NE(seen[0], seen[1]);
  for (const std::string& name : seen) {
    EXPECT_EQ(name.rfind(".t.csv.", 0), 0u) << name;
    EXPECT_EQ(name.size(), std::string(".t.csv.").size() + 16 + std::string(".partial").size())
        << name;
  }
}

// Before: a session was written to the predictable PATH.partial-PID, opened with O_TRUNC and
// following links, so a link planted there made the save overwrite the link's target.
TEST_F(OutputFileTest, ASessionSaveIgnoresALinkPlantedAtTheOldTemporaryName) {
  writeText(path("victim"), "precious\n");
  const std::string target = path("s.eps");
  fs::create_symlink(path("victim"), target + ".partial-" + std::to_string(::getpid()));
  fs::create_symlink(path("victim"), target + ".tmp");
  saveSessionFile(target, smallSession());
  EXPECT_EQ(readAll(path("victim")), "precious\n");
  EXPECT_EQ(readSession(target).source, "engine");
}

}  // namespace
}  // namespace eps
