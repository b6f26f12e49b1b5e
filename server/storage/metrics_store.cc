#include "storage/metrics_store.h"

namespace returns::storage {

std::vector<OperationalGauge> MetricsStore::OperationalGauges() {
  std::vector<OperationalGauge> gauges;
  for (const auto& row : tx_.Exec(sql::kMetricsOperationalGauges)) {
    gauges.push_back(
        {row["name"].as<std::string>(), row["label"].as<std::string>(), row["value"].as<double>()});
  }
  return gauges;
}

}  // namespace returns::storage
