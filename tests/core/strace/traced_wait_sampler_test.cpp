// What a live trace's samples do to the import (core/strace/sample_map.cpp): a sample taken
// while the thread sleeps in a wait measures the stranding the calls alone can only suspect;
// a refused sample leaves the inferred diagnosis and says why. And which of strace's pending
// lines begin a wait (core/strace/traced_wait_sampler.hpp).
#include "core/strace/traced_wait_sampler.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <vector>

#include "core/strace/import.hpp"

namespace eps {
namespace {

// An ET connection whose one read of 100 bytes did not end in EAGAIN; the thread then
// begins a wait that has not returned when the sample is taken.
const char* const kBeforeWait =
    "900 1700000000.000100 epoll_ctl(4<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
    "5<TCP:[127.0.0.1:7000->127.0.0.1:50000]>, {events=EPOLLIN|EPOLLRDHUP|EPOLLET, "
    "data={u32=5, u64=5}}) = 0 <0.000005>\n"
    "900 1700000000.000200 epoll_wait(4<anon_inode:[eventpoll]>, [{events=EPOLLIN, "
    "data={u32=5, u64=5}}], 64, -1) = 1 <0.000003>\n"
    "900 1700000000.000300 read(5<TCP:[127.0.0.1:7000->127.0.0.1:50000]>, \"xx\"..., 100) = 100 "
    "<0.000004>\n";
const char* const kWaitReturns =
    "900 1700000000.000400 epoll_wait(4<anon_inode:[eventpoll]>, 0x7ffd, 64, -1) = -1 EINTR "
    "(Interrupted system call) <1.000000>\n";

void feedText(StraceImporter& importer, const std::string& text) {
  std::size_t start = 0;
  for (std::size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    importer.feed(std::string_view(text).substr(start, end - start));
    start = end + 1;
  }
}

std::vector<TraceEvent> ofKind(const std::vector<TraceEvent>& events, EventKind kind) {
  std::vector<TraceEvent> found;
  for (const TraceEvent& event : events) {
    if (event.kind == kind) found.push_back(event);
  }
  return found;
}

StraceImport importWithSample(const FdSample& sample) {
  StraceImporter importer;
  feedText(importer, kBeforeWait);
  const FdSample samples[] = {sample};
  importer.noteSamples(900, 900, 1'700'000'000'000'350'000, samples);
  feedText(importer, kWaitReturns);
  return importer.finish();
}

TEST(TracedWaitSampler, ASampleWithBytesQueuedMeasuresTheStrandingInsteadOfInferringIt) {
  FdSample sample;
  sample.fd = 5;
  sample.kind = SampledKind::Connected;
  sample.queues = {3996, 0, 0, kProbeSiocinq | kProbeSiocoutq | kProbeSiocoutqnsd};
  const StraceImport log = importWithSample(sample);
  const auto stranded = ofKind(log.events, EventKind::Stranded);
  ASSERT_EQ(stranded.size(), 1u) << "one diagnosis: the measured one, no inferred one besides";
  EXPECT_EQ(stranded[0].fd, 5);
  EXPECT_EQ(stranded[0].a, 3996);
  EXPECT_EQ(stranded[0].flags & kEventInferred, 0) << "measured, not inferred";
  EXPECT_NE(stranded[0].conn, 0u) << "on the socket's lane";
  const auto samples = ofKind(log.events, EventKind::Sample);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].a, 3996);
  EXPECT_EQ(log.stats.strandedMeasured, 1u);
  EXPECT_EQ(log.stats.strandedBytesMeasured, 3996u);
  EXPECT_EQ(log.stats.strandedInferred, 0u);
}

TEST(TracedWaitSampler, AnEmptyQueueSettlesTheSuspicion) {
  FdSample sample;
  sample.fd = 5;
  sample.kind = SampledKind::Connected;
  sample.queues = {0, 0, 0, kProbeSiocinq};
  const StraceImport log = importWithSample(sample);
  EXPECT_TRUE(ofKind(log.events, EventKind::Stranded).empty());
}

TEST(TracedWaitSampler, ARefusedSampleLeavesTheInferenceAndSaysWhy) {
  FdSample sample;
  sample.fd = 5;
  sample.error = EPERM;
  const StraceImport log = importWithSample(sample);
  const auto stranded = ofKind(log.events, EventKind::Stranded);
  ASSERT_EQ(stranded.size(), 1u);
  EXPECT_NE(stranded[0].flags & kEventInferred, 0);
  EXPECT_EQ(log.stats.samplingRefused, EPERM);
  EXPECT_TRUE(ofKind(log.events, EventKind::Sample).empty());
}

TEST(TracedWaitSampler, OnlyAPendingWaitNamesItsThread) {
  EXPECT_EQ(waitingTid("5787  1796515120.656173 epoll_wait(5<anon_inode:[eventpoll]>, "), 5787);
  EXPECT_EQ(waitingTid("12 1.5 poll([{fd=3, events=POLLIN}], 1, -1"), 12);
  EXPECT_EQ(waitingTid("12 1.5 epoll_pwait2(4, "), 12);
  EXPECT_FALSE(waitingTid("12 1.5 read(5, "));
  EXPECT_FALSE(waitingTid("12 1.5 epoll_waiter(4, "));
  EXPECT_FALSE(waitingTid("x12 1.5 epoll_wait(4, "));
  EXPECT_FALSE(waitingTid(""));
}

}  // namespace
}  // namespace eps
