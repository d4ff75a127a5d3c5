// Trace events as people read them: a call as strace would print it ("read(7, 100) = -1
// EAGAIN"), and one plain sentence on what it means here. Used by the event log, the
// timeline's hover, and the tests.
#pragma once

#include <string>

#include "core/base/phrases.hpp"
#include "core/base/trace_event.hpp"

namespace eps {

// `say`: the reader's language (core/base/phrases.hpp); nullptr, the default, is English,
// as exports, the CLI and --state-out read it.

// "read(7, 100) = 100", "epoll_wait(3, 64, -1) = 2", "epoll_ctl(3, EPOLL_CTL_MOD, 7,
// EPOLLIN|EPOLLET) = 0", "accept4(5) = 8 (peer :43210)"; non-call events get a short form:
// "ready fd 7 EPOLLIN|EPOLLRDHUP", "stranded fd 7: 3996 bytes waiting", "config read=once".
std::string eventLine(const TraceEvent& event);

class PayloadStore;
// eventLine() plus, for a read that returned bytes, the bytes as strace would quote them:
// `read(9, 256) = 6 "hello\n"` (only the kept prefix, then ...). nullptr or nothing kept:
// eventLine() alone.
std::string eventLine(const TraceEvent& event, const PayloadStore* payloads, Phrases say = nullptr);
// The quoted bytes of a read (`"hello\n"`), or "" when none were kept for it.
std::string eventPayloadText(const TraceEvent& event, const PayloadStore* payloads);

// How long the event lasted, said for what it is, through durationText(): "took 12.3 \u00b5s"
// for a call (an epoll_wait that slept says so: "took 7.55 s"), "over 7.55 s" for an imported
// busy run (its span), "stalled 1.20 s" for a blocked diagnosis; "" for an instant.
std::string eventDurationText(const TraceEvent& event, Phrases say = nullptr);

// An epoll_wait that returned at once: events were already waiting (or a zero timeout
// polled), so the thread never slept. The kernel's ep_poll returns without sleeping when the
// ready list is not empty, and such a call takes a few microseconds; the trace records no
// "slept" bit, so its duration decides, against a bound far above that and far below any
// wait a person could see.
inline constexpr std::int64_t kWaitReturnedAtOnceNs = 50'000;
bool waitReturnedAtOnce(const TraceEvent& event);

// One sentence for a newcomer: "EAGAIN: the receive queue is empty now; everything that has
// arrived has been read." Empty when there is nothing to add.
std::string eventExplanation(const TraceEvent& event, Phrases say = nullptr);

}  // namespace eps
