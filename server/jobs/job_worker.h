#pragma once

#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "app/background/background_passes.h"

namespace returns::jobs {

// Worker threads that run durable jobs (app::RunDueJobs) while returnsd runs: each looks for due
// jobs every `poll_interval` and runs batches until none is due. Any number of replicas run them
// at once; SKIP LOCKED and leases keep a job with one worker at a time.
class JobWorker {
 public:
  JobWorker(const app::AppContext& app, app::JobRunOptions options, int threads,
            absl::Duration poll_interval);
  ~JobWorker();  // stops the threads after their current job

 private:
  void Loop(bool reports);
  // Logs the jobs waiting or running and the dead ones, over all merchants (once a minute).
  void ReportQueueDepth();

  const app::AppContext& app_;
  const app::JobRunOptions options_;
  const absl::Duration poll_interval_;
  absl::Notification stop_;
  std::vector<std::thread> threads_;
};

}  // namespace returns::jobs
