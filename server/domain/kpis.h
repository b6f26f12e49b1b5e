#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "returns/v1/kpis.pb.h"

// The KPI formulas of docs/kpis.md, over counters summed from daily rollups: pure, so the
// figures of a day and of a range come from the same code.
namespace returns {

// A GetKpis range: at most this many days, both ends included (checked by api/request_validation.cc
// when both ends are given, and by app/analytics/get_kpis.cc after the defaults); 30 days by
// default.
inline constexpr int kMaxKpiRangeDays = 366;
inline constexpr int kDefaultKpiRangeDays = 30;

// What one day (or a range of days) of one currency adds up to; kpi_daily's columns.
struct KpiCounters {
  int64_t orders = 0, items_sold = 0, revenue_minor = 0;
  int64_t returns = 0, orders_returned = 0, items_returned = 0, returned_revenue_minor = 0;
  int64_t refund_items = 0, store_credit_items = 0, exchange_items = 0;
  int64_t tokens_issued = 0, tokens_settled = 0;
  int64_t returns_resolved = 0, refunded_minor = 0, store_credit_minor = 0, written_off_minor = 0,
          fees_minor = 0;
  int64_t labels = 0;
  int64_t claims_filed = 0, claims_decided = 0, claims_approved = 0;
  // Of the resolutions: the bonus credit given, the value settled as store credit or an exchange,
  // and the value settled in all (migrations/R__kpi_retention_figures.sql).
  int64_t bonus_credit_minor = 0, retained_value_minor = 0, settled_value_minor = 0;

  KpiCounters& operator+=(const KpiCounters& other);
};

// A day's or range's counters: counts over every currency, and the money-bearing ones over the
// currency the figures are in (so a rate by revenue or a cost never mixes currencies).
struct KpiTally {
  KpiCounters all;                            // counts: every currency
  KpiCounters in_money;                       // the chosen currency only
  std::map<int, int64_t> resolution_buckets;  // bucket -> returns (every currency)

  void Add(const KpiCounters& counters, bool in_currency);
  KpiTally& operator+=(const KpiTally& other);
};

// The bucket of a request-to-resolution time (floor(8 log2 seconds), seconds at least 1), and the
// midpoint it stands for: within 4.5% of any time in it.
int ResolutionBucket(double seconds);
double BucketMidpointSeconds(int bucket);

// The nearest-rank percentile (0 < p <= 1) of the times counted in `buckets`, as a bucket
// midpoint; 0 when there are none.
double PercentileSeconds(const std::map<int, int64_t>& buckets, double p);

// The published figures. `label_cost_minor` and `handling_cost_minor` are the policy's costs per
// label and per resolved return, in `currency`.
v1::KpiFigures KpiFiguresFrom(const KpiTally& tally, const std::string& currency,
                              int64_t label_cost_minor, int64_t handling_cost_minor);

}  // namespace returns
