#pragma once

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "app/app_context.h"

namespace returns::jobs {

// Runs app::SweepExchangeTokens every `interval` on a thread of its own, with the app's clock.
// Every replica runs one; SKIP LOCKED keeps them from moving a token twice, and a crash loses
// nothing (the next sweep finds what the last one did not commit).
class ExchangeTokenSweeper {
 public:
  ExchangeTokenSweeper(const app::AppContext& app, absl::Duration interval);
  ~ExchangeTokenSweeper();  // stops the thread

 private:
  void Loop();

  const app::AppContext& app_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace returns::jobs
