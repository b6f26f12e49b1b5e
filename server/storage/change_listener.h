#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace returns::storage {

// Tells live streams (WatchTimeline, StreamEvents) that events committed, without each stream
// polling PostgreSQL. One LISTEN connection per process, held by this class's thread, receives
// every NOTIFY returns_changes of any replica, delivered at commit:
//   'pending'             a writer committed feed rows (timeline/record_event.sql): wakes the
//                         change-feed sequencer (jobs/feed_sequencer.h);
//   '<merchant>/<order>'  the sequencer numbered events of that order: wakes the streams of the
//                         order and of the merchant;
//   'revoked/<key_id>'    an API key was revoked: wakes its streams to re-check it.
// Subscribers wait on a version per key ("pending", "<merchant>", "<merchant>/<order>", ...);
// only keys someone watches are kept. After a lost connection every watched key is bumped, so
// streams re-read what they missed.
class ChangeListener {
 public:
  static constexpr char kFeedPendingKey[] = "pending";

  explicit ChangeListener(std::string database_url);
  ~ChangeListener();  // stops the thread

  // Keeps `key`'s version while a stream watches it.
  class Watch {
   public:
    Watch(ChangeListener* listener, std::string key);
    ~Watch();
    // The key's version now.
    uint64_t Version() const;
    // Waits until the version differs from `seen`, or `timeout` passes; returns the version.
    uint64_t WaitForChange(uint64_t seen, absl::Duration timeout) const;

   private:
    ChangeListener* listener_;
    std::string key_;
  };

  // Calls `on_change` whenever `key`'s version moves (a NOTIFY for it, or the connection lost or
  // regained), for as long as the subscription lives. `on_change` runs on the listener's thread
  // without its lock held, possibly once more just after the subscription ends; it must only
  // hand work over (api/live_stream.cc).
  class Subscription {
   public:
    Subscription(ChangeListener* listener, std::string key, std::function<void()> on_change);
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

   private:
    ChangeListener* listener_;
    std::string key_;
    std::shared_ptr<const std::function<void()>> on_change_;
  };

  // False while the LISTEN connection is down: streams then poll.
  bool connected() const { return connected_.load(); }

 private:
  // One per watched key. Waiters sleep on the key's own condition variable, so a notification
  // wakes only the streams of its key, and an unlock evaluates no one else's condition.
  struct Key {
    uint64_t version = 0;
    int watchers = 0;
    absl::CondVar changed;
    std::vector<std::shared_ptr<const std::function<void()>>> subscribers;
  };
  // Bumps the keys (all when `keys` is empty) and runs their subscribers after unlocking.
  void Bump(const std::vector<std::string>& keys);
  void Loop();
  void Notified(const std::string& payload);
  void BumpAll();

  const std::string database_url_;
  mutable absl::Mutex mu_;
  std::map<std::string, Key> keys_ ABSL_GUARDED_BY(mu_);  // nodes stay put while watched
  std::atomic<bool> connected_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace returns::storage
