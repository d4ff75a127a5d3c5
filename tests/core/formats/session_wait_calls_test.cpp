// Sessions carry the calls an strace import added to the vocabulary: poll and select waits
// and the data calls' variants (splice, recvmmsg with its bytes), field for field.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "core/base/names.hpp"
#include "core/formats/session_event.hpp"
#include "core/strace/import.hpp"

namespace eps {
namespace {

TEST(SessionWaitCalls, PollSelectAndSpliceEventsSurviveASessionLine) {
  StraceImporter importer;
  std::istringstream log(
      "700 1796511049.100000 poll([{fd=3<TCP:[127.0.0.1:8000]>, events=POLLIN}], 1, 50) = 1 "
      "([{fd=3, revents=POLLIN}]) <0.000010>\n"
      "700 1796511049.200000 select(4, [3], NULL, NULL, NULL) = 1 (in [3]) <0.000010>\n"
      "700 1796511049.300000 splice(4<TCP:[127.0.0.1:8000->127.0.0.1:5000]>, NULL, "
      "7<pipe:[26]>, NULL, 65536, 0) = 100 <0.000008>\n"
      "700 1796511049.400000 recvmmsg(5<UDP:[127.0.0.1:9000]>, [{msg_hdr={msg_iov=[{iov_base="
      "\"abc\", iov_len=64}], msg_iovlen=1}, msg_len=3}], 1, 0, NULL) = 1 <0.000010>\n");
  for (std::string line; std::getline(log, line);) importer.feed(line);
  const StraceImport result = importer.finish();
  ASSERT_EQ(result.stats.callsImported, 4u);
  const session::EventContext context(result.threads, result.labels.size());
  for (const TraceEvent& event : result.events) {
    std::string text;
    session::appendEventLine(text, event);
    TraceEvent back;
    ASSERT_EQ(session::parseEventLine(std::string_view(text).substr(0, text.size() - 1), back), "")
        << text;
    EXPECT_EQ(context.check(back), "") << text;  // the variant's op is in range, say
    EXPECT_EQ(callNameOf(back), callNameOf(event)) << text;
    EXPECT_EQ(back.kind, event.kind) << text;
    EXPECT_EQ(back.fd, event.fd) << text;
    EXPECT_EQ(back.events, event.events) << text;
    EXPECT_EQ(back.ret, event.ret) << text;
    EXPECT_EQ(back.a, event.a) << text;
    EXPECT_EQ(back.b, event.b) << text;
    EXPECT_EQ(back.c, event.c) << text;
  }
}

}  // namespace
}  // namespace eps
