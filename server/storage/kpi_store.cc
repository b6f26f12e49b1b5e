#include "storage/kpi_store.h"

#include "storage/field_reading.h"

namespace returns::storage {
namespace {

// A row of kpis/read_rolled_up_days.sql or kpis/read_live_days.sql (kpi_daily's columns).
KpiDay KpiDayFromRow(const pqxx::row& row) {
  KpiDay day;
  day.day = row["day"].as<std::string>();
  day.currency_code = row["currency_code"].as<std::string>();
  KpiCounters& c = day.counters;
  c.orders = row["orders"].as<int64_t>();
  c.items_sold = row["items_sold"].as<int64_t>();
  c.revenue_minor = row["revenue_minor"].as<int64_t>();
  c.returns = row["returns"].as<int64_t>();
  c.orders_returned = row["orders_returned"].as<int64_t>();
  c.items_returned = row["items_returned"].as<int64_t>();
  c.returned_revenue_minor = row["returned_revenue_minor"].as<int64_t>();
  c.refund_items = row["refund_items"].as<int64_t>();
  c.store_credit_items = row["store_credit_items"].as<int64_t>();
  c.exchange_items = row["exchange_items"].as<int64_t>();
  c.tokens_issued = row["tokens_issued"].as<int64_t>();
  c.tokens_settled = row["tokens_settled"].as<int64_t>();
  c.returns_resolved = row["returns_resolved"].as<int64_t>();
  c.refunded_minor = row["refunded_minor"].as<int64_t>();
  c.store_credit_minor = row["store_credit_minor"].as<int64_t>();
  c.written_off_minor = row["written_off_minor"].as<int64_t>();
  c.fees_minor = row["fees_minor"].as<int64_t>();
  c.labels = row["labels"].as<int64_t>();
  c.claims_filed = row["claims_filed"].as<int64_t>();
  c.claims_decided = row["claims_decided"].as<int64_t>();
  c.claims_approved = row["claims_approved"].as<int64_t>();
  c.bonus_credit_minor = row["bonus_credit_minor"].as<int64_t>();
  c.retained_value_minor = row["retained_value_minor"].as<int64_t>();
  c.settled_value_minor = row["settled_value_minor"].as<int64_t>();
  return day;
}

std::vector<KpiDay> KpiDays(const pqxx::result& rows) {
  std::vector<KpiDay> days;
  for (const auto& row : rows) days.push_back(KpiDayFromRow(row));
  return days;
}

// The rows of kpis/read_rolled_up_resolution_days.sql or kpis/read_live_resolution_days.sql.
std::vector<KpiResolutionDay> KpiResolutionDays(const pqxx::result& rows) {
  std::vector<KpiResolutionDay> days;
  for (const auto& row : rows) {
    days.push_back(
        {row["day"].as<std::string>(), row["bucket"].as<int32_t>(), row["returns"].as<int64_t>()});
  }
  return days;
}

}  // namespace

KpiClock KpiStore::Clock() {
  const auto rows = tx_.Exec(sql::kKpisClock);
  return KpiClock{rows[0]["today"].as<std::string>(), rows[0]["last_final_day"].as<std::string>()};
}

std::optional<PolicyCosts> KpiStore::KpiCosts(const std::string& merchant_id) {
  const auto rows = tx_.Exec(sql::kKpisKpiCosts, merchant_id);
  if (rows.empty()) return std::nullopt;
  return PolicyCosts{rows[0]["currency_code"].as<std::string>(),
                     rows[0]["return_label_cost_minor"].as<int64_t>(),
                     rows[0]["handling_cost_minor"].as<int64_t>()};
}

void KpiStore::LockRollup(const std::string& merchant_id) {
  tx_.Exec(sql::kKpisLockRollup, merchant_id);
}

std::vector<MerchantMissingRollup> KpiStore::MerchantsMissingRollups(
    const std::string& last_final_day, int limit) {
  std::vector<MerchantMissingRollup> merchants;
  for (const auto& row : tx_.Exec(sql::kKpisMerchantsMissingRollups, last_final_day, limit)) {
    merchants.push_back(
        {row["merchant_id"].as<std::string>(), row["missing_day"].as<std::string>()});
  }
  return merchants;
}

std::vector<std::string> KpiStore::MissingDays(const std::string& merchant_id,
                                               const std::string& first_day,
                                               const std::string& last_day) {
  std::vector<std::string> days;
  for (const auto& row : tx_.Exec(sql::kKpisMissingDays, merchant_id, first_day, last_day)) {
    days.push_back(row["day"].as<std::string>());
  }
  return days;
}

std::vector<KpiDay> KpiStore::ReadLiveDays(const std::string& merchant_id,
                                           const std::string& first_day,
                                           const std::string& last_day, const std::string& sku) {
  return KpiDays(tx_.Exec(sql::kKpisReadLiveDays, merchant_id, first_day, last_day, sku));
}

std::vector<KpiResolutionDay> KpiStore::ReadLiveResolutionDays(const std::string& merchant_id,
                                                               const std::string& first_day,
                                                               const std::string& last_day,
                                                               const std::string& sku) {
  return KpiResolutionDays(
      tx_.Exec(sql::kKpisReadLiveResolutionDays, merchant_id, first_day, last_day, sku));
}

std::vector<KpiDay> KpiStore::ReadRolledUpDays(const std::string& merchant_id,
                                               const std::string& first_day,
                                               const std::string& last_day,
                                               const std::string& sku) {
  return KpiDays(tx_.Exec(sql::kKpisReadRolledUpDays, merchant_id, first_day, last_day, sku));
}

std::vector<KpiResolutionDay> KpiStore::ReadRolledUpResolutionDays(const std::string& merchant_id,
                                                                   const std::string& first_day,
                                                                   const std::string& last_day,
                                                                   const std::string& sku) {
  return KpiResolutionDays(
      tx_.Exec(sql::kKpisReadRolledUpResolutionDays, merchant_id, first_day, last_day, sku));
}

void KpiStore::RollUpDays(const std::string& merchant_id, const std::string& first_day,
                          const std::string& last_day) {
  tx_.Exec(sql::kKpisRollUpDays, merchant_id, first_day, last_day);
}

std::vector<RefundTimesRow> KpiStore::RefundTimes(const std::string& merchant_id,
                                                  const std::string& first_day,
                                                  const std::string& last_day,
                                                  const std::string& sku) {
  std::vector<RefundTimesRow> rows;
  for (const auto& row : tx_.Exec(sql::kKpisRefundTimes, merchant_id, first_day, last_day, sku)) {
    RefundTimesRow out;
    out.day = Nullable<std::string>(row["day"]);
    out.succeeded = row["succeeded"].as<int64_t>();
    out.failed = row["failed"].as<int64_t>();
    out.p50_seconds = Nullable<double>(row["p50_seconds"]);
    out.p90_seconds = Nullable<double>(row["p90_seconds"]);
    rows.push_back(std::move(out));
  }
  return rows;
}

}  // namespace returns::storage
