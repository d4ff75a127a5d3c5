#include "core/clients/loop.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cerrno>
#include <exception>
#include <optional>
#include <system_error>

namespace eps {

namespace {

constexpr std::uint64_t kWakeToken = 0;  // epoll data of the eventfd; clients use their id
constexpr int kMaxEvents = 64;
constexpr std::size_t kReadBufferSize = std::size_t{64} * 1024;
constexpr std::int64_t kMaxTimeoutMs = 60'000;
// SIOCOUTQNSD falls to 0 without any event on our socket (an ACK opening the window), so
// while someone waits for the settle the loop re-checks it this often.
constexpr std::chrono::milliseconds kSettlePoll{1};

UniqueFd makeOrThrow(int fd, const char* what) {
  if (fd < 0) throw std::system_error(errno, std::generic_category(), what);
  return UniqueFd(fd);
}

}  // namespace

ClientLoop::ClientLoop(Recorder& recorder, std::uint16_t port, ClientOptions options)
    : writer_(recorder.addWriter("clients", Actor::Clients)),
      port_(port),
      options_(options),
      epoll_(makeOrThrow(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")),
      wake_(makeOrThrow(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd")),
      readBuffer_(kReadBufferSize) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kWakeToken;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &event) < 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl(eventfd)");
  }
  thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

ClientLoop::~ClientLoop() {
  thread_.request_stop();
  wake();
  thread_.join();
  // clients_ then closes every client socket as its ClientConnection is destroyed.
}

// ---- any thread ---------------------------------------------------------------------------

int ClientLoop::connect() {
  int id = 0;
  {
    std::lock_guard lock(mutex_);
    id = nextId_++;
    published_[id].id = id;  // stats(id) is valid from now on
  }
  post([this, id] { openClient(id); });
  return id;
}

void ClientLoop::act(int id, ClientAction action) {
  post([this, id, action = std::move(action)] { withClient(id, action); });
}

// The settle request is itself a command: applied after everything queued before it, it
// makes the loop poll until every client is settled or the bound passes.
bool ClientLoop::waitSettled(std::chrono::milliseconds bound) {
  const auto deadline = Clock::now() + bound;
  const std::uint64_t ticket = post([this, deadline] { addSettleRequest(deadline); });
  return waitUntil(ticket, bound, [this, ticket] { return settledThrough_ >= ticket; });
}

bool ClientLoop::waitStats(int id, const StatsPredicate& until, std::chrono::milliseconds bound) {
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(mutex_);
    ticket = queuedCount_;
  }
  // The predicate runs under mutex_, inside waitUntil.
  return waitUntil(ticket, bound, [this, id, &until] {
    const auto it = published_.find(id);
    return it != published_.end() && until(it->second);
  });
}

ClientStats ClientLoop::stats(int id) const {
  std::lock_guard lock(mutex_);
  const auto it = published_.find(id);
  return it == published_.end() ? ClientStats{} : it->second;
}

std::vector<ClientStats> ClientLoop::allStats() const {
  std::lock_guard lock(mutex_);
  std::vector<ClientStats> out;
  out.reserve(published_.size());
  for (const auto& [id, s] : published_) out.push_back(s);
  return out;
}

std::uint64_t ClientLoop::post(Command command) {
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(mutex_);
    commands_.push_back(std::move(command));
    ticket = ++queuedCount_;
  }
  wake();
  return ticket;
}

bool ClientLoop::waitUntil(std::uint64_t ticket, std::chrono::milliseconds bound,
                           const std::function<bool()>& until) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, bound, [&] { return appliedCount_ >= ticket && until(); });
}

// Written after the command is queued: a loop that drained the eventfd before this write
// is woken again, so no command is ever left waiting for an unrelated wakeup.
void ClientLoop::wake() const {
  const std::uint64_t one = 1;
  // Fails only with EAGAIN when the counter is near 2^64: the loop is awake anyway.
  [[maybe_unused]] const ssize_t n = ::write(wake_.get(), &one, sizeof one);
}

// ---- driver thread: the loop ----------------------------------------------------------------

void ClientLoop::assertOnDriverThread() const {
  assert(std::this_thread::get_id() == driverThread_ && "driver-thread-only member");
}

void ClientLoop::run(const std::stop_token& stop) {
  driverThread_ = std::this_thread::get_id();
  writer_.setTid(static_cast<int>(::gettid()));
  std::array<epoll_event, kMaxEvents> events{};
  while (!stop.stop_requested()) {
    const int n = ::epoll_wait(epoll_.get(), events.data(), kMaxEvents, timeoutMs(Clock::now()));
    if (n < 0 && errno != EINTR) recordError(0, epoll_.get(), errno);
    for (int i = 0; i < n; ++i) dispatch(events[static_cast<std::size_t>(i)]);
    runTrickles(Clock::now());
    applyCommands();
    checkSettle(Clock::now());
    publish();
  }
}

// Sleeps until the earliest trickle is due, or polls while a settle is awaited; otherwise
// until a command arrives through the eventfd.
int ClientLoop::timeoutMs(Clock::time_point now) const {
  std::optional<Clock::time_point> due;
  for (const auto& [id, client] : clients_) {
    if (const auto next = client->trickleDue()) due = due ? std::min(*due, *next) : *next;
  }
  std::chrono::milliseconds timeout{-1};
  if (due) {
    timeout = std::max(std::chrono::ceil<std::chrono::milliseconds>(*due - now),
                       std::chrono::milliseconds{0});
  }
  if (!settleRequests_.empty() && (timeout.count() < 0 || timeout > kSettlePoll)) {
    timeout = kSettlePoll;
  }
  return static_cast<int>(std::min<std::int64_t>(timeout.count(), kMaxTimeoutMs));
}

void ClientLoop::dispatch(const epoll_event& event) {
  if (event.data.u64 == kWakeToken) {
    drainWake();
    return;
  }
  const auto id = static_cast<int>(event.data.u64);
  const auto it = clients_.find(id);
  // A client closed earlier in this same batch: its events are stale (libuv skips them
  // the same way). Ids are never reused, so a reused fd number cannot be confused.
  if (it == clients_.end() || !it->second->isOpen()) return;
  it->second->onEvents(event.events, readBuffer_);
  sync(*it->second);
  touched_.push_back(id);
}

void ClientLoop::drainWake() const {
  std::uint64_t count = 0;
  [[maybe_unused]] const ssize_t n = ::read(wake_.get(), &count, sizeof count);
}

// Commands run outside the lock. Nothing thrown may leave the driver thread (it would end
// the process): an allocation failure (a huge send) is recorded as ENOMEM instead.
void ClientLoop::applyCommands() {
  assertOnDriverThread();
  std::vector<Command> batch;
  std::uint64_t first = 0;
  {
    std::lock_guard lock(mutex_);
    batch.swap(commands_);
    first = appliedCount_ + 1;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    runningTicket_ = first + i;
    try {
      batch[i]();
    } catch (const std::exception&) {
      recordError(0, -1, ENOMEM);
    }
  }
  appliedLocal_ += batch.size();
}

void ClientLoop::withClient(int id, const ClientAction& action) {
  const auto it = clients_.find(id);
  // An id this driver never handed out: a caller holding an id of a driver replaced since
  // (the window's Reset). Recording an EBADF would open a lane for a client that never
  // existed in this trace, so the action is dropped without a trace.
  if (it == clients_.end()) return;
  action(*it->second);
  sync(*it->second);
  touched_.push_back(id);
}

void ClientLoop::openClient(int id) {
  auto client = std::make_unique<ClientConnection>(id, writer_, options_);
  ClientConnection& ref = *client;
  clients_[id] = std::move(client);
  touched_.push_back(id);
  ref.open(port_);
  sync(ref);
}

void ClientLoop::runTrickles(Clock::time_point now) {
  for (auto& [id, client] : clients_) {
    const auto due = client->trickleDue();
    if (!due || *due > now) continue;
    client->runTrickle(now);
    sync(*client);
    touched_.push_back(id);
  }
}

// Keeps the client's epoll registration equal to what it wants now. The driver is
// level-triggered; EPOLLOUT is registered only while output waits (EPOLL-FACTS §2.4),
// EPOLLIN only while the client reads, and a socket that wants nothing is removed, so
// EPOLLERR/EPOLLHUP (always reported for a registered fd) cannot spin the loop.
void ClientLoop::sync(ClientConnection& client) {
  assertOnDriverThread();
  if (!client.isOpen()) {
    client.setRegistered(0);  // close() already took it out of the epoll set
    return;
  }
  const std::uint32_t want = client.wantedEvents();
  const std::uint32_t have = client.registered();
  if (want == have) return;
  const int op = have == 0 ? EPOLL_CTL_ADD : (want == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD);
  epoll_event event{};
  event.events = want;
  event.data.u64 = static_cast<std::uint64_t>(client.id());
  if (::epoll_ctl(epoll_.get(), op, client.fd(), &event) < 0) {
    client.recordError(errno);
    return;
  }
  client.setRegistered(want);
}

// ---- driver thread: settle and publish ------------------------------------------------------

void ClientLoop::addSettleRequest(Clock::time_point deadline) {
  settleRequests_.push_back({runningTicket_, deadline});
}

void ClientLoop::checkSettle(Clock::time_point now) {
  if (settleRequests_.empty()) return;
  // A waiter whose bound has passed has returned false already: stop polling for it.
  std::erase_if(settleRequests_, [now](const SettleRequest& r) { return r.deadline < now; });
  if (settleRequests_.empty() || !allSettled()) return;
  for (const SettleRequest& request : settleRequests_) {
    settledLocal_ = std::max(settledLocal_, request.ticket);
  }
  settleRequests_.clear();
}

bool ClientLoop::allSettled() const {
  return std::all_of(clients_.begin(), clients_.end(),
                     [](const auto& entry) { return entry.second->settled(); });
}

// One lock per iteration: the applied count, the settle answer and the stats of every
// client touched become visible together, then the waiters re-check.
void ClientLoop::publish() {
  assertOnDriverThread();
  std::sort(touched_.begin(), touched_.end());
  touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
  bool changed = false;
  {
    std::lock_guard lock(mutex_);
    changed = appliedLocal_ > 0 || !touched_.empty() || settledLocal_ > settledThrough_;
    appliedCount_ += appliedLocal_;
    settledThrough_ = std::max(settledThrough_, settledLocal_);
    for (const int id : touched_) published_[id] = clients_.at(id)->snapshot();
  }
  appliedLocal_ = 0;
  touched_.clear();
  if (changed) cv_.notify_all();
}

// Failures that belong to no client (the loop's own epoll_wait, a command that threw).
void ClientLoop::recordError(int id, int fd, int err) {
  TraceEvent event;
  event.kind = EventKind::ClientAction;
  event.conn = static_cast<std::uint32_t>(id);
  event.fd = fd;
  event.op = static_cast<std::uint8_t>(ClientOp::Error);
  event.ret = -1;
  event.err = err;
  writer_.record(event);
}

}  // namespace eps
