// GetKpis (docs/kpis.md): the days of the range that are over come from daily rollups
// (app/roll_up_kpis.h: the sweeper writes them, or the first call that needs them); the days not
// over yet are computed at the call. The formulas are in
// domain/kpis.cc, the per-day SQL in migrations/V0026__kpi_daily_rollups.sql. Days go to and come
// from SQL only as domain/calendar_day.h's YYYY-MM-DD.
#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "app/roll_up_kpis.h"
#include "app/use_cases.h"
#include "domain/calendar_day.h"
#include "domain/errors.h"
#include "domain/kpis.h"
#include "google/protobuf/util/time_util.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {

std::string DayText(absl::CivilDay day) { return IsoDay(day); }

KpiCounters CountersFromRow(const pqxx::row& row) {
  int i = 2;  // after day and currency
  auto next = [&] { return row[i++].as<int64_t>(); };
  KpiCounters c;
  c.orders = next();
  c.items_sold = next();
  c.revenue_minor = next();
  c.returns = next();
  c.orders_returned = next();
  c.items_returned = next();
  c.returned_revenue_minor = next();
  c.refund_items = next();
  c.store_credit_items = next();
  c.exchange_items = next();
  c.tokens_issued = next();
  c.tokens_settled = next();
  c.returns_resolved = next();
  c.refunded_minor = next();
  c.store_credit_minor = next();
  c.written_off_minor = next();
  c.fees_minor = next();
  c.labels = next();
  c.claims_filed = next();
  c.claims_decided = next();
  c.claims_approved = next();
  return c;
}

struct DayRow {
  std::string currency;
  KpiCounters counters;
};

}  // namespace

absl::Status GetKpis(const AppContext& app, const CallContext& call, const v1::GetKpisRequest& request,
                     v1::Kpis* response) {
  // The request's days first, before anything is read (api/request_validation.cc checks them for
  // the API, but a day that is not strict ISO within the range must never reach SQL, whoever
  // calls), then the database's.
  std::optional<absl::CivilDay> asked_start, asked_end;
  if (!request.start_date().empty() && !(asked_start = ParseIsoDay(request.start_date()))) {
    return InvalidField("start_date", IsoDayRequirement());
  }
  if (!request.end_date().empty() && !(asked_end = ParseIsoDay(request.end_date()))) {
    return InvalidField("end_date", IsoDayRequirement());
  }
  std::string today, last_final;
  if (absl::Status s = storage::RunTransaction(*app.pool, "GetKpis.clock", call.deadline, [&](storage::Tx& tx) {
        auto row = tx.Exec("kpis/clock")[0];
        today = row[0].as<std::string>();
        last_final = row[1].as<std::string>();
        return absl::OkStatus();
      });
      !s.ok()) {
    return s;
  }
  const std::optional<absl::CivilDay> today_day = ParseIsoDay(today), final_or_none = ParseIsoDay(last_final);
  if (!today_day || !final_or_none) {
    return absl::InternalError(absl::StrCat("the database's clock (today ", today, ") is outside ",
                                            IsoDay(kFirstKpiDay), " to ", IsoDay(kLastKpiDay)));
  }
  const absl::CivilDay final_day = *final_or_none;
  const absl::CivilDay end = asked_end.value_or(*today_day);
  // A default start never falls before the accepted range.
  const absl::CivilDay start = asked_start.value_or(std::max(end - (kDefaultKpiRangeDays - 1), kFirstKpiDay));
  if (start > end) return InvalidField("start_date", "must not be after end_date");
  if (end - start + 1 > kMaxKpiRangeDays) {
    return InvalidField("start_date", absl::StrCat("the range must be at most ", kMaxKpiRangeDays, " days"));
  }

  // The range's final days not rolled up yet (the sweeper usually has): written now, a week per
  // transaction; what is written before a deadline is kept for the retry.
  if (start <= final_day) {
    if (absl::Status s = RollUpKpiDays(app, call.merchant_id, start, std::min(end, final_day), call.deadline); !s.ok()) {
      return s;
    }
  }

  std::map<std::string, std::vector<DayRow>> rows_by_day;
  std::map<std::string, std::map<int, int64_t>> buckets_by_day;
  std::string policy_currency;
  int64_t label_cost = 0, handling_cost = 0;
  absl::Status read = storage::RunTransaction(*app.pool, "GetKpis", call.deadline, [&](storage::Tx& tx) {
    rows_by_day.clear();
    buckets_by_day.clear();
    auto costs = tx.Exec("kpis/kpi_costs", call.merchant_id)[0];
    policy_currency = costs[0].as<std::string>();
    label_cost = costs[1].as<int64_t>();
    handling_cost = costs[2].as<int64_t>();
    auto collect = [&](const pqxx::result& rows) {
      for (const auto& row : rows) {
        rows_by_day[row[0].as<std::string>()].push_back({row[1].as<std::string>(), CountersFromRow(row)});
      }
    };
    auto collect_buckets = [&](const pqxx::result& rows) {
      for (const auto& row : rows) {
        buckets_by_day[row[0].as<std::string>()][row[1].as<int>()] += row[2].as<int64_t>();
      }
    };
    if (start <= final_day) {
      const std::string last = DayText(std::min(end, final_day));
      collect(tx.Exec("kpis/read_rolled_up_days", call.merchant_id, DayText(start), last, request.sku()));
      collect_buckets(tx.Exec("kpis/read_rolled_up_resolution_days", call.merchant_id, DayText(start), last,
                              request.sku()));
    }
    if (end > final_day) {
      const std::string first = DayText(std::max(start, final_day + 1));
      collect(tx.Exec("kpis/read_live_days", call.merchant_id, first, DayText(end), request.sku()));
      collect_buckets(tx.Exec("kpis/read_live_resolution_days", call.merchant_id, first, DayText(end),
                              request.sku()));
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;

  // The currency of the money figures: asked for, else the policy's, else the most ordered in.
  std::string currency = request.currency_code().empty() ? policy_currency : request.currency_code();
  if (currency.empty()) {
    std::map<std::string, int64_t> orders_by_currency;
    for (const auto& [day, rows] : rows_by_day) {
      for (const DayRow& row : rows) orders_by_currency[row.currency] += row.counters.orders + row.counters.returns;
    }
    int64_t most = -1;
    for (const auto& [code, n] : orders_by_currency) {
      if (n > most) most = n, currency = code;
    }
  }
  // The policy's costs are in its currency (or, without one, in each order's): they price labels
  // and handling only in a currency they can be in.
  if (!policy_currency.empty() && currency != policy_currency) label_cost = handling_cost = 0;

  response->set_start_date(DayText(start));
  response->set_end_date(DayText(end));
  response->set_sku(request.sku());
  response->set_currency_code(currency);
  KpiTally total;
  for (absl::CivilDay day = start; day <= end; ++day) {
    const std::string text = DayText(day);
    KpiTally tally;
    for (const DayRow& row : rows_by_day[text]) tally.Add(row.counters, row.currency == currency);
    tally.resolution_buckets = buckets_by_day[text];
    v1::DailyKpis* daily = response->add_daily();
    daily->set_date(text);
    *daily->mutable_figures() = KpiFiguresFrom(tally, currency, label_cost, handling_cost);
    total += tally;
  }
  *response->mutable_totals() = KpiFiguresFrom(total, currency, label_cost, handling_cost);
  *response->mutable_read_time() = google::protobuf::util::TimeUtil::GetCurrentTime();
  return absl::OkStatus();
}

}  // namespace returns::app
