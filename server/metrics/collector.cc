#include "metrics/collector.h"

#include "common/guarded.h"

#include <iterator>
#include <vector>

#include "app/common/enqueue_job.h"

#include "metrics/metrics.h"
#include "storage/metrics_store.h"
#include "storage/transaction.h"
#include "common/enum_text.h"

namespace returns::metrics {
namespace {

// One collected gauge: its label, its help text (docs/operations.md says what to do when one
// moves) and the label values it has from the start, at 0, so that an alert on its first
// increase can fire (a first dead letter) and dashboards show an empty queue as 0, not as absent.
struct GaugeSpec {
  std::string label;
  std::string help;
  std::vector<std::string> from_start;
};

const std::map<std::string, GaugeSpec>& Gauges() {
  static const auto* gauges = [] {
    std::vector<std::string> kinds;  // as stored, the label the gauges' query reads
    for (const v1::JobKind kind : app::kJobKinds) kinds.push_back(EnumText(kind));
    const std::vector<std::string> live_states = {"ISSUED", "REDEEMED", "IN_TRANSIT", "CHARGE_DUE",
                                                  "CHARGE_FAILED"};
    return new std::map<std::string, GaugeSpec>{
        {"returns_jobs_queued", {"kind", "Durable jobs pending or running, by kind", kinds}},
        {"returns_jobs_oldest_age_seconds",
         {"kind", "Age of the oldest pending or running job, by kind", kinds}},
        {"returns_jobs_dead", {"kind", "Dead-lettered jobs (out of attempts), by kind", kinds}},
        {"returns_exchange_tokens", {"state", "Live exchange tokens, by state", live_states}},
        {"returns_change_feed_lag_events",
         {"feed", "Change-feed events committed but not yet numbered", {""}}},
        {"returns_change_feed_lag_seconds",
         {"feed", "Age of the oldest change-feed event not yet numbered", {""}}},
        {"returns_evidence_stored_bytes",
         {"state",
          "Bytes of claim evidence stored, all merchants, by upload state (UPLOADING, COMPLETE)",
          {"UPLOADING", "COMPLETE"}}},
        {"returns_money_movements_requested",
         {"kind", "Money movements awaiting the payment system's outcome, by kind", {}}},
        {"returns_money_movement_oldest_requested_age_seconds",
         {"movements", "Age of the oldest money movement still REQUESTED (docs/money.md)", {""}}},
        {"returns_money_movements_failed",
         {"kind", "Money movements FAILED and waiting for a person, by kind", {}}},
        {"returns_webhook_deliveries_pending",
         {"deliveries", "Webhook deliveries not yet answered 2xx, all endpoints", {""}}},
        {"returns_webhook_oldest_undelivered_age_seconds",
         {"deliveries", "Age of the oldest webhook delivery not yet answered 2xx", {""}}},
        {"returns_webhook_endpoints_disabled",
         {"endpoints", "Webhook endpoints the service disabled (410 or the retry window)", {""}}},
    };
  }();
  return *gauges;
}

}  // namespace

void Collector::DeclareSeries() {
  for (const auto& [name, spec] : Gauges()) {
    for (const std::string& label : spec.from_start) {
      SetGauge(name, spec.help, spec.label, label.empty() ? "all" : label, 0);
    }
  }
}

Collector::Collector(const app::AppContext& app, const api::Executor& executor,
                     absl::Duration interval)
    : app_(app), executor_(executor), interval_(interval) {
  for (const auto& [name, spec] : Gauges())
    seen_[name].insert(spec.from_start.begin(), spec.from_start.end());
  thread_ = std::thread([this] { Loop(); });
}

Collector::~Collector() {
  stop_.Notify();
  thread_.join();
}

void Collector::Loop() {
  do {
    RunGuarded("metrics collector", [&] { Collect(); });
  } while (!stop_.WaitForNotificationWithTimeout(interval_));
}

void Collector::Collect() {
  SetPool(app_.pool->in_use(), app_.pool->waiting(), app_.pool->size());
  SetExecutorQueue(executor_.queued());
  std::map<std::string, std::map<std::string, double>> values;
  const absl::Status read = storage::RunTransaction(
      *app_.pool, "CollectMetrics", absl::Now() + absl::Seconds(5), [&](storage::Tx& tx) {
        values.clear();
        for (const storage::OperationalGauge& gauge :
             storage::MetricsStore(tx).OperationalGauges()) {
          values[gauge.name][gauge.label] = gauge.value;
        }
        return absl::OkStatus();
      });
  if (!read.ok()) return;
  for (const auto& [name, spec] : Gauges()) {
    std::set<std::string>& seen = seen_[name];
    for (const auto& [label, value] : values[name]) seen.insert(label);
    for (const std::string& label : seen) {
      const auto& by_label = values[name];
      const auto it = by_label.find(label);
      SetGauge(name, spec.help, spec.label, label.empty() ? "all" : label,
               it == by_label.end() ? 0 : it->second);
    }
  }
}

}  // namespace returns::metrics
