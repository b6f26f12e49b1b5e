#include "jobs/job_worker.h"

#include "common/guarded.h"

#include "common/log.h"
#include "storage/job_store.h"
#include "storage/transaction.h"

namespace returns::jobs {

JobWorker::JobWorker(const app::AppContext& app, app::JobRunOptions options, int threads,
                     absl::Duration poll_interval)
    : app_(app), options_(options), poll_interval_(poll_interval) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this, i] { Loop(/*reports=*/i == 0); });
}

JobWorker::~JobWorker() {
  stop_.Notify();
  for (auto& thread : threads_) thread.join();
}

void JobWorker::Loop(bool reports) {
  bool warned = false;
  absl::Time next_report = absl::Now();
  while (!stop_.HasBeenNotified()) {
    if (reports && absl::Now() >= next_report) {
      ReportQueueDepth();
      next_report = absl::Now() + absl::Minutes(1);
    }
    absl::StatusOr<int> ran = absl::InternalError("the job pass ended with an exception");
    RunGuarded("job worker", [&] { ran = app::RunDueJobs(app_, options_); });
    if (!ran.ok()) {
      if (!warned)
        log::Warn("job worker cannot reach the database", {{"error", ran.status().message()}});
      warned = true;
    } else {
      warned = false;
      if (*ran == options_.batch) continue;  // more may be due
    }
    stop_.WaitForNotificationWithTimeout(poll_interval_);
  }
}

void JobWorker::ReportQueueDepth() {
  storage::JobQueueDepth depth;
  absl::Status status = storage::RunSingleRead(
      *app_.pool, "JobQueueDepth", absl::Now() + absl::Seconds(5), [&](storage::Tx& tx) {
        depth = storage::JobStore(tx).QueueDepth();
        return absl::OkStatus();
      });
  if (!status.ok()) return;
  const nlohmann::json fields = {{"waiting_or_running", depth.waiting_or_running},
                                 {"dead", depth.dead}};
  // Dead letters need an operator (returnsctl jobs list --dead): say so louder.
  if (depth.dead > 0) {
    log::Warn("job queue", fields);
  } else {
    log::Info("job queue", fields);
  }
}

}  // namespace returns::jobs
