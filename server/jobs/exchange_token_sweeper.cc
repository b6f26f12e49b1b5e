#include "jobs/exchange_token_sweeper.h"

#include "app/use_cases.h"
#include "common/log.h"

namespace returns::jobs {

ExchangeTokenSweeper::ExchangeTokenSweeper(const app::AppContext& app, absl::Duration interval)
    : app_(app), interval_(interval) {
  thread_ = std::thread([this] { Loop(); });
}

ExchangeTokenSweeper::~ExchangeTokenSweeper() {
  stop_.Notify();
  thread_.join();
}

void ExchangeTokenSweeper::Loop() {
  while (!stop_.WaitForNotificationWithTimeout(interval_)) {
    // Keep sweeping while full batches come back, so a backlog drains without waiting.
    for (int round = 0; round < 100 && !stop_.HasBeenNotified(); ++round) {
      auto result = app::SweepExchangeTokens(app_, app_.clock());
      if (!result.ok()) {
        log::Warn("exchange-token sweep failed", {{"error", std::string(result.status().message())}});
        break;
      }
      if (result->expired + result->charge_due > 0) {
        log::Info("exchange tokens swept", {{"expired", result->expired}, {"charge_due", result->charge_due}});
      }
      if (result->expired < 100 && result->charge_due < 100) break;
    }
  }
}

}  // namespace returns::jobs
