#include "jobs/job_worker.h"

#include "common/log.h"

namespace returns::jobs {

JobWorker::JobWorker(const app::AppContext& app, app::JobRunOptions options, int threads,
                     absl::Duration poll_interval)
    : app_(app), options_(options), poll_interval_(poll_interval) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

JobWorker::~JobWorker() {
  stop_.Notify();
  for (auto& thread : threads_) thread.join();
}

void JobWorker::Loop() {
  bool warned = false;
  while (!stop_.HasBeenNotified()) {
    auto ran = app::RunDueJobs(app_, options_);
    if (!ran.ok()) {
      if (!warned) log::Warn("job worker cannot reach the database", {{"error", ran.status().message()}});
      warned = true;
    } else {
      warned = false;
      if (*ran == options_.batch) continue;  // more may be due
    }
    stop_.WaitForNotificationWithTimeout(poll_interval_);
  }
}

}  // namespace returns::jobs
