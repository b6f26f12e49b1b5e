#include "jobs/feed_sequencer.h"

#include "absl/time/clock.h"
#include "app/background/background_passes.h"
#include "common/log.h"

namespace returns::jobs {

FeedSequencer::FeedSequencer(const std::string& database_url, storage::ChangeListener* listener)
    : pool_(database_url, 1), listener_(listener) {
  if (listener_ != nullptr) {
    subscription_ = std::make_unique<storage::ChangeListener::Subscription>(
        listener_, storage::ChangeListener::kFeedPendingKey, [wake = wake_] {
          absl::MutexLock lock(&wake->mu);
          wake->woken = true;
        });
  }
  thread_ = std::thread([this] { Loop(); });
}

FeedSequencer::~FeedSequencer() {
  subscription_.reset();
  {
    absl::MutexLock lock(&wake_->mu);
    wake_->stop = true;
  }
  thread_.join();
}

void FeedSequencer::Loop() {
  absl::Time last_pass = absl::InfinitePast();
  bool failing = false;
  while (true) {
    {
      Wake& wake = *wake_;
      absl::MutexLock lock(&wake.mu);
      const bool listening = listener_ != nullptr && listener_->connected();
      wake.mu.AwaitWithTimeout(
          absl::Condition(
              +[](Wake* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu) { return w->woken || w->stop; },
              &wake),
          listening ? absl::Seconds(1) : absl::Milliseconds(250));
      if (wake.stop) return;
      wake.woken = false;
    }
    // Rows committed while we wait join this pass: one commit numbers them all.
    const absl::Time next_allowed = last_pass + kMinPassInterval;
    if (absl::Now() < next_allowed) absl::SleepFor(next_allowed - absl::Now());
    // Full passes mean a backlog: keep going until one comes back short.
    for (int round = 0; round < 100; ++round) {
      absl::StatusOr<int> numbered = app::SequenceChangeFeed(pool_, kRowsPerPass);
      last_pass = absl::Now();
      if (!numbered.ok()) {
        if (!failing) {
          log::Warn("change-feed sequencer pass failed; retrying",
                    {{"error", std::string(numbered.status().message())}});
        }
        failing = true;
        break;
      }
      if (failing) log::Info("change-feed sequencer recovered", {});
      failing = false;
      if (*numbered < kRowsPerPass) break;
    }
  }
}

}  // namespace returns::jobs
