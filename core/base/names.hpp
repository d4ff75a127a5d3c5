// One to_string per named thing, written once: the event log, the exports, the CLI and the
// tests all print calls, masks, ops and errnos through these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/engine_mode.hpp"
#include "core/base/trace_event.hpp"

namespace eps {

std::string_view callName(Call call);  // "epoll_wait"
// The exact system call of a Call event: callName(call), or the sibling an imported event
// names in `op` ("recvfrom" for a Read, "epoll_pwait" for an EpollWait).
std::string_view callNameOf(const TraceEvent& event);
std::optional<Call> callFromName(std::string_view name);  // also accepts "epoll_pwait"
std::string_view eventKindName(EventKind kind);           // "stranded"
std::string_view clientOpName(ClientOp op);               // "shutdown_write"
std::string_view controlOpName(ControlOp op);             // "step_call"
std::string_view seedFaultName(SeedFault fault);          // "stack_overflow"
std::string_view actorName(Actor actor);                  // "clients"
std::optional<Actor> actorFromName(std::string_view name);
std::string_view engineModeName(EngineMode mode);         // "stepping"

// "EPOLLIN|EPOLLOUT|EPOLLET"; unknown bits print as hex; 0 prints as "0".
std::string epollMaskName(std::uint32_t mask);
// Parses the form above (strace prints the same); nullopt on an unknown name.
std::optional<std::uint32_t> epollMaskFromName(std::string_view text);

std::string_view epollOpName(int op);  // "EPOLL_CTL_MOD"
std::optional<int> epollOpFromName(std::string_view name);

// "EAGAIN", "ECONNRESET", ... ; EWOULDBLOCK prints as EAGAIN (same value on Linux).
std::string errnoName(int err);
std::optional<int> errnoFromName(std::string_view name);

// A duration as people read it, three significant digits in the largest unit that keeps the
// number at least 1: "850 ns", "12.3 \u00b5s", "7.55 ms", "7.55 s" (negative prints as 0 ns).
std::string durationText(std::int64_t ns);

}  // namespace eps
