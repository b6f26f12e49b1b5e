// returnsctl kpis: GetKpis as a table of the range's figures and a small terminal chart of a
// daily series (docs/kpis.md).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"
#include "returns/v1/analytics_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"
#include "table.h"

namespace returns::client {
namespace {

struct KpiValues {
  std::string start_date, end_date, sku, currency, chart = "return_rate_by_items";
};

std::string Percent(double rate) { return absl::StrFormat("%.1f%%", 100 * rate); }

std::string Duration(const google::protobuf::Duration& d) {
  const double hours = static_cast<double>(TimeUtil::DurationToSeconds(d)) / 3600;
  return hours < 48 ? absl::StrFormat("%.1f h", hours) : absl::StrFormat("%.1f d", hours / 24);
}

// The charted figure of a day, by name.
double Figure(const v1::KpiFigures& f, const std::string& name) {
  if (name == "returns") return static_cast<double>(f.returns());
  if (name == "orders") return static_cast<double>(f.orders());
  if (name == "return_rate_by_orders") return f.return_rate_by_orders();
  if (name == "exchange_share") return f.exchange_share();
  if (name == "retained_revenue_share") return f.retained_revenue_share();
  if (name == "cost_per_return") return static_cast<double>(f.cost_per_return().amount_minor());
  return f.return_rate_by_items();
}

// One bar per day, scaled to the largest.
void PrintChart(const v1::Kpis& kpis, const std::string& name) {
  double top = 0;
  for (const auto& day : kpis.daily()) top = std::max(top, Figure(day.figures(), name));
  const bool rate = name.find("rate") != std::string::npos || name == "exchange_share";
  std::cout << "\n" << name << " by day:\n";
  for (const auto& day : kpis.daily()) {
    const double value = Figure(day.figures(), name);
    const int width = top > 0 ? static_cast<int>(std::lround(40 * value / top)) : 0;
    std::cout << day.date() << " " << std::string(width, '#') << std::string(40 - width, ' ') << " "
              << (rate ? Percent(value) : absl::StrCat(static_cast<int64_t>(value))) << "\n";
  }
}

void ShowKpis(const KpiValues& v, CommandContext& context) {
  v1::GetKpisRequest request;
  request.set_start_date(v.start_date);
  request.set_end_date(v.end_date);
  request.set_sku(v.sku);
  request.set_currency_code(v.currency);
  v1::AnalyticsService::Stub& analytics = *context.services().analytics;
  v1::Kpis kpis;
  context.rc = Invoke(context.g, false,
                      [&](grpc::ClientContext* c) { return analytics.GetKpis(c, request, &kpis); });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(kpis);
  const v1::KpiFigures& t = kpis.totals();
  std::cout << "KPIs " << kpis.start_date() << " .. " << kpis.end_date()
            << (kpis.sku().empty() ? "" : "  SKU " + kpis.sku()) << "  (money in "
            << kpis.currency_code() << "; formulas: docs/kpis.md)\n";
  PrintTable(
      {"FIGURE", "VALUE", "FROM"},
      {{"return rate by orders", Percent(t.return_rate_by_orders()),
        absl::StrCat(t.orders_returned(), " of ", t.orders(), " orders")},
       {"return rate by items", Percent(t.return_rate_by_items()),
        absl::StrCat(t.items_returned(), " of ", t.items_sold(), " units")},
       {"return rate by revenue", Percent(t.return_rate_by_revenue()),
        absl::StrCat(Money(t.returned_revenue()), " of ", Money(t.revenue()))},
       {"refund / credit / exchange",
        absl::StrCat(Percent(t.refund_share()), " / ", Percent(t.store_credit_share()), " / ",
                     Percent(t.exchange_share())),
        absl::StrCat(t.items_returned(), " units returned")},
       {"exchange completion", Percent(t.exchange_completion_rate()),
        absl::StrCat(t.tokens_settled(), " of ", t.tokens_issued(), " tokens settled")},
       {"resolution time p50 / p90",
        absl::StrCat(Duration(t.resolution_time_p50()), " / ", Duration(t.resolution_time_p90())),
        absl::StrCat(t.returns_resolved(), " returns resolved")},
       {"cost per return", Money(t.cost_per_return()),
        absl::StrCat("labels ", Money(t.label_cost()), " + handling ", Money(t.handling_cost()),
                     " + written off ", Money(t.written_off()), " - fees ",
                     Money(t.fees_collected()))},
       {"retained revenue", Percent(t.retained_revenue_share()),
        absl::StrCat(Money(t.retained_revenue()), " kept as credit or exchange; bonus credit ",
                     Money(t.bonus_credit_issued()))},
       {"claims rate", Percent(t.claims_rate()), absl::StrCat(t.claims_filed(), " claims filed")},
       {"claim approval rate", Percent(t.claim_approval_rate()),
        absl::StrCat(t.claims_approved(), " of ", t.claims_decided(), " decided")}});
  PrintChart(kpis, v.chart);
}

}  // namespace

void AddKpiCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<KpiValues>();
  auto* kpis = app.add_subcommand(
      "kpis", "return rates, mix, resolution time, cost per return, claims (SUPPORT, ADMIN)");
  kpis->add_option("--from", v->start_date,
                   "first day, YYYY-MM-DD (UTC); default 29 days before --to");
  kpis->add_option("--to", v->end_date, "last day, inclusive; default today");
  kpis->add_option("--sku", v->sku, "only what concerns this SKU");
  kpis->add_option("--currency", v->currency, "the currency of the money figures");
  kpis->add_option(
      "--chart", v->chart,
      "the daily series to chart: return_rate_by_items (default), "
      "return_rate_by_orders, exchange_share, retained_revenue_share, returns, orders, "
      "cost_per_return");
  kpis->callback([v, &context] { ShowKpis(*v, context); });
}

}  // namespace returns::client
