#pragma once

#include <string>
#include <thread>

#include <grpcpp/health_check_service_interface.h>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace returns {

// Checks every `interval` that PostgreSQL answers, on a connection of its own (so a busy pool
// never makes the service look down), and sets the health of every service accordingly:
// NOT_SERVING while the database is unreachable, SERVING again once it is back.
class DatabaseWatcher {
 public:
  DatabaseWatcher(std::string database_url, grpc::HealthCheckServiceInterface* health,
                  absl::Duration interval);
  ~DatabaseWatcher();  // stops the thread

 private:
  void Loop();

  const std::string database_url_;
  grpc::HealthCheckServiceInterface* const health_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace returns
