#include "absl/strings/str_cat.h"
#include "app/claims/claims.h"
#include "app/common/idempotency.h"
#include "app/claims/claims_use_cases.h"
#include "domain/errors.h"
#include "storage/claim_store.h"
#include "domain/event_types.h"

namespace returns::app {

absl::Status ReviewClaim(const AppContext& app, CallContext& call,
                         const v1::ReviewClaimRequest& request, v1::Claim* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    storage::ClaimStore claims(tx);
    const std::optional<storage::LockedClaim> claim =
        claims.LockClaim(call.merchant_id, request.claim_id());
    if (!claim.has_value()) return NotFoundError("claim", request.claim_id());
    const std::string state = claim->state;
    const std::string order_id = claim->order_id;
    const std::string etag = absl::StrCat("\"", claim->version, "\"");
    if (!request.etag().empty() && request.etag() != etag) {
      return ErrorWithReason(absl::StatusCode::kAborted, reason::kEtagMismatch,
                             "the claim changed since it was read; read it again",
                             {{"etag", etag}});
    }
    if (state != "IN_REVIEW" && state != "AWAITING_EVIDENCE") {
      return PreconditionError(
          reason::kInvalidState,
          absl::StrCat("claim is ", state,
                       "; only a claim IN_REVIEW or AWAITING_EVIDENCE is reviewed"),
          {{"state", state}});
    }
    switch (request.action()) {
      case v1::REVIEW_ACTION_APPROVE: {
        RecordPersonsClaimDecision(tx, call, request.claim_id(), "APPROVED", request.reason());
        absl::Status done = CarryOutClaimApproval(
            tx, call, request.claim_id(), request.resolution(),
            absl::StrCat("by key ", call.principal.key_id), request.reason(), "resolution");
        if (!done.ok()) return done;
        break;
      }
      case v1::REVIEW_ACTION_DENY:
        RecordPersonsClaimDecision(tx, call, request.claim_id(), "DENIED", request.reason());
        DenyClaimNow(tx, call, request.claim_id(), request.reason());
        break;
      default:  // REVIEW_ACTION_REQUEST_EVIDENCE (validated)
        claims.SetClaimState(call.merchant_id, request.claim_id(), std::string("AWAITING_EVIDENCE"),
                             std::string("[]"), request.reason(), true);
        RecordClaimTransition(tx, call, order_id, request.claim_id(),
                              event_type::kClaimEvidenceRequested,
                              absl::StrCat("Reviewer asked for more evidence: ", request.reason()));
        break;
    }
    *response = LoadClaim(tx, call.merchant_id, request.claim_id());
    return absl::OkStatus();
  });
}

}  // namespace returns::app
