#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "storage/transaction.h"

namespace returns::app {

// Every kind of durable job (run_due_jobs.cc runs each); the metrics show each from the start.
inline constexpr const char* kJobKinds[] = {"ISSUE_LABEL", "VOID_LABEL", "REQUEST_FULFILMENT",
                                            "NOTIFY_CUSTOMER"};

// A call to another system, made later by a durable job (server/app/run_due_jobs.cc).
struct JobSpec {
  std::string kind;       // "ISSUE_LABEL", "VOID_LABEL", "REQUEST_FULFILMENT", "NOTIFY_CUSTOMER"
  std::string dedup_key;  // the effect's identity: enqueuing it again is a no-op
  std::string order_id;
  std::string subject_id;  // the shipment or return it works on
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
