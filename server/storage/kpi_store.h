#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/kpis.h"
#include "storage/transaction.h"

// Days go to and come from these statements as YYYY-MM-DD text (domain/calendar_day.h).
namespace returns::storage {

// kpis/clock.sql: the database's UTC day, and the last day whose figures are final.
struct KpiClock {
  std::string today;
  std::string last_final_day;
};

// kpis/kpi_costs.sql: the policy's currency and the costs the KPIs price labels and handling at.
struct PolicyCosts {
  std::string currency_code;
  int64_t return_label_cost_minor = 0;
  int64_t handling_cost_minor = 0;
};

// kpis/merchants_missing_rollups.sql: a merchant with a final day not rolled up, and the newest
// such day.
struct MerchantMissingRollup {
  std::string merchant_id;
  std::string missing_day;
};

// kpis/read_rolled_up_days.sql and kpis/read_live_days.sql: one day's counters in one currency.
struct KpiDay {
  std::string day;
  std::string currency_code;
  KpiCounters counters;
};

// kpis/read_rolled_up_resolution_days.sql and kpis/read_live_resolution_days.sql: resolved
// returns of one day in one resolution-time bucket (domain/kpis.h ResolutionBucket).
struct KpiResolutionDay {
  std::string day;
  int32_t bucket = 0;
  int64_t returns = 0;
};

// The statements of storage/sql/kpis/ (the daily KPI rollups and the live figures of days not
// over yet), with their rows read by column name.
// kpis/refund_times.sql: one day's (or, with no day, the range's) refund outcomes.
struct RefundTimesRow {
  std::optional<std::string> day;  // nullopt: the whole range
  int64_t succeeded = 0;
  int64_t failed = 0;
  std::optional<double> p50_seconds;  // nullopt when none succeeded
  std::optional<double> p90_seconds;
};

class KpiStore {
 public:
  explicit KpiStore(Tx& tx) : tx_(tx) {}

  // kpis/clock.sql: the database's day and last final day.
  KpiClock Clock();
  // kpis/kpi_costs.sql: the merchant's policy costs; nullopt when it has no policy.
  std::optional<PolicyCosts> KpiCosts(const std::string& merchant_id);
  // kpis/lock_rollup.sql: takes the merchant's rollup lock until the transaction ends.
  void LockRollup(const std::string& merchant_id);
  // kpis/merchants_missing_rollups.sql: up to `limit` merchants, in random order, with a final
  // day up to `last_final_day` not rolled up.
  std::vector<MerchantMissingRollup> MerchantsMissingRollups(const std::string& last_final_day,
                                                             int limit);
  // kpis/missing_days.sql: the final days of [first_day, last_day] not rolled up, in order.
  std::vector<std::string> MissingDays(const std::string& merchant_id, const std::string& first_day,
                                       const std::string& last_day);
  // kpis/refund_times.sql: refund outcomes per day of the range, and for the whole range, read
  // live (a few rows a day per merchant; not rolled up).
  std::vector<RefundTimesRow> RefundTimes(const std::string& merchant_id,
                                          const std::string& first_day, const std::string& last_day,
                                          const std::string& sku);
  // kpis/read_live_days.sql: the counters of days not over yet, computed now ('' sku: the whole
  // merchant).
  std::vector<KpiDay> ReadLiveDays(const std::string& merchant_id, const std::string& first_day,
                                   const std::string& last_day, const std::string& sku);
  // kpis/read_live_resolution_days.sql: the resolution-time buckets of days not over yet.
  std::vector<KpiResolutionDay> ReadLiveResolutionDays(const std::string& merchant_id,
                                                       const std::string& first_day,
                                                       const std::string& last_day,
                                                       const std::string& sku);
  // kpis/read_rolled_up_days.sql: the rolled-up counters of the range's days.
  std::vector<KpiDay> ReadRolledUpDays(const std::string& merchant_id, const std::string& first_day,
                                       const std::string& last_day, const std::string& sku);
  // kpis/read_rolled_up_resolution_days.sql: the rolled-up resolution-time buckets.
  std::vector<KpiResolutionDay> ReadRolledUpResolutionDays(const std::string& merchant_id,
                                                           const std::string& first_day,
                                                           const std::string& last_day,
                                                           const std::string& sku);
  // kpis/roll_up_days.sql: writes the final days of [first_day, last_day] not rolled up yet,
  // under the merchant's rollup lock.
  void RollUpDays(const std::string& merchant_id, const std::string& first_day,
                  const std::string& last_day);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
