// The client driver's engine room: its thread, its epoll loop, the command queue that other
// threads feed, and the published copy of every client's stats that the waits watch.
#pragma once

#include <sys/epoll.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "core/base/unique_fd.hpp"
#include "core/clients/connection.hpp"
#include "core/clients/driver.hpp"
#include "core/trace/recorder.hpp"

namespace eps {

// Ownership: owned by ClientDriver. Public methods are thread-safe (any thread, under
// mutex_); the private "driver thread" part is touched only by thread_, which owns the
// epoll instance, the eventfd's read side and every ClientConnection. Commands reach the
// loop muduo-style: a locked queue plus an eventfd in the epoll set.
class ClientLoop {
 public:
  using Clock = std::chrono::steady_clock;
  using ClientAction = std::function<void(ClientConnection&)>;
  using StatsPredicate = std::function<bool(const ClientStats&)>;

  // Throws std::system_error when the epoll instance or the eventfd cannot be created.
  ClientLoop(Recorder& recorder, std::uint16_t port, ClientOptions options);
  ~ClientLoop();  // stops and joins the thread; the client sockets close with it
  ClientLoop(const ClientLoop&) = delete;
  ClientLoop& operator=(const ClientLoop&) = delete;

  int connect();                          // allocates the id now, opens on the loop
  void act(int id, ClientAction action);  // runs on the loop, against client `id`
  bool waitSettled(std::chrono::milliseconds bound);
  bool waitStats(int id, const StatsPredicate& until, std::chrono::milliseconds bound);
  ClientStats stats(int id) const;
  std::vector<ClientStats> allStats() const;

 private:
  using Command = std::function<void()>;
  struct SettleRequest {
    std::uint64_t ticket;
    Clock::time_point deadline;
  };

  // ---- any thread ----
  std::uint64_t post(Command command);
  bool waitUntil(std::uint64_t ticket, std::chrono::milliseconds bound,
                 const std::function<bool()>& until);
  void wake() const;

  // ---- driver thread ----
  void assertOnDriverThread() const;
  void run(const std::stop_token& stop);
  int timeoutMs(Clock::time_point now) const;
  void dispatch(const epoll_event& event);
  void drainWake() const;
  void applyCommands();
  void withClient(int id, const ClientAction& action);
  void openClient(int id);
  void runTrickles(Clock::time_point now);
  void sync(ClientConnection& client);
  void addSettleRequest(Clock::time_point deadline);
  void checkSettle(Clock::time_point now);
  bool allSettled() const;
  void publish();
  void recordError(int id, int fd, int err);

  TraceWriter& writer_;
  const std::uint16_t port_;
  const ClientOptions options_;
  UniqueFd epoll_;
  UniqueFd wake_;

  // Shared, under mutex_.
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Command> commands_;
  std::uint64_t queuedCount_ = 0;     // commands posted
  std::uint64_t appliedCount_ = 0;    // commands the driver thread has applied
  std::uint64_t settledThrough_ = 0;  // highest settle-request ticket found settled
  int nextId_ = 1;
  std::map<int, ClientStats> published_;

  // Driver thread only.
  std::thread::id driverThread_;
  std::map<int, std::unique_ptr<ClientConnection>> clients_;
  std::vector<SettleRequest> settleRequests_;
  std::vector<int> touched_;         // clients whose stats changed in this iteration
  std::uint64_t appliedLocal_ = 0;   // applied in this iteration, not yet published
  std::uint64_t runningTicket_ = 0;  // ticket of the command being applied
  std::uint64_t settledLocal_ = 0;
  std::vector<char> readBuffer_;

  std::jthread thread_;  // last: starts once everything above exists
};

}  // namespace eps
