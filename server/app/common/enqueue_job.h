#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "returns/v1/job.pb.h"
#include "storage/transaction.h"

namespace returns::app {

// Every kind of durable job (run_due_jobs.cc runs each); the metrics show each from the start.
inline constexpr v1::JobKind kJobKinds[] = {
    v1::JOB_KIND_ISSUE_LABEL, v1::JOB_KIND_VOID_LABEL, v1::JOB_KIND_REQUEST_FULFILLMENT,
    v1::JOB_KIND_NOTIFY_CUSTOMER, v1::JOB_KIND_ASSESS_EVIDENCE};

// The text a job kind is stored as in jobs.kind: its EnumText ("ISSUE_LABEL"), except that
// REQUEST_FULFILLMENT is still stored with the spelling of the release before V0031
// ("REQUEST_FULFILMENT"), which a replica of that release must be able to run during a rolling
// upgrade (expand, then contract: the next release writes the new text and rewrites the rows).
// Either text reads back as the same kind (ParseEnum knows the deprecated alias).
std::string StoredJobKindText(v1::JobKind kind);

// The dedup key of the fulfillment request for `shipment_id`, as the release before V0031 also
// makes it, so replicas of both releases enqueue it at most once.
std::string FulfillmentRequestKey(const std::string& shipment_id);

// A call to another system, made later by a durable job (server/app/background/run_due_jobs.cc).
struct JobSpec {
  v1::JobKind kind = v1::JOB_KIND_UNSPECIFIED;  // stored as StoredJobKindText(kind)
  std::string dedup_key;  // the effect's identity: enqueuing it again is a no-op
  std::string order_id;
  std::string subject_id;  // the shipment, return or evidence file it works on
  nlohmann::json payload = nlohmann::json::object();
};

// Enqueues `job` inside the caller's transaction: the job exists exactly when the change that
// needs it commits.
void EnqueueJob(storage::Tx& tx, const std::string& merchant_id, const JobSpec& job);

// NOTIFY_CUSTOMER `template_name` about `subject_id`, once per (template, subject).
void EnqueueNotification(storage::Tx& tx, const std::string& merchant_id,
                         const std::string& order_id, const std::string& template_name,
                         const std::string& subject_id);

}  // namespace returns::app
