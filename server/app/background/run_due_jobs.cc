#include <optional>
#include <random>

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "app/claims/claims.h"
#include "app/claims/evidence_assessment.h"
#include "app/common/enqueue_job.h"
#include "app/returns/lock_return.h"
#include "app/common/record_transition.h"
#include "app/logistics/shipment_events.h"
#include "app/background/background_passes.h"
#include "common/log.h"
#include "domain/return_state_machine.h"
#include "integrations/integrations.h"
#include "storage/job_store.h"
#include "storage/return_store.h"
#include "storage/shipment_store.h"
#include "storage/transaction.h"
#include "common/enum_text.h"
#include "domain/event_types.h"

// The durable jobs (docs/lifecycle.md): claim (commit) -> call out (no transaction open) ->
// apply the answer and mark the job done (one transaction, fenced by the attempt number). A
// crash after the call and before the commit leaves the job RUNNING until its lease ends; the
// next attempt calls again with the same idempotency key, and the adapter answers as before, so
// the customer never gets two labels or two parcels.
namespace returns::app {
namespace {

struct ClaimedJob {
  std::string merchant_id;
  std::string job_id;
  // UNSPECIFIED for a stored kind this release does not know (a newer one enqueued it): RunOne
  // refuses it. Both spellings of REQUEST_FULFILLMENT read as it (the earlier one is an alias).
  v1::JobKind kind = v1::JOB_KIND_UNSPECIFIED;
  std::string kind_text;  // EnumText(kind), or the stored text of an unknown kind
  std::string dedup_key;
  std::string order_id;
  std::string subject_id;
  nlohmann::json payload;
  int attempt = 0;
  int max_attempts = 0;
};

// Retried: the other side may answer next time. Anything else is a permanent refusal.
bool IsTransient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kAborted:
      return true;
    default:
      return false;
  }
}

// Exponential backoff with jitter: base x 2^(attempt-1), at most `max`, then a random share of
// 50-100% of it, so replicas that failed together do not retry together.
absl::Duration RetryDelay(const JobRunOptions& options, int attempt) {
  absl::Duration delay = options.retry_base;
  for (int i = 1; i < attempt && delay < options.retry_max; ++i) delay *= 2;
  delay = std::min(delay, options.retry_max);
  static thread_local std::mt19937_64 random{std::random_device{}()};
  return delay * std::uniform_real_distribution<double>(0.5, 1.0)(random);
}

CallContext JobCall(const ClaimedJob& job, absl::Time deadline) {
  CallContext call;
  call.merchant_id = job.merchant_id;
  call.request_id = "job:" + job.job_id;
  call.deadline = deadline;
  return call;
}

// What a job knows about its shipment before calling out (read without locks).
absl::StatusOr<storage::ShipmentJobContext> ReadShipment(const AppContext& app,
                                                         const ClaimedJob& job,
                                                         absl::Time deadline) {
  storage::ShipmentJobContext context;
  absl::Status status =
      storage::RunSingleRead(*app.pool, "JobContext", deadline, [&](storage::Tx& tx) {
        std::optional<storage::ShipmentJobContext> found =
            storage::ShipmentStore(tx).JobContext(job.merchant_id, job.subject_id);
        if (!found) return absl::NotFoundError("the job's shipment is gone");
        context = *std::move(found);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return context;
}

// Runs `apply` and marks the job done in one transaction; nothing applies if another worker took
// the job over meanwhile (its lease ended).
absl::Status Complete(const AppContext& app, const ClaimedJob& job, absl::Time deadline,
                      const std::function<void(storage::Tx&, const CallContext&)>& apply) {
  return storage::RunTransaction(*app.pool, "CompleteJob", deadline, [&](storage::Tx& tx) {
    if (!storage::JobStore(tx).CompleteJob(job.merchant_id, job.job_id, job.attempt)) {
      return absl::AbortedError("the job's lease ended and another worker took it");
    }
    apply(tx, JobCall(job, deadline));
    return absl::OkStatus();
  });
}

absl::Status IssueLabel(const AppContext& app, const ClaimedJob& job, absl::Time deadline) {
  auto shipment = ReadShipment(app, job, deadline);
  if (!shipment.ok()) return shipment.status();
  if (shipment->state != "REQUESTED") {  // voided before the label was asked for: nothing to do
    return Complete(app, job, deadline, [](storage::Tx&, const CallContext&) {});
  }
  integrations::CarrierAdapter* carrier = app.integrations->Carrier(shipment->carrier);
  if (carrier == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("no carrier adapter \"", shipment->carrier, "\""));
  }
  auto label = carrier->CreateLabel(integrations::LabelRequest{job.subject_id, job.merchant_id,
                                                               job.order_id, shipment->return_id,
                                                               shipment->shipping_address});
  if (!label.ok()) return label.status();
  return Complete(app, job, deadline, [&](storage::Tx& tx, const CallContext& call) {
    auto locked = LockReturn(tx, job.merchant_id, shipment->return_id);
    storage::ShipmentStore shipments(tx);
    // The job's shipment, read before the call: it is there.
    const storage::LockedShipment locked_shipment =
        shipments.LockShipment(job.merchant_id, job.subject_id).value();
    if (locked_shipment.state != "REQUESTED") {
      // Voided while the carrier was making it: cancel the label the carrier made.
      EnqueueJob(tx, job.merchant_id,
                 JobSpec{v1::JOB_KIND_VOID_LABEL,
                         "void_label:" + job.subject_id,
                         job.order_id,
                         job.subject_id,
                         {{"tracking_number", label->tracking_number}}});
      return;
    }
    shipments.SetLabel(job.merchant_id, job.subject_id, label->tracking_number, label->format,
                       absl::BytesToHexString(label->document), label->carrier_reference);
    RecordShipmentTransition(tx, call, job.subject_id, event_type::kShipmentLabelCreated,
                             absl::StrCat("Return label issued by ", shipment->carrier,
                                          ": tracking ", label->tracking_number));
    if (locked.ok() && locked->state == v1::RETURN_STATE_APPROVED) {
      storage::ReturnStore(tx).SetReturnState(job.merchant_id, shipment->return_id, "LABEL_ISSUED");
      v1::Return ret = LoadReturn(tx, job.merchant_id, shipment->return_id);
      RecordTransition(
          tx, call,
          Transition{job.order_id, "return", shipment->return_id, event_type::kReturnLabelIssued,
                     "LABEL_ISSUED", absl::StrCat("Return label ready: ", label->tracking_number),
                     &ret});
    }
    EnqueueNotification(tx, job.merchant_id, job.order_id, "return_label_ready", job.subject_id);
  });
}

absl::Status VoidLabel(const AppContext& app, const ClaimedJob& job, absl::Time deadline) {
  auto shipment = ReadShipment(app, job, deadline);
  if (!shipment.ok()) return shipment.status();
  integrations::CarrierAdapter* carrier = app.integrations->Carrier(shipment->carrier);
  if (carrier == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("no carrier adapter \"", shipment->carrier, "\""));
  }
  const std::string tracking = job.payload.value("tracking_number", shipment->tracking_number);
  if (absl::Status s = carrier->VoidLabelFor(job.merchant_id, job.subject_id, tracking); !s.ok()) {
    return s;
  }
  return Complete(app, job, deadline, [&](storage::Tx& tx, const CallContext& call) {
    RecordTransition(
        tx, call,
        Transition{job.order_id, "shipment", job.subject_id, event_type::kShipmentLabelCancelled,
                   "VOIDED",
                   absl::StrCat("Label ", tracking, " cancelled at ", shipment->carrier)});
  });
}

absl::Status RequestFulfillment(const AppContext& app, const ClaimedJob& job, absl::Time deadline) {
  auto shipment = ReadShipment(app, job, deadline);
  if (!shipment.ok()) return shipment.status();
  if (shipment->state != "REQUESTED") {  // the warehouse confirmed it already
    return Complete(app, job, deadline, [](storage::Tx&, const CallContext&) {});
  }
  auto reference = app.integrations->warehouse->RequestFulfillment(integrations::FulfillmentRequest{
      job.subject_id, job.merchant_id, job.order_id, job.subject_id, shipment->sku,
      shipment->quantity, shipment->shipping_address});
  if (!reference.ok()) return reference.status();
  return Complete(app, job, deadline, [&](storage::Tx& tx, const CallContext& call) {
    storage::ShipmentStore(tx).SetCarrierReference(job.merchant_id, job.subject_id, *reference);
    RecordShipmentTransition(
        tx, call, job.subject_id, event_type::kShipmentFulfillmentRequested,
        absl::StrCat("The warehouse accepted the replacement order (", *reference, ")"));
  });
}

absl::Status NotifyCustomer(const AppContext& app, const ClaimedJob& job, absl::Time deadline) {
  const std::string template_name = job.payload.value("template", "");
  absl::Status sent = app.integrations->notifier->Notify(integrations::Notification{
      job.dedup_key, job.merchant_id, job.order_id, template_name, job.subject_id});
  if (!sent.ok()) return sent;
  return Complete(app, job, deadline, [&](storage::Tx& tx, const CallContext& call) {
    RecordTransition(
        tx, call,
        Transition{job.order_id, "notification", job.dedup_key, event_type::kCustomerNotified,
                   "SENT", absl::StrCat("Customer notified: ", template_name)});
  });
}

// The damage assessor's answer about a photo, recorded and, when its claim waited on it, the
// claim decided (app/claims/evidence_assessment.h). A photo erased meanwhile needs nothing.
absl::Status AssessEvidence(const AppContext& app, const ClaimedJob& job, absl::Time deadline) {
  absl::StatusOr<std::optional<EvidenceToAssess>> evidence =
      ReadEvidenceToAssess(app, job.merchant_id, job.subject_id, deadline);
  if (!evidence.ok()) return evidence.status();
  if (!evidence->has_value()) {
    return Complete(app, job, deadline, [](storage::Tx&, const CallContext&) {});
  }
  // The installation's assessor now (the one that enqueued the job may have been replaced).
  Assessment seen{"unclear", 0, "none"};
  if (integrations::DamageAssessor* model = DamageModel(app); model != nullptr) {
    absl::StatusOr<Assessment> answer = model->Assess((*evidence)->Request());
    if (!answer.ok()) return answer.status();
    seen = *answer;
  }
  return Complete(app, job, deadline, [&](storage::Tx& tx, const CallContext& call) {
    RecordEvidenceAssessment(app, tx, call, job.subject_id, seen);
  });
}

absl::Status RunOne(const AppContext& app, const ClaimedJob& job, absl::Time deadline) {
  switch (job.kind) {
    case v1::JOB_KIND_ISSUE_LABEL:
      return IssueLabel(app, job, deadline);
    case v1::JOB_KIND_VOID_LABEL:
      return VoidLabel(app, job, deadline);
    case v1::JOB_KIND_REQUEST_FULFILLMENT:
      return RequestFulfillment(app, job, deadline);
    case v1::JOB_KIND_NOTIFY_CUSTOMER:
      return NotifyCustomer(app, job, deadline);
    case v1::JOB_KIND_ASSESS_EVIDENCE:
      return AssessEvidence(app, job, deadline);
    default:
      return absl::FailedPreconditionError("unknown job kind " + job.kind_text);
  }
}

// Schedules the retry or, when attempts are spent or the refusal is permanent, dead-letters the
// job and says so on the order's timeline.
void Fail(const AppContext& app, const ClaimedJob& job, const absl::Status& error,
          const JobRunOptions& options, absl::Time deadline) {
  const bool permanent = !IsTransient(error);
  const absl::Duration delay = RetryDelay(options, job.attempt);
  std::string state;
  absl::Status status =
      storage::RunTransaction(*app.pool, "FailJob", deadline, [&](storage::Tx& tx) {
        const std::optional<std::string> failed = storage::JobStore(tx).FailJob(
            job.merchant_id, job.job_id, job.attempt, absl::ToInt64Milliseconds(delay), permanent,
            std::string(error.message()));
        if (!failed) return absl::OkStatus();  // taken over meanwhile
        state = *failed;
        if (state == "DEAD") {
          RecordTransition(
              tx, JobCall(job, deadline),
              Transition{job.order_id, "job", job.job_id, event_type::kJobDeadLettered, "DEAD",
                         absl::StrCat(job.kind_text, " failed after ", job.attempt,
                                      " attempt(s) and waits for an operator (RetryJob): ",
                                      error.message())});
          if (job.kind == v1::JOB_KIND_ASSESS_EVIDENCE) {
            // The photo stays unassessed, and its claim goes on without the model: to a person.
            RecordEvidenceAssessment(app, tx, JobCall(job, deadline), job.subject_id,
                                     Assessment{"unclear", 0, "unavailable"});
          }
        }
        return absl::OkStatus();
      });
  log::Warn("job failed", {{"job_id", job.job_id},
                           {"kind", job.kind_text},
                           {"attempt", job.attempt},
                           {"state", state},
                           {"error", std::string(error.message())},
                           {"retry_in_ms", absl::ToInt64Milliseconds(delay)},
                           {"recorded", status.ok()}});
}

}  // namespace

absl::StatusOr<int> RunDueJobs(const AppContext& app, const JobRunOptions& options) {
  // One job per claim, so each job's lease and deadline start when it does: a slow call never
  // eats into the lease of jobs waiting behind it in the same batch.
  int ran = 0;
  for (; ran < options.batch; ++ran) {
    const absl::Time deadline = absl::Now() + options.lease;
    std::optional<ClaimedJob> job;
    absl::Status claimed =
        storage::RunTransaction(*app.pool, "ClaimJob", deadline, [&](storage::Tx& tx) {
          job.reset();
          const std::vector<storage::ClaimedJobRow> claimed_jobs =
              storage::JobStore(tx).ClaimDueJobs(1, absl::ToInt64Milliseconds(options.lease));
          if (claimed_jobs.empty()) return absl::OkStatus();
          const storage::ClaimedJobRow& claimed_job = claimed_jobs.front();
          const std::optional<v1::JobKind> kind = ParseEnum<v1::JobKind>(claimed_job.kind);
          job = ClaimedJob{claimed_job.merchant_id,
                           claimed_job.job_id,
                           kind.value_or(v1::JOB_KIND_UNSPECIFIED),
                           kind ? EnumText(*kind) : claimed_job.kind,
                           claimed_job.dedup_key,
                           claimed_job.order_id,
                           claimed_job.subject_id,
                           nlohmann::json::parse(claimed_job.payload),
                           claimed_job.attempts,
                           claimed_job.max_attempts};
          return absl::OkStatus();
        });
    if (!claimed.ok()) return claimed;
    if (!job) break;
    // A job taken again after its lease ran out more often than it may be tried: its workers
    // keep dying or hanging on it. Dead-letter it rather than loop.
    absl::Status done =
        job->attempt > job->max_attempts
            ? absl::FailedPreconditionError(
                  "the job's lease ran out on every attempt (a worker crashed or hung)")
            : RunOne(app, *job, deadline);
    if (!done.ok()) Fail(app, *job, done, options, absl::Now() + absl::Seconds(10));
  }
  return ran;
}

}  // namespace returns::app
