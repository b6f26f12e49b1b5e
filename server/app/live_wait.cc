#include "app/live_wait.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace returns::app {
namespace {
// With the listener connected a stream reads when woken, and after this anyway.
constexpr absl::Duration kSafetyNet = absl::Seconds(30);
// Without a listener (or while it is down) an idle stream looks again this often.
constexpr absl::Duration kPollInterval = absl::Milliseconds(250);
// How often a waiting stream looks at `stopped` (client gone, server draining).
constexpr absl::Duration kStopCheck = absl::Milliseconds(500);
}  // namespace

LiveWait::LiveWait(const AppContext& app, std::string key) : app_(app) {
  if (app.change_listener != nullptr) watch_.emplace(app.change_listener, std::move(key));
}

uint64_t LiveWait::Version() const { return watch_ ? watch_->Version() : 0; }

void LiveWait::Wait(uint64_t seen, absl::FunctionRef<bool()> stopped) const {
  const bool woken_by_notify = watch_ && app_.change_listener->connected();
  const absl::Time until = absl::Now() + (woken_by_notify ? kSafetyNet : kPollInterval);
  while (!stopped() && absl::Now() < until) {
    if (watch_) {
      if (watch_->WaitForChange(seen, std::min(kStopCheck, until - absl::Now())) != seen) return;
    } else {
      absl::SleepFor(std::min(kStopCheck, until - absl::Now()));
    }
  }
}

}  // namespace returns::app
