// A time axis shared by two traces of one script, aligned on the script's markers: marker k
// of trace A and marker k of trace B sit at the same place on it, whatever each side's clock
// said (piecewise alignment). Between two markers, both sides' time since the marker is drawn
// on one scale, so what happened sooner on one side is drawn further left on both.
//
// The scale within a stretch is logarithmic in the time since its marker (1 ms, 10 ms and
// 100 ms after an action each get room): what a script's action sets off happens in the first
// milliseconds, and a step then idles for hundreds (a lesson's "until idle 300ms"). On a linear
// scale those milliseconds would be a pixel wide.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace eps {

// Ownership: a plain value, built once per comparison and read by any thread.
class AlignedAxis {
 public:
  // `markers[k]` is marker k in each side's clock; `first` and `last` each side's first and
  // last event (the stretches before the first marker and after the last one).
  AlignedAxis(std::vector<std::array<std::int64_t, 2>> markers, std::array<std::int64_t, 2> first,
              std::array<std::int64_t, 2> last);

  // Stretch 0 runs from the first event to marker 0, stretch k from marker k-1 to marker k,
  // the last from the last marker to the last event. Positions run from 0 to stretches().
  std::size_t stretches() const { return spanNs_.size(); }
  // Where side `side`'s time tNs sits: stretch k covers [k, k + 1).
  double position(std::size_t side, std::int64_t tNs) const;
  // Where `sinceNs` after the start of stretch k sits, and the stretch's length (the longer side).
  double positionInStretch(std::size_t stretch, std::int64_t sinceNs) const;
  std::int64_t stretchNs(std::size_t stretch) const { return spanNs_[stretch]; }
  // Marker k's position: k + 1 (the stretch before marker 0 is stretch 0).
  static double markerPosition(std::size_t marker) { return static_cast<double>(marker + 1); }

 private:
  std::array<std::vector<std::int64_t>, 2> starts_;  // per side: each stretch's start
  std::vector<std::int64_t> spanNs_;                 // each stretch's length, the longer side's
};

}  // namespace eps
