#include "absl/strings/str_cat.h"
#include "app/claims/claims.h"
#include "app/claims/evidence_assessment.h"
#include "app/claims/evidence_quota.h"
#include "app/common/idempotency.h"
#include "app/claims/claims_use_cases.h"
#include "common/crypto.h"
#include "domain/errors.h"
#include "domain/evidence_rules.h"
#include "integrations/image_check.h"
#include "storage/claim_store.h"
#include "domain/event_types.h"

namespace returns::app {
namespace {

absl::Status TooLarge(absl::string_view field, absl::string_view what) {
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition, reason::kEvidenceTooLarge, what,
                         {{"field", std::string(field)}});
}

// The claim's limits with `adding` more bytes (and, for a new file, one more file).
absl::Status CheckClaimLimits(storage::Tx& tx, const std::string& merchant_id,
                              const std::string& claim_id, int64_t adding, bool new_file) {
  const storage::ClaimEvidenceTotals totals =
      storage::ClaimStore(tx).EvidenceTotals(merchant_id, claim_id);
  if (new_file && totals.file_count >= kMaxEvidenceFiles) {
    return TooLarge("claim_id",
                    absl::StrCat("a claim holds at most ", kMaxEvidenceFiles, " files"));
  }
  if (totals.total_bytes + adding > kMaxEvidenceClaimBytes) {
    return TooLarge("data", absl::StrCat("a claim's files hold at most ", kMaxEvidenceClaimBytes,
                                         " bytes together"));
  }
  return absl::OkStatus();
}

// The last chunk: the file's digest and assessment, then the claim moves on if it waited.
absl::Status Complete(const AppContext& app, storage::Tx& tx, const CallContext& call,
                      const v1::AddClaimEvidenceRequest& request, const std::string& evidence_id,
                      const std::string& content_type, int64_t size, const std::string& order_id,
                      const std::string& claim_state, const std::string& claim_type,
                      bool evidence_requested) {
  const std::string bytes = EvidenceStore(app).Read(tx, call.merchant_id, evidence_id, 0, size);
  const std::string digest = crypto::Sha256Hex(bytes);
  if (!request.sha256().empty() && request.sha256() != digest) {
    return InvalidField(
        "sha256",
        absl::StrCat("does not match the file received (", digest, "); resend the last chunk"),
        reason::kEvidenceChecksumMismatch);
  }
  // The first bytes only named a format: the file is evidence only if it decodes as that image,
  // within the size limits, with nothing after its end (integrations/image_check.h). A refusal
  // leaves the upload open (the sweeper expires it), and nothing is assessed or paid.
  if (absl::StatusOr<integrations::ImageFacts> image = integrations::CheckImage(bytes);
      !image.ok()) {
    if (image.status().code() == absl::StatusCode::kResourceExhausted) {
      // Other images are being decoded: nothing is stored, the same request may come again.
      return ErrorWithReason(absl::StatusCode::kResourceExhausted, reason::kServerBusy,
                             std::string(image.status().message()), {{"retry_delay_ms", "1000"}});
    }
    return InvalidField("data", image.status().message(), reason::kEvidenceTypeUnsupported);
  }
  // No assessor configured, or one that failed: the photo stays unassessed ("unclear"), which
  // can only send the claim to a person. An assessor over HTTP is asked by a job after this
  // commits; the photo is "pending" until it answers, and the claim waits for that answer.
  const Assessment seen = AssessOnUpload(
      app, tx, order_id,
      integrations::AssessmentRequest{call.merchant_id, request.claim_id(), claim_type, evidence_id,
                                      content_type, digest, bytes});
  storage::ClaimStore(tx).CompleteEvidence(call.merchant_id, evidence_id, digest, seen.label,
                                           seen.confidence_milli, seen.model_version);
  RecordClaimTransition(tx, call, order_id, request.claim_id(), event_type::kClaimEvidenceAdded,
                        seen.label == kAssessmentPending
                            ? absl::StrCat("Evidence added: ", content_type, ", ", size,
                                           " bytes, its damage assessment pending")
                            : absl::StrCat("Evidence added: ", content_type, ", ", size, " bytes, ",
                                           seen.label, " ", seen.confidence_milli, "/1000"));
  // Evidence a reviewer asked for goes back to the reviewer now (the rules do not run, so
  // nothing waits for the model); a DAMAGED claim as filed waits for its photos' assessments.
  if (claim_state == "AWAITING_EVIDENCE" &&
      (evidence_requested ||
       !AwaitsAssessment(tx, call.merchant_id, request.claim_id(), claim_type))) {
    AdjudicateClaimNow(app, tx, call, request.claim_id(), /*back_to_review=*/evidence_requested);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status AddClaimEvidence(const AppContext& app, CallContext& call,
                              const v1::AddClaimEvidenceRequest& request,
                              v1::ClaimEvidence* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    storage::ClaimStore claims(tx);
    const std::optional<storage::LockedClaim> claim =
        claims.LockClaim(call.merchant_id, request.claim_id());
    if (!claim.has_value()) return NotFoundError("claim", request.claim_id());
    const std::string claim_state = claim->state;
    const std::string order_id = claim->order_id;
    if (claim_state == "DENIED" || claim_state == "RESOLVED") {
      return PreconditionError(
          reason::kInvalidState,
          absl::StrCat("claim is ", claim_state, "; it takes no more evidence"),
          {{"state", claim_state}});
    }
    const int64_t chunk = static_cast<int64_t>(request.data().size());
    std::string evidence_id = request.evidence_id();
    std::string content_type;
    int64_t received = 0;
    if (evidence_id.empty()) {
      if (request.offset() != 0) {
        return InvalidField("offset", "a new upload starts at 0", reason::kEvidenceOffsetMismatch);
      }
      auto sniffed = SniffImageType(request.data());
      if (!sniffed) {
        return InvalidField("data",
                            "is not a JPEG, PNG, WebP or HEIC image (the type is read from the "
                            "first bytes, which must be in the first chunk)",
                            reason::kEvidenceTypeUnsupported);
      }
      if (absl::Status s = CheckClaimLimits(tx, call.merchant_id, request.claim_id(), chunk, true);
          !s.ok()) {
        return s;
      }
      // A file sent whole in this call is never an open upload; its bytes count all the same.
      if (absl::Status s = CheckEvidenceQuota(app, tx, call.merchant_id, chunk, !request.last());
          !s.ok()) {
        return s;
      }
      content_type = *sniffed;
      evidence_id = claims.InsertEvidence(call.merchant_id, request.claim_id(), request.file_name(),
                                          content_type, EvidenceStore(app).name());
    } else {
      const std::optional<storage::LockedEvidence> upload =
          claims.LockEvidence(call.merchant_id, evidence_id, request.claim_id());
      if (!upload.has_value()) return NotFoundError("evidence", evidence_id);
      if (const std::string state = upload->state; state != "UPLOADING") {
        return PreconditionError(reason::kInvalidState,
                                 state == "EXPIRED"
                                     ? "the upload expired unfinished (no chunk for too long); "
                                       "start a new upload"
                                     : "the upload is complete",
                                 {{"state", state}, {"field", "evidence_id"}});
      }
      if (absl::Status s = RequireBlobStore(app, upload->blob_store); !s.ok()) return s;
      received = upload->received_bytes;
      content_type = upload->content_type;
      if (request.offset() != received) {
        return ErrorWithReason(absl::StatusCode::kFailedPrecondition,
                               reason::kEvidenceOffsetMismatch,
                               absl::StrCat("offset: the upload has ", received,
                                            " bytes; the next chunk starts there"),
                               {{"field", "offset"}, {"expected_offset", absl::StrCat(received)}});
      }
      if (absl::Status s = CheckClaimLimits(tx, call.merchant_id, request.claim_id(), chunk, false);
          !s.ok()) {
        return s;
      }
      if (absl::Status s = CheckEvidenceQuota(app, tx, call.merchant_id, chunk, false); !s.ok())
        return s;
    }
    if (received + chunk > kMaxEvidenceFileBytes) {
      return TooLarge("data", absl::StrCat("a file is at most ", kMaxEvidenceFileBytes, " bytes"));
    }
    if (chunk > 0) {
      EvidenceStore(app).Write(tx, call.merchant_id, evidence_id, received, request.data());
      claims.AddEvidenceBytes(call.merchant_id, evidence_id, chunk);
    }
    if (request.last()) {
      if (absl::Status s =
              Complete(app, tx, call, request, evidence_id, content_type, received + chunk,
                       order_id, claim_state, claim->type, claim->evidence_requested);
          !s.ok()) {
        return s;
      }
    }
    *response = claims.GetEvidence(call.merchant_id, evidence_id).value().evidence;
    return absl::OkStatus();
  });
}

}  // namespace returns::app
