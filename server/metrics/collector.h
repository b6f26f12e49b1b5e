#pragma once

#include <map>
#include <set>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "api/executor.h"
#include "app/common/app_context.h"

namespace returns::metrics {

// Refreshes the gauges that are state rather than events, every `interval` on a thread of its
// own: the database pool and the executor's queue (from this process), and from the database the
// job queues, dead letters, live tokens by state and the change feed's lag
// (storage/sql/metrics/operational_gauges.sql). A read that fails leaves the last values; the
// database's reachability is the watcher's gauge.
class Collector {
 public:
  Collector(const app::AppContext& app, const api::Executor& executor, absl::Duration interval);
  ~Collector();  // stops the thread

  // Creates every collected series at 0, before anything is read or even the database is ready:
  // the endpoint shows them from its first scrape (main() calls it as the endpoint opens).
  static void DeclareSeries();

 private:
  void Loop();
  void Collect();

  const app::AppContext& app_;
  const api::Executor& executor_;
  const absl::Duration interval_;
  // Series seen before, so one that disappears (a queue that drained) is set back to 0.
  std::map<std::string, std::set<std::string>> seen_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace returns::metrics
