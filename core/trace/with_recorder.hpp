// An object that records into a Recorder (an engine, the built-in clients), handed out with a
// share of that recorder. Holders of a lesson side's engine or clients (the window's panels)
// may keep one after the side restarts with a new recorder; the object's threads record until
// it is destroyed, so the recorder they write into must outlive it, whoever holds it last.
#pragma once

#include <memory>
#include <utility>

#include "core/trace/recorder.hpp"

namespace eps {

template <typename T>
struct WithRecorder {
  template <typename... Args>
  explicit WithRecorder(std::shared_ptr<Recorder> shared, Args&&... args)
      : recorder(std::move(shared)), object(*recorder, std::forward<Args>(args)...) {}
  // Declared first: destroyed last, after the object has stopped its threads.
  std::shared_ptr<Recorder> recorder;
  T object;
};

// A T built on `recorder` (T's constructor takes the Recorder& first), owning a share of it.
template <typename T, typename... Args>
std::shared_ptr<T> makeWithRecorder(std::shared_ptr<Recorder> recorder, Args&&... args) {
  auto holder =
      std::make_shared<WithRecorder<T>>(std::move(recorder), std::forward<Args>(args)...);
  return std::shared_ptr<T>(holder, &holder->object);
}

}  // namespace eps
