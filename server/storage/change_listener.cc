#include "storage/change_listener.h"

#include <algorithm>

#include <pqxx/connection>
#include <pqxx/notification>
#include <pqxx/nontransaction>

#include <stdexcept>

#include "common/log.h"
#include "storage/connection_pool.h"

namespace returns::storage {
namespace {

constexpr char kChannel[] = "returns_changes";

class Receiver : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& connection, std::function<void(const std::string&)> on_payload)
      : pqxx::notification_receiver(connection, kChannel), on_payload_(std::move(on_payload)) {}
  void operator()(const std::string& payload, int) override { on_payload_(payload); }

 private:
  std::function<void(const std::string&)> on_payload_;
};

}  // namespace

ChangeListener::ChangeListener(std::string database_url)
    : database_url_(std::move(database_url)), thread_([this] { Loop(); }) {}

ChangeListener::~ChangeListener() {
  stop_ = true;
  thread_.join();
}

void ChangeListener::Loop() {
  bool warned = false;
  while (!stop_) {
    try {
      pqxx::connection connection(WithConnectionTimeouts(database_url_));
      Receiver receiver(connection, [this](const std::string& payload) { Notified(payload); });
      // libpqxx 6.4 swallows a failed LISTEN when a receiver is made, and reconnects (and
      // listens again) by itself inside await_notification: either would leave this listener
      // "connected" while notifications were missed. So the LISTEN is checked, and a session
      // that changed under us counts as a disconnect (streams poll and re-read).
      const int session = connection.backendpid();
      {
        pqxx::nontransaction check(connection);
        if (check
                .exec(
                    std::string("SELECT 1 FROM pg_listening_channels() AS c(name) WHERE name = '") +
                    kChannel + "'")
                .empty()) {
          throw std::runtime_error("LISTEN did not take");
        }
      }
      connected_ = true;
      warned = false;
      BumpAll();  // whatever committed while we were not listening
      while (!stop_) {
        connection.await_notification(0, 200000);
        if (!connection.is_open() || connection.backendpid() != session) {
          throw std::runtime_error("the listening session was lost");
        }
      }
    } catch (const std::exception& e) {
      if (connected_ || !warned) {
        log::Warn("change listener disconnected; streams poll until it is back",
                  {{"error", std::string(e.what()).substr(0, 200)}});
        warned = true;
      }
      connected_ = false;
      BumpAll();
      for (int i = 0; i < 10 && !stop_; ++i) absl::SleepFor(absl::Milliseconds(100));
    }
  }
  connected_ = false;
}

void ChangeListener::Notified(const std::string& payload) {
  Bump({payload.substr(0, payload.find('/')), payload});
}

void ChangeListener::BumpAll() { Bump({}); }

void ChangeListener::Bump(const std::vector<std::string>& keys) {
  std::vector<std::shared_ptr<const std::function<void()>>> to_call;
  {
    absl::MutexLock lock(&mu_);
    auto bump = [&](Key& state) {
      ++state.version;
      state.changed.SignalAll();
      to_call.insert(to_call.end(), state.subscribers.begin(), state.subscribers.end());
    };
    if (keys.empty()) {
      for (auto& [key, state] : keys_) bump(state);
    } else {
      for (const std::string& key : keys) {
        auto it = keys_.find(key);
        if (it != keys_.end()) bump(it->second);
      }
    }
  }
  for (const auto& on_change : to_call) (*on_change)();
}

ChangeListener::Subscription::Subscription(ChangeListener* listener, std::string key,
                                           std::function<void()> on_change)
    : listener_(listener),
      key_(std::move(key)),
      on_change_(std::make_shared<const std::function<void()>>(std::move(on_change))) {
  absl::MutexLock lock(&listener_->mu_);
  Key& state = listener_->keys_[key_];
  ++state.watchers;
  state.subscribers.push_back(on_change_);
}

ChangeListener::Subscription::~Subscription() {
  absl::MutexLock lock(&listener_->mu_);
  auto it = listener_->keys_.find(key_);
  auto& subscribers = it->second.subscribers;
  subscribers.erase(std::find(subscribers.begin(), subscribers.end(), on_change_));
  if (--it->second.watchers == 0) listener_->keys_.erase(it);
}

ChangeListener::Watch::Watch(ChangeListener* listener, std::string key)
    : listener_(listener), key_(std::move(key)) {
  absl::MutexLock lock(&listener_->mu_);
  ++listener_->keys_[key_].watchers;
}

ChangeListener::Watch::~Watch() {
  absl::MutexLock lock(&listener_->mu_);
  auto it = listener_->keys_.find(key_);
  if (--it->second.watchers == 0) listener_->keys_.erase(it);
}

uint64_t ChangeListener::Watch::Version() const {
  absl::MutexLock lock(&listener_->mu_);
  return listener_->keys_[key_].version;
}

uint64_t ChangeListener::Watch::WaitForChange(uint64_t seen, absl::Duration timeout) const {
  absl::MutexLock lock(&listener_->mu_);
  auto& state = listener_->keys_[key_];
  const absl::Time until = absl::Now() + timeout;
  while (state.version == seen && !state.changed.WaitWithDeadline(&listener_->mu_, until)) {
  }
  return state.version;
}

}  // namespace returns::storage
