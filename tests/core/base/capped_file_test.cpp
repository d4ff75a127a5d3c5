// Small files read whole, but never more than the cap: a file past it is refused before it is
// read, and what has no size (/dev/zero, a FIFO) is read up to the cap and no further.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/base/capped_file.hpp"

namespace eps {
namespace {

namespace fs = std::filesystem;

class CappedFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("epollscope-capped-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CappedFile, AFileWithinTheCapIsReadWhole) {
  const fs::path path = dir_ / "small.toml";
  std::ofstream(path) << "id = \"x\"\n";
  const CappedRead read = readCappedFile(path.string(), 1024, "lesson");
  ASSERT_TRUE(read.text) << read.error;
  EXPECT_EQ(*read.text, "id = \"x\"\n");
  std::ofstream(dir_ / "exact") << std::string(1024, 'a');
  EXPECT_TRUE(readCappedFile((dir_ / "exact").string(), 1024, "lesson").text);
}

TEST_F(CappedFile, ALargeSparseFileIsRefusedWithoutReadingIt) {
  const fs::path path = dir_ / "huge.toml";
  std::ofstream(path).close();
  fs::resize_file(path, std::uintmax_t{1} << 30);  // 1 GiB of holes: instant, no disk
  const CappedRead read = readCappedFile(path.string(), std::size_t{1} << 20, "lesson");
  EXPECT_FALSE(read.text);
  EXPECT_EQ(read.error, "larger than 1 MiB, the most a lesson may be (refused without reading it)");
}

TEST_F(CappedFile, DevZeroIsReadUpToTheCapOnly) {
  const CappedRead read = readCappedFile("/dev/zero", std::size_t{1} << 20, "tour");
  EXPECT_FALSE(read.text);
  EXPECT_EQ(read.error, "larger than 1 MiB, the most a tour may be (reading stopped there)");
}

TEST_F(CappedFile, AFifoWithoutAWriterIsEmptyNotAWait) {
  const fs::path path = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  const CappedRead read = readCappedFile(path.string(), 1024, "lesson");
  ASSERT_TRUE(read.text) << read.error;
  EXPECT_EQ(*read.text, "");
}

TEST_F(CappedFile, MissingFilesAndFoldersAreNamed) {
  EXPECT_EQ(readCappedFile((dir_ / "none").string(), 1024, "lesson").error,
            "cannot open the lesson: No such file or directory");
  EXPECT_EQ(readCappedFile(dir_.string(), 1024, "tour").error, "is a directory, not a tour");
}

}  // namespace
}  // namespace eps
