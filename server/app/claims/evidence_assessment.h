#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "domain/claim_rules.h"
#include "integrations/damage_assessor.h"
#include "storage/transaction.h"

// A photo's damage assessment (docs/claims.md, "Assessment"): asked inside the upload's
// transaction when the assessor makes no call (the sandbox model), else by a durable job
// (JOB_KIND_ASSESS_EVIDENCE) once the upload commits, the photo "pending" meanwhile. A claim
// waiting for evidence is decided when none of its photos is pending any more.
namespace returns::app {

// The label of a photo whose assessment a job is asking for.
inline constexpr char kAssessmentPending[] = "pending";

// The assessment of a photo whose last chunk arrived (`request` names it; its bytes are the
// file's): the model's answer, "unclear" when there is no model or it failed, or "pending" with
// the ASSESS_EVIDENCE job enqueued in `tx` when the model calls out.
Assessment AssessOnUpload(const AppContext& app, storage::Tx& tx, const std::string& order_id,
                          const integrations::AssessmentRequest& request);

// Whether the claim, waiting for evidence, must wait for the assessor too: a DAMAGED claim (the
// only type whose rules read the assessment) with a complete photo still pending.
bool AwaitsAssessment(storage::Tx& tx, const std::string& merchant_id, const std::string& claim_id,
                      const std::string& claim_type);

// A complete photo as the job sends it.
struct EvidenceToAssess {
  integrations::AssessmentRequest request;  // without its bytes: Request() adds them
  std::string file;
  std::string order_id;

  // The request with `bytes` viewing `file` (made where it is used, so no copy or move of this
  // struct leaves the view behind).
  integrations::AssessmentRequest Request() const {
    integrations::AssessmentRequest with_bytes = request;
    with_bytes.bytes = file;
    return with_bytes;
  }
};

// Reads a photo to assess, without locks: nullopt when it is gone or not complete (nothing to
// ask). UNAVAILABLE BLOB_STORE_UNAVAILABLE when its bytes are in a store this server lacks.
absl::StatusOr<std::optional<EvidenceToAssess>> ReadEvidenceToAssess(const AppContext& app,
                                                                     const std::string& merchant_id,
                                                                     const std::string& evidence_id,
                                                                     absl::Time deadline);

// Records the assessor's answer (or, when its job gave up, "unclear" from model "unavailable")
// on the photo and the claim's timeline (claim.evidence_assessed); a DAMAGED claim that waited
// for it (AWAITING_EVIDENCE as filed, not at a reviewer's request, whose evidence went back to
// review on upload) with no photo pending any more is then decided (AdjudicateClaimNow). Locks
// the claim first.
void RecordEvidenceAssessment(const AppContext& app, storage::Tx& tx, const CallContext& call,
                              const std::string& evidence_id, const Assessment& seen);

}  // namespace returns::app
