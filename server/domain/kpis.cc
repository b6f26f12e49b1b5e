#include "domain/kpis.h"

#include <algorithm>
#include <cmath>

#include "google/protobuf/util/time_util.h"

namespace returns {
namespace {

double Rate(int64_t numerator, int64_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

void SetMoney(v1::Money* money, const std::string& currency, int64_t amount) {
  money->set_currency_code(currency);
  money->set_amount_minor(amount);
}

void SetSeconds(google::protobuf::Duration* duration, double seconds) {
  *duration =
      google::protobuf::util::TimeUtil::MillisecondsToDuration(std::llround(seconds * 1000));
}

}  // namespace

KpiCounters& KpiCounters::operator+=(const KpiCounters& o) {
  orders += o.orders;
  items_sold += o.items_sold;
  revenue_minor += o.revenue_minor;
  returns += o.returns;
  orders_returned += o.orders_returned;
  items_returned += o.items_returned;
  returned_revenue_minor += o.returned_revenue_minor;
  refund_items += o.refund_items;
  store_credit_items += o.store_credit_items;
  exchange_items += o.exchange_items;
  tokens_issued += o.tokens_issued;
  tokens_settled += o.tokens_settled;
  returns_resolved += o.returns_resolved;
  refunded_minor += o.refunded_minor;
  store_credit_minor += o.store_credit_minor;
  written_off_minor += o.written_off_minor;
  fees_minor += o.fees_minor;
  labels += o.labels;
  claims_filed += o.claims_filed;
  claims_decided += o.claims_decided;
  claims_approved += o.claims_approved;
  bonus_credit_minor += o.bonus_credit_minor;
  retained_value_minor += o.retained_value_minor;
  settled_value_minor += o.settled_value_minor;
  return *this;
}

void KpiTally::Add(const KpiCounters& counters, bool in_currency) {
  all += counters;
  if (in_currency) in_money += counters;
}

KpiTally& KpiTally::operator+=(const KpiTally& other) {
  all += other.all;
  in_money += other.in_money;
  for (const auto& [bucket, n] : other.resolution_buckets) resolution_buckets[bucket] += n;
  return *this;
}

int ResolutionBucket(double seconds) {
  return static_cast<int>(std::floor(8 * std::log2(std::max(seconds, 1.0))));
}

double BucketMidpointSeconds(int bucket) { return std::exp2((bucket + 0.5) / 8); }

double PercentileSeconds(const std::map<int, int64_t>& buckets, double p) {
  int64_t total = 0;
  for (const auto& [bucket, n] : buckets) total += n;
  if (total == 0) return 0;
  const auto rank = static_cast<int64_t>(std::ceil(p * static_cast<double>(total)));
  int64_t seen = 0;
  for (const auto& [bucket, n] : buckets) {
    seen += n;
    if (seen >= rank) return BucketMidpointSeconds(bucket);
  }
  return BucketMidpointSeconds(buckets.rbegin()->first);
}

v1::KpiFigures KpiFiguresFrom(const KpiTally& tally, const std::string& currency,
                              int64_t label_cost_minor, int64_t handling_cost_minor) {
  const KpiCounters& c = tally.all;
  const KpiCounters& m = tally.in_money;
  v1::KpiFigures f;
  f.set_orders(c.orders);
  f.set_items_sold(c.items_sold);
  SetMoney(f.mutable_revenue(), currency, m.revenue_minor);
  f.set_returns(c.returns);
  f.set_orders_returned(c.orders_returned);
  f.set_items_returned(c.items_returned);
  SetMoney(f.mutable_returned_revenue(), currency, m.returned_revenue_minor);
  f.set_return_rate_by_orders(Rate(c.orders_returned, c.orders));
  f.set_return_rate_by_items(Rate(c.items_returned, c.items_sold));
  f.set_return_rate_by_revenue(Rate(m.returned_revenue_minor, m.revenue_minor));
  f.set_refund_items(c.refund_items);
  f.set_store_credit_items(c.store_credit_items);
  f.set_exchange_items(c.exchange_items);
  f.set_refund_share(Rate(c.refund_items, c.items_returned));
  f.set_store_credit_share(Rate(c.store_credit_items, c.items_returned));
  f.set_exchange_share(Rate(c.exchange_items, c.items_returned));
  f.set_tokens_issued(c.tokens_issued);
  f.set_tokens_settled(c.tokens_settled);
  f.set_exchange_completion_rate(Rate(c.tokens_settled, c.tokens_issued));
  f.set_returns_resolved(c.returns_resolved);
  SetSeconds(f.mutable_resolution_time_p50(), PercentileSeconds(tally.resolution_buckets, 0.5));
  SetSeconds(f.mutable_resolution_time_p90(), PercentileSeconds(tally.resolution_buckets, 0.9));
  SetMoney(f.mutable_refunded(), currency, m.refunded_minor);
  SetMoney(f.mutable_store_credit_issued(), currency, m.store_credit_minor);
  const int64_t labels = m.labels * label_cost_minor;
  const int64_t handling = m.returns_resolved * handling_cost_minor;
  SetMoney(f.mutable_label_cost(), currency, labels);
  SetMoney(f.mutable_handling_cost(), currency, handling);
  SetMoney(f.mutable_written_off(), currency, m.written_off_minor);
  SetMoney(f.mutable_fees_collected(), currency, m.fees_minor);
  const int64_t cost = labels + handling + m.written_off_minor - m.fees_minor;
  SetMoney(f.mutable_cost_per_return(), currency,
           m.returns_resolved == 0
               ? 0
               : std::llround(static_cast<double>(cost) / static_cast<double>(m.returns_resolved)));
  f.set_claims_filed(c.claims_filed);
  f.set_claims_decided(c.claims_decided);
  f.set_claims_approved(c.claims_approved);
  f.set_claims_rate(Rate(c.claims_filed, c.orders));
  f.set_claim_approval_rate(Rate(c.claims_approved, c.claims_decided));
  SetMoney(f.mutable_bonus_credit_issued(), currency, m.bonus_credit_minor);
  SetMoney(f.mutable_retained_revenue(), currency, m.retained_value_minor);
  f.set_retained_revenue_share(Rate(m.retained_value_minor, m.settled_value_minor));
  return f;
}

}  // namespace returns
