#include "jobs/sweeper.h"

#include "app/use_cases.h"
#include "common/log.h"

namespace returns::jobs {

Sweeper::Sweeper(const app::AppContext& app, absl::Duration interval)
    : app_(app), interval_(interval) {
  thread_ = std::thread([this] { Loop(); });
}

Sweeper::~Sweeper() {
  stop_.Notify();
  thread_.join();
}

void Sweeper::Loop() {
  while (!stop_.WaitForNotificationWithTimeout(interval_)) {
    SweepExchangeTokens();
    PurgeRequestIds();
  }
}

void Sweeper::SweepExchangeTokens() {
  // Keep sweeping while full batches come back, so a backlog drains without waiting.
  for (int round = 0; round < 100 && !stop_.HasBeenNotified(); ++round) {
    auto result = app::SweepExchangeTokens(app_);
    if (!result.ok()) {
      log::Warn("exchange-token sweep failed", {{"error", std::string(result.status().message())}});
      return;
    }
    if (result->expired + result->charge_due > 0) {
      log::Info("exchange tokens swept", {{"expired", result->expired}, {"charge_due", result->charge_due}});
    }
    if (result->expired < 100 && result->charge_due < 100) return;
  }
}

void Sweeper::PurgeRequestIds() {
  for (int round = 0; round < 100 && !stop_.HasBeenNotified(); ++round) {
    auto purged = app::PurgeExpiredRequestIds(app_);
    if (!purged.ok()) {
      log::Warn("request-id purge failed", {{"error", std::string(purged.status().message())}});
      return;
    }
    if (*purged < 1000) return;
  }
}

}  // namespace returns::jobs
