// The counters a trace tour's checks name (assets/traces/*.tour.toml, core/checks/counters.hpp's
// tourCounters): what an imported strace log did with epoll, counted over the whole log. The
// same check grammar as lessons (check_expr.hpp), another table of names.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/checks/counters.hpp"
#include "core/strace/import.hpp"

namespace eps {

// Every counter of tourCounters(), by name. Cost: one pass over the events.
std::map<std::string, std::int64_t, std::less<>> countImport(const StraceImport& import);

}  // namespace eps
