#include "core/trace/ring.hpp"

#include <bit>
#include <stdexcept>

namespace eps {

TraceRing::TraceRing(std::size_t capacityPow2) : mask_(capacityPow2 - 1) {
  if (capacityPow2 == 0 || !std::has_single_bit(capacityPow2)) {
    throw std::invalid_argument("trace ring capacity must be a power of two");
  }
  slots_.reset(new TraceEvent[capacityPow2]);
}

}  // namespace eps
