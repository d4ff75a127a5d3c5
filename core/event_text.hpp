// Trace events as people read them: a call as strace would print it ("read(7, 100) = -1
// EAGAIN"), and one plain sentence on what it means here. Used by the event log, the
// timeline's hover, and the tests.
#pragma once

#include <string>

#include "core/trace_event.hpp"

namespace eps {

// "read(7, 100) = 100", "epoll_wait(3, 64, -1) = 2", "epoll_ctl(3, EPOLL_CTL_MOD, 7,
// EPOLLIN|EPOLLET) = 0", "accept4(5) = 8 (peer :43210)"; non-call events get a short form:
// "ready fd 7 EPOLLIN|EPOLLRDHUP", "stranded fd 7: 3996 bytes waiting", "config read=once".
std::string eventLine(const TraceEvent& event);

class PayloadStore;
// eventLine() plus, for a read that returned bytes, the bytes as strace would quote them:
// `read(9, 256) = 6 "hello\n"` (only the kept prefix, then ...). nullptr or nothing kept:
// eventLine() alone.
std::string eventLine(const TraceEvent& event, const PayloadStore* payloads);
// The quoted bytes of a read (`"hello\n"`), or "" when none were kept for it.
std::string eventPayloadText(const TraceEvent& event, const PayloadStore* payloads);

// One sentence for a newcomer: "EAGAIN: the receive queue is empty now; everything that has
// arrived has been read." Empty when there is nothing to add.
std::string eventExplanation(const TraceEvent& event);

}  // namespace eps
