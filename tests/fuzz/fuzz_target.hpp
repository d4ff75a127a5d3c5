// What every fuzz target here shares: the libFuzzer entry point's declaration (each target
// defines it; libFuzzer or replay_main.cpp calls it) and the failure that stops a run. A
// fuzz finding must be a crash, so a broken invariant aborts with a message saying which.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace eps::fuzz {

// Aborts (libFuzzer keeps the input as a crash; the replay test fails) with what broke.
[[noreturn]] inline void broken(std::string_view what) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

inline void require(bool holds, std::string_view what) {
  if (!holds) broken(what);
}

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace eps::fuzz
