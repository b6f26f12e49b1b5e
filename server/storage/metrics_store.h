#pragma once

#include <string>
#include <vector>

#include "storage/transaction.h"

namespace returns::storage {

// metrics/operational_gauges.sql: one gauge's value for one label value ('' for none).
struct OperationalGauge {
  std::string name;
  std::string label;
  double value = 0;
};

// The statements of storage/sql/metrics/ (the collector's gauges over every merchant), with
// their rows read by column name.
class MetricsStore {
 public:
  explicit MetricsStore(Tx& tx) : tx_(tx) {}

  // metrics/operational_gauges.sql: jobs queued, dead letters, live exchange tokens, the change
  // feed's lag and the bytes of claim evidence stored, each by its label.
  std::vector<OperationalGauge> OperationalGauges();

 private:
  Tx& tx_;
};

}  // namespace returns::storage
