#include "storage/job_store.h"

#include "storage/field_reading.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "common/enum_text.h"

namespace returns::storage {
namespace {

using google::protobuf::util::TimeUtil;

// A row of jobs/list_jobs.sql or jobs/retry_job.sql.
v1::Job JobFromRow(const pqxx::row& row) {
  v1::Job job;
  job.set_job_id(row["job_id"].as<std::string>());
  // Either spelling of REQUEST_FULFILLMENT (REQUEST_FULFILMENT before V0031) is that kind.
  job.set_kind(EnumFromName<v1::JobKind>(row["kind"].as<std::string>()));
  job.set_order_id(row["order_id"].as<std::string>());
  job.set_subject_id(row["subject_id"].as<std::string>());
  job.set_state(EnumFromName<v1::JobState>(row["state"].as<std::string>()));
  job.set_attempts(row["attempts"].as<int32_t>());
  job.set_max_attempts(row["max_attempts"].as<int32_t>());
  SetMicros(row["run_after_us"], [&] { return job.mutable_run_after(); });
  job.set_last_error(row["last_error"].as<std::string>());
  SetMicros(row["create_time_us"], [&] { return job.mutable_create_time(); });
  SetMicros(row["update_time_us"], [&] { return job.mutable_update_time(); });
  return job;
}

}  // namespace

std::vector<ClaimedJobRow> JobStore::ClaimDueJobs(int limit, int64_t lease_ms) {
  std::vector<ClaimedJobRow> jobs;
  for (const auto& row : tx_.Exec(sql::kJobsClaimDueJobs, limit, lease_ms)) {
    jobs.push_back({row["merchant_id"].as<std::string>(), row["job_id"].as<std::string>(),
                    row["kind"].as<std::string>(), row["dedup_key"].as<std::string>(),
                    row["order_id"].as<std::string>(), row["subject_id"].as<std::string>(),
                    row["payload"].as<std::string>(), row["attempts"].as<int32_t>(),
                    row["max_attempts"].as<int32_t>()});
  }
  return jobs;
}

bool JobStore::CompleteJob(const std::string& merchant_id, const std::string& job_id, int attempt) {
  return !tx_.Exec(sql::kJobsCompleteJob, merchant_id, job_id, attempt).empty();
}

void JobStore::EnqueueJob(const std::string& merchant_id, const std::string& kind,
                          const std::string& dedup_key, const std::string& order_id,
                          const std::string& subject_id, const std::string& payload_json) {
  tx_.Exec(sql::kJobsEnqueueJob, merchant_id, kind, dedup_key, order_id, subject_id, payload_json);
}

std::optional<std::string> JobStore::FailJob(const std::string& merchant_id,
                                             const std::string& job_id, int attempt,
                                             int64_t retry_delay_ms, bool give_up,
                                             const std::string& error) {
  const auto rows =
      tx_.Exec(sql::kJobsFailJob, merchant_id, job_id, attempt, retry_delay_ms, give_up, error);
  if (rows.empty()) return std::nullopt;
  return rows[0]["state"].as<std::string>();
}

std::vector<ListedJob> JobStore::ListJobs(const std::string& merchant_id, const std::string& state,
                                          const std::string& after_create_time_us,
                                          const std::string& after_job_id, int limit) {
  std::vector<ListedJob> jobs;
  for (const auto& row : tx_.Exec(sql::kJobsListJobs, merchant_id, state, after_create_time_us,
                                  after_job_id, limit)) {
    jobs.push_back({JobFromRow(row), row["create_time_us"].as<int64_t>()});
  }
  return jobs;
}

std::optional<std::string> JobStore::LockJob(const std::string& merchant_id,
                                             const std::string& job_id) {
  const auto rows = tx_.Exec(sql::kJobsLockJob, merchant_id, job_id);
  if (rows.empty()) return std::nullopt;
  return rows[0]["state"].as<std::string>();
}

JobQueueDepth JobStore::QueueDepth() {
  const auto rows = tx_.Exec(sql::kJobsQueueDepth);
  return JobQueueDepth{rows[0]["waiting_or_running"].as<int64_t>(), rows[0]["dead"].as<int64_t>()};
}

std::optional<v1::Job> JobStore::RetryJob(const std::string& merchant_id, const std::string& job_id,
                                          int more_attempts) {
  const auto rows = tx_.Exec(sql::kJobsRetryJob, merchant_id, job_id, more_attempts);
  if (rows.empty()) return std::nullopt;
  return JobFromRow(rows[0]);
}

}  // namespace returns::storage
