// GetKpis (docs/kpis.md): the days of the range that are over come from daily rollups
// (app/background/roll_up_kpis.h: the sweeper writes them, or the first call that needs them); the
// days not over yet are computed at the call. The formulas are in domain/kpis.cc, the per-day SQL
// in migrations/V0026__kpi_daily_rollups.sql. Days go to and come from SQL only as
// domain/calendar_day.h's YYYY-MM-DD.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "app/background/roll_up_kpis.h"
#include "app/analytics/analytics_use_cases.h"
#include "domain/calendar_day.h"
#include "domain/errors.h"
#include "domain/kpis.h"
#include "google/protobuf/util/time_util.h"
#include "storage/kpi_store.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {

std::string DayText(absl::CivilDay day) { return IsoDay(day); }

google::protobuf::Duration SecondsDuration(double seconds) {
  return google::protobuf::util::TimeUtil::MillisecondsToDuration(std::llround(seconds * 1000));
}

void SetRefundTimes(const storage::RefundTimesRow& row, v1::KpiFigures* figures) {
  figures->set_refunds_succeeded(row.succeeded);
  figures->set_refunds_failed(row.failed);
  if (row.p50_seconds) *figures->mutable_refund_time_p50() = SecondsDuration(*row.p50_seconds);
  if (row.p90_seconds) *figures->mutable_refund_time_p90() = SecondsDuration(*row.p90_seconds);
}

struct DayRow {
  std::string currency;
  KpiCounters counters;
};

}  // namespace

absl::Status GetKpis(const AppContext& app, const CallContext& call,
                     const v1::GetKpisRequest& request, v1::Kpis* response) {
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
  if (absl::Status s = storage::RunTransaction(*app.pool, "GetKpis.clock", call.deadline,
                                               [&](storage::Tx& tx) {
                                                 const storage::KpiClock clock =
                                                     storage::KpiStore(tx).Clock();
                                                 today = clock.today;
                                                 last_final = clock.last_final_day;
                                                 return absl::OkStatus();
                                               });
      !s.ok()) {
    return s;
  }
  const std::optional<absl::CivilDay> today_day = ParseIsoDay(today),
                                      final_or_none = ParseIsoDay(last_final);
  if (!today_day || !final_or_none) {
    return absl::InternalError(absl::StrCat("the database's clock (today ", today, ") is outside ",
                                            IsoDay(kFirstKpiDay), " to ", IsoDay(kLastKpiDay)));
  }
  const absl::CivilDay final_day = *final_or_none;
  const absl::CivilDay end = asked_end.value_or(*today_day);
  // A default start never falls before the accepted range.
  const absl::CivilDay start =
      asked_start.value_or(std::max(end - (kDefaultKpiRangeDays - 1), kFirstKpiDay));
  if (start > end) return InvalidField("start_date", "must not be after end_date");
  if (end - start + 1 > kMaxKpiRangeDays) {
    return InvalidField("start_date",
                        absl::StrCat("the range must be at most ", kMaxKpiRangeDays, " days"));
  }

  // The range's final days not rolled up yet (the sweeper usually has): written now, a week per
  // transaction; what is written before a deadline is kept for the retry.
  if (start <= final_day) {
    if (absl::Status s =
            RollUpKpiDays(app, call.merchant_id, start, std::min(end, final_day), call.deadline);
        !s.ok()) {
      return s;
    }
  }

  std::map<std::string, std::vector<DayRow>> rows_by_day;
  std::map<std::string, std::map<int, int64_t>> buckets_by_day;
  std::vector<storage::RefundTimesRow> refund_times;
  std::string policy_currency;
  int64_t label_cost = 0, handling_cost = 0;
  absl::Status read =
      storage::RunTransaction(*app.pool, "GetKpis", call.deadline, [&](storage::Tx& tx) {
        rows_by_day.clear();
        buckets_by_day.clear();
        storage::KpiStore kpis(tx);
        refund_times =
            kpis.RefundTimes(call.merchant_id, DayText(start), DayText(end), request.sku());
        // Every merchant has a policy (merchants/insert_merchant.sql makes it).
        const storage::PolicyCosts costs = kpis.KpiCosts(call.merchant_id).value();
        policy_currency = costs.currency_code;
        label_cost = costs.return_label_cost_minor;
        handling_cost = costs.handling_cost_minor;
        auto collect = [&](const std::vector<storage::KpiDay>& days) {
          for (const storage::KpiDay& day : days) {
            rows_by_day[day.day].push_back({day.currency_code, day.counters});
          }
        };
        auto collect_buckets = [&](const std::vector<storage::KpiResolutionDay>& days) {
          for (const storage::KpiResolutionDay& day : days) {
            buckets_by_day[day.day][day.bucket] += day.returns;
          }
        };
        if (start <= final_day) {
          const std::string last = DayText(std::min(end, final_day));
          collect(kpis.ReadRolledUpDays(call.merchant_id, DayText(start), last, request.sku()));
          collect_buckets(kpis.ReadRolledUpResolutionDays(call.merchant_id, DayText(start), last,
                                                          request.sku()));
        }
        if (end > final_day) {
          const std::string first = DayText(std::max(start, final_day + 1));
          collect(kpis.ReadLiveDays(call.merchant_id, first, DayText(end), request.sku()));
          collect_buckets(
              kpis.ReadLiveResolutionDays(call.merchant_id, first, DayText(end), request.sku()));
        }
        return absl::OkStatus();
      });
  if (!read.ok()) return read;

  // The currency of the money figures: asked for, else the policy's, else the most ordered in.
  std::string currency =
      request.currency_code().empty() ? policy_currency : request.currency_code();
  if (currency.empty()) {
    std::map<std::string, int64_t> orders_by_currency;
    for (const auto& [day, rows] : rows_by_day) {
      for (const DayRow& row : rows)
        orders_by_currency[row.currency] += row.counters.orders + row.counters.returns;
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
  // Refund times: percentiles do not add up over days, so the range's come from their own row.
  std::map<std::string, v1::KpiFigures*> figures_by_day;
  for (v1::DailyKpis& daily : *response->mutable_daily()) {
    figures_by_day[daily.date()] = daily.mutable_figures();
  }
  for (const storage::RefundTimesRow& row : refund_times) {
    v1::KpiFigures* figures = response->mutable_totals();
    if (row.day) {
      auto it = figures_by_day.find(*row.day);
      if (it == figures_by_day.end()) continue;
      figures = it->second;
    }
    SetRefundTimes(row, figures);
  }
  *response->mutable_read_time() = google::protobuf::util::TimeUtil::GetCurrentTime();
  return absl::OkStatus();
}

}  // namespace returns::app
