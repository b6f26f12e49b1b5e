#include "metrics/collector.h"

#include "metrics/metrics.h"
#include "storage/transaction.h"

namespace returns::metrics {
namespace {

// The help text of each collected gauge (docs/operations.md says what to do when one moves).
const std::map<std::string, std::pair<std::string, std::string>>& Gauges() {
  static const auto* gauges = new std::map<std::string, std::pair<std::string, std::string>>{
      {"returns_jobs_queued", {"kind", "Durable jobs pending or running, by kind"}},
      {"returns_jobs_oldest_age_seconds", {"kind", "Age of the oldest pending or running job, by kind"}},
      {"returns_jobs_dead", {"kind", "Dead-lettered jobs (out of attempts), by kind"}},
      {"returns_exchange_tokens", {"state", "Live exchange tokens, by state"}},
      {"returns_change_feed_lag_events", {"feed", "Change-feed events committed but not yet numbered"}},
      {"returns_change_feed_lag_seconds", {"feed", "Age of the oldest change-feed event not yet numbered"}},
  };
  return *gauges;
}

}  // namespace

Collector::Collector(const app::AppContext& app, const api::Executor& executor, absl::Duration interval)
    : app_(app), executor_(executor), interval_(interval) {
  thread_ = std::thread([this] { Loop(); });
}

Collector::~Collector() {
  stop_.Notify();
  thread_.join();
}

void Collector::Loop() {
  do {
    Collect();
  } while (!stop_.WaitForNotificationWithTimeout(interval_));
}

void Collector::Collect() {
  SetPool(app_.pool->in_use(), app_.pool->waiting(), app_.pool->size());
  SetExecutorQueue(executor_.queued());
  std::map<std::string, std::map<std::string, double>> values;
  const absl::Status read = storage::RunTransaction(
      *app_.pool, "CollectMetrics", absl::Now() + absl::Seconds(5), [&](storage::Tx& tx) {
        values.clear();
        for (const auto& row : tx.Exec("metrics/operational_gauges")) {
          values[row[0].as<std::string>()][row[1].as<std::string>()] = row[2].as<double>();
        }
        return absl::OkStatus();
      });
  if (!read.ok()) return;
  for (const auto& [name, meta] : Gauges()) {
    std::set<std::string>& seen = seen_[name];
    for (const auto& [label, value] : values[name]) seen.insert(label);
    if (name.rfind("returns_change_feed", 0) == 0) seen.insert("");  // always present, 0 when caught up
    for (const std::string& label : seen) {
      const auto& by_label = values[name];
      const auto it = by_label.find(label);
      SetGauge(name, meta.second, meta.first, label.empty() ? "all" : label, it == by_label.end() ? 0 : it->second);
    }
  }
}

}  // namespace returns::metrics
