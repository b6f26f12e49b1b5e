#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/job.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// jobs/claim_due_jobs.sql: a job a worker just claimed (RUNNING, under a lease).
struct ClaimedJobRow {
  std::string merchant_id;
  std::string job_id;
  std::string kind;
  std::string dedup_key;
  std::string order_id;
  std::string subject_id;
  std::string payload;   // JSON object
  int32_t attempts = 0;  // this attempt's number, counting this one
  int32_t max_attempts = 0;
};

// jobs/list_jobs.sql: a job and the create time its page position is made of.
struct ListedJob {
  v1::Job resource;
  int64_t create_time_us = 0;
};

// jobs/queue_depth.sql: jobs waiting or running, and dead ones, over all merchants.
struct JobQueueDepth {
  int64_t waiting_or_running = 0;
  int64_t dead = 0;
};

// The statements of storage/sql/jobs/ (the durable jobs that call other systems), with their
// rows read by column name.
class JobStore {
 public:
  explicit JobStore(Tx& tx) : tx_(tx) {}

  // jobs/claim_due_jobs.sql: claims up to `limit` due jobs of any merchant under a lease of
  // `lease_ms`, skipping those another worker holds.
  std::vector<ClaimedJobRow> ClaimDueJobs(int limit, int64_t lease_ms);
  // jobs/complete_job.sql: marks the job done; false when this attempt no longer holds it (its
  // lease ran out and another worker took it over).
  bool CompleteJob(const std::string& merchant_id, const std::string& job_id, int attempt);
  // jobs/enqueue_job.sql: enqueues the job in the caller's transaction (once per dedup_key).
  void EnqueueJob(const std::string& merchant_id, const std::string& kind,
                  const std::string& dedup_key, const std::string& order_id,
                  const std::string& subject_id, const std::string& payload_json);
  // jobs/fail_job.sql: schedules the retry in `retry_delay_ms` or dead-letters the job; its new
  // state, or nullopt when this attempt no longer holds it.
  std::optional<std::string> FailJob(const std::string& merchant_id, const std::string& job_id,
                                     int attempt, int64_t retry_delay_ms, bool give_up,
                                     const std::string& error);
  // jobs/list_jobs.sql: a page of the merchant's jobs, oldest first ('' state matches all).
  std::vector<ListedJob> ListJobs(const std::string& merchant_id, const std::string& state,
                                  const std::string& after_create_time_us,
                                  const std::string& after_job_id, int limit);
  // jobs/lock_job.sql: the job's state, locked FOR UPDATE; nullopt when there is none.
  std::optional<std::string> LockJob(const std::string& merchant_id, const std::string& job_id);
  // jobs/queue_depth.sql: the queue over all merchants (for logs and metrics).
  JobQueueDepth QueueDepth();
  // jobs/retry_job.sql: a dead job back in line with `more_attempts` attempts; nullopt when
  // there is none.
  std::optional<v1::Job> RetryJob(const std::string& merchant_id, const std::string& job_id,
                                  int more_attempts);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
