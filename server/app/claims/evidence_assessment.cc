#include "app/claims/evidence_assessment.h"

#include "absl/strings/str_cat.h"
#include "app/claims/claims.h"
#include "app/common/enqueue_job.h"
#include "common/enum_text.h"
#include "common/log.h"
#include "domain/event_types.h"
#include "storage/claim_store.h"

namespace returns::app {

Assessment AssessOnUpload(const AppContext& app, storage::Tx& tx, const std::string& order_id,
                          const integrations::AssessmentRequest& request) {
  integrations::DamageAssessor* model = DamageModel(app);
  if (model == nullptr) return Assessment{"unclear", 0, "none"};
  if (model->CallsOut()) {
    // Never a network call inside a transaction: the job asks after this one commits, with
    // retries, and its answer decides the claim then.
    EnqueueJob(tx, request.merchant_id,
               JobSpec{v1::JOB_KIND_ASSESS_EVIDENCE,
                       "assess_evidence:" + request.evidence_id,
                       order_id,
                       request.evidence_id,
                       {{"claim_id", request.claim_id}}});
    return Assessment{kAssessmentPending, 0, ""};
  }
  absl::StatusOr<Assessment> answer = model->Assess(request);
  if (!answer.ok()) {
    log::Warn("damage assessment failed", {{"evidence_id", request.evidence_id},
                                           {"error", std::string(answer.status().message())}});
    return Assessment{"unclear", 0, "unavailable"};
  }
  return *answer;
}

bool AwaitsAssessment(storage::Tx& tx, const std::string& merchant_id, const std::string& claim_id,
                      const std::string& claim_type) {
  if (claim_type != "DAMAGED") return false;
  for (const storage::EvidenceAssessmentRow& row :
       storage::ClaimStore(tx).CompleteEvidenceAssessments(merchant_id, claim_id)) {
    if (row.assessment_label == kAssessmentPending) return true;
  }
  return false;
}

absl::StatusOr<std::optional<EvidenceToAssess>> ReadEvidenceToAssess(const AppContext& app,
                                                                     const std::string& merchant_id,
                                                                     const std::string& evidence_id,
                                                                     absl::Time deadline) {
  std::optional<EvidenceToAssess> found;
  absl::Status status =
      storage::RunSingleRead(*app.pool, "EvidenceToAssess", deadline, [&](storage::Tx& tx) {
        found.reset();
        storage::ClaimStore claims(tx);
        std::optional<storage::StoredEvidence> stored =
            claims.GetEvidence(merchant_id, evidence_id);
        if (!stored.has_value() || stored->state != "COMPLETE") return absl::OkStatus();
        if (absl::Status s = RequireBlobStore(app, stored->blob_store); !s.ok()) return s;
        const v1::ClaimEvidence& evidence = stored->evidence;
        const v1::Claim claim = LoadClaim(tx, merchant_id, evidence.claim_id());
        EvidenceToAssess to_assess;
        to_assess.file =
            EvidenceStore(app).Read(tx, merchant_id, evidence_id, 0, evidence.size_bytes());
        to_assess.order_id = claim.order_id();
        to_assess.request = integrations::AssessmentRequest{
            merchant_id,        evidence.claim_id(),     EnumText(claim.type()),
            evidence_id,        evidence.content_type(), evidence.sha256(),
            absl::string_view()};
        found = std::move(to_assess);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return found;
}

void RecordEvidenceAssessment(const AppContext& app, storage::Tx& tx, const CallContext& call,
                              const std::string& evidence_id, const Assessment& seen) {
  storage::ClaimStore claims(tx);
  const std::optional<storage::StoredEvidence> stored =
      claims.GetEvidence(call.merchant_id, evidence_id);
  if (!stored.has_value()) return;  // erased meanwhile: nothing to record
  const std::string claim_id = stored->evidence.claim_id();
  const std::optional<storage::LockedClaim> claim = claims.LockClaim(call.merchant_id, claim_id);
  if (!claim.has_value()) return;
  claims.SetEvidenceAssessment(call.merchant_id, evidence_id, seen.label, seen.confidence_milli,
                               seen.model_version);
  RecordClaimTransition(tx, call, claim->order_id, claim_id, event_type::kClaimEvidenceAssessed,
                        absl::StrCat("Photo ", evidence_id, " assessed: ", seen.label, " ",
                                     seen.confidence_milli, "/1000 (", seen.model_version, ")"));
  // A claim waiting at a reviewer's request is not moved by a photo sent before the request:
  // the next upload sends it back to review (add_claim_evidence.cc), without the model.
  if (claim->state == "AWAITING_EVIDENCE" && !claim->evidence_requested &&
      !AwaitsAssessment(tx, call.merchant_id, claim_id, claim->type)) {
    AdjudicateClaimNow(app, tx, call, claim_id, /*back_to_review=*/false);
  }
}

}  // namespace returns::app
