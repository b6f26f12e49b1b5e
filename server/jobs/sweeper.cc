#include "jobs/sweeper.h"

#include "common/guarded.h"

#include "app/background/roll_up_kpis.h"
#include "app/background/background_passes.h"
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
    RunGuarded("token sweep", [&] { SweepExchangeTokens(); });
    RunGuarded("request-id purge", [&] { PurgeRequestIds(); });
    RunGuarded("evidence sweep", [&] { SweepEvidence(); });
    RunGuarded("KPI rollup", [&] { RollUpKpis(); });
  }
}

void Sweeper::RollUpKpis() {
  if (absl::Now() < next_kpi_rollup_) return;
  next_kpi_rollup_ = absl::Now() + absl::Minutes(1);
  // A few merchants a week at a time, while there is work, for at most 10 s per minute.
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (absl::Now() < until && !stop_.HasBeenNotified()) {
    auto rolled = app::RollUpMissingKpiDays(app_, 10, until);
    if (!rolled.ok()) {
      log::Warn("KPI rollup failed", {{"error", std::string(rolled.status().message())}});
      return;
    }
    if (*rolled == 0) return;
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
      log::Info("exchange tokens swept",
                {{"expired", result->expired}, {"charge_due", result->charge_due}});
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

void Sweeper::SweepEvidence() {
  // Full batches mean a backlog (many abandoned uploads, or one of many small chunks): go on,
  // within bounds, so the next interval is not kept waiting.
  for (int round = 0; round < 20 && !stop_.HasBeenNotified(); ++round) {
    auto result = app::SweepAbandonedEvidence(app_);
    if (!result.ok()) {
      log::Warn("evidence sweep failed", {{"error", std::string(result.status().message())}});
      return;
    }
    if (result->expired + result->purged > 0) {
      log::Info("abandoned evidence swept", {{"expired", result->expired},
                                             {"purged", result->purged},
                                             {"parts_deleted", result->parts_deleted}});
    }
    if (!result->more) return;
  }
}

}  // namespace returns::jobs
