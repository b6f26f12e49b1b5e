#pragma once

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/change_listener.h"
#include "storage/connection_pool.h"

namespace returns::jobs {

// Numbers the change feed after commit (app::SequenceChangeFeed), on a thread and a database
// connection of its own, so calls never wait for it and it never waits for a call's connection.
// Every writer's commit sends NOTIFY returns_changes 'pending' (timeline/record_event.sql), which
// wakes the sequencer of every replica; passes are serialized by an advisory lock, so any number
// of replicas may run one. Under load the passes are spaced kMinPassInterval apart, so one pass
// (one commit) numbers many rows. A pass also runs every second as a safety net, and every
// 250 ms while the change listener is down (a NOTIFY could be missed then).
class FeedSequencer {
 public:
  FeedSequencer(const std::string& database_url, storage::ChangeListener* listener);
  ~FeedSequencer();  // stops the thread

  static constexpr absl::Duration kMinPassInterval = absl::Milliseconds(2);
  static constexpr int kRowsPerPass = 1000;

 private:
  void Loop();

  // Shared with the listener's callback, which may run once more after the subscription ends.
  struct Wake {
    absl::Mutex mu;
    bool woken ABSL_GUARDED_BY(mu) = true;  // a first pass at start: rows left by a crash
    bool stop ABSL_GUARDED_BY(mu) = false;
  };

  storage::ConnectionPool pool_;
  storage::ChangeListener* const listener_;
  const std::shared_ptr<Wake> wake_ = std::make_shared<Wake>();
  std::unique_ptr<storage::ChangeListener::Subscription> subscription_;
  std::thread thread_;
};

}  // namespace returns::jobs
