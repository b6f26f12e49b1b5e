#pragma once

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"

namespace returns::jobs {

// The periodic sweeps every replica runs on a thread of its own, every `interval`, judged by the
// database's clock (never this replica's): exchange tokens (expiry, CHARGE_DUE;
// app::SweepExchangeTokens) and request ids past their replay window (app::PurgeExpiredRequestIds),
// evidence uploads abandoned for
// --evidence_upload_expiry_seconds and their bytes (app::SweepAbandonedEvidence), and for up to 10
// s a minute the KPI rollups of days that are over (app::RollUpMissingKpiDays: yesterday first,
// then older days back to a year). SKIP LOCKED keeps replicas from moving a token twice, and a
// crash loses nothing: the next sweep finds what the last did not commit.
class Sweeper {
 public:
  Sweeper(const app::AppContext& app, absl::Duration interval);
  ~Sweeper();  // stops the thread

 private:
  void Loop();
  void SweepExchangeTokens();
  void PurgeRequestIds();
  void SweepEvidence();
  void RollUpKpis();

  const app::AppContext& app_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
  absl::Time next_kpi_rollup_ = absl::InfinitePast();
};

}  // namespace returns::jobs
