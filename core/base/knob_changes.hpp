// Knob changes written as text, "poller=poll conn-trigger=et": what --knobs-a / --knobs-b and a
// paired lesson's [compare] sides say about the knobs they start from.
#pragma once

#include <string>

#include "core/base/knobs.hpp"

namespace eps {

// Ownership: a plain function; no state.
// Knob changes applied to a set of knobs (a compared side's, a paired lesson's side), a list of
// KNOB=VALUE separated by spaces or commas ("conn-trigger=et read=once"). "" or the error
// naming the knob and what it allows.
std::string applyKnobChanges(Knobs& knobs, const std::string& changes);

}  // namespace eps
