#include "database_watcher.h"

#include <memory>

#include <pqxx/pqxx>

#include "common/log.h"
#include "metrics/metrics.h"
#include "storage/connection_pool.h"

namespace returns {

DatabaseWatcher::DatabaseWatcher(std::string database_url,
                                 grpc::HealthCheckServiceInterface* health, absl::Duration interval)
    : database_url_(std::move(database_url)), health_(health), interval_(interval) {
  thread_ = std::thread([this] { Loop(); });
}

DatabaseWatcher::~DatabaseWatcher() {
  stop_.Notify();
  thread_.join();
}

void DatabaseWatcher::Loop() {
  std::unique_ptr<pqxx::connection> conn;
  bool was_serving =
      true;  // Serve (server/service/serve.cc) starts SERVING after a successful migration check
  do {
    bool serving = false;
    try {
      if (conn == nullptr || !conn->is_open())
        conn = std::make_unique<pqxx::connection>(storage::WithConnectionTimeouts(database_url_));
      pqxx::nontransaction probe(*conn);
      probe.exec("SELECT 1");
      serving = true;
    } catch (const std::exception& e) {
      conn.reset();
      if (was_serving)
        log::Warn("database unreachable: health is NOT_SERVING", {{"error", e.what()}});
    }
    if (serving && !was_serving) log::Info("database reachable again: health is SERVING");
    metrics::SetDatabaseUp(serving);
    if (serving != was_serving) {
      health_->SetServingStatus(serving);
      // "liveness" says the process is up, whatever the database (server/service/serve.cc): a
      // liveness probe must not restart replicas for a database outage.
      health_->SetServingStatus("liveness", true);
    }
    was_serving = serving;
  } while (!stop_.WaitForNotificationWithTimeout(interval_));
}

}  // namespace returns
