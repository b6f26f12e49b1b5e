#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "app/claims/claims.h"
#include "app/admin/decision_effects.h"
#include "app/common/idempotency.h"
#include "app/money/money_use_cases.h"
#include "app/money/request_money_movement.h"
#include "app/returns/bonus_decision.h"
#include "app/returns/lock_return.h"
#include "app/common/record_decision.h"
#include "app/admin/admin_use_cases.h"
#include "domain/errors.h"
#include "google/protobuf/util/json_util.h"
#include "storage/claim_store.h"
#include "storage/decision_store.h"
#include "storage/exchange_token_store.h"
#include "domain/decision_kind.h"

namespace returns::app {
namespace {

// The id in a subject "<collection>/<id>" of `collection`; empty for another collection.
std::string SubjectId(const std::string& subject, absl::string_view collection) {
  const std::string prefix = absl::StrCat(collection, "/");
  return absl::StartsWith(subject, prefix) ? subject.substr(prefix.size()) : std::string();
}

absl::Status NoEffect(const v1::Decision& d, absl::string_view outcome) {
  return PreconditionError(reason::kInvalidState,
                           absl::StrCat("a ", d.kind(), " decision has no ", outcome,
                                        " override: act on the resource instead"),
                           {{"kind", d.kind()}, {"field", "outcome"}});
}

absl::Status ClaimEffect(const AppContext& app, storage::Tx& tx, const CallContext& call,
                         const v1::Decision& d, const v1::OverrideDecisionRequest& request,
                         bool approve) {
  const std::string claim_id = SubjectId(d.subject(), "claims");
  const std::optional<storage::LockedClaim> claim =
      storage::ClaimStore(tx).LockClaim(call.merchant_id, claim_id);
  if (!claim.has_value()) return NotFoundError("claim", claim_id);
  const std::string state = claim->state;
  if (state != "IN_REVIEW" && state != "AWAITING_EVIDENCE") {
    return PreconditionError(reason::kInvalidState,
                             absl::StrCat("claim is ", state,
                                          "; only a claim waiting for a person "
                                          "can be decided by an override"),
                             {{"state", state}});
  }
  if (!approve) {
    DenyClaimNow(tx, call, claim_id, request.reason());
    return absl::OkStatus();
  }
  v1::ClaimResolution resolution = request.claim_resolution();
  if (resolution == v1::CLAIM_RESOLUTION_UNSPECIFIED) {
    auto proposed = d.inputs().find("proposed_resolution");
    resolution = proposed != d.inputs().end() && proposed->second == "REFUND"
                     ? v1::CLAIM_RESOLUTION_REFUND
                 : proposed != d.inputs().end() && proposed->second == "RESHIP"
                     ? v1::CLAIM_RESOLUTION_RESHIP
                     : DefaultClaimResolution(LoadClaimPolicy(tx, call.merchant_id),
                                              ClaimInStock(tx, call.merchant_id, claim_id));
    // What the rules proposed may be out of stock by now: then the refund.
    if (resolution == v1::CLAIM_RESOLUTION_RESHIP &&
        !ClaimInStock(tx, call.merchant_id, claim_id)) {
      resolution = v1::CLAIM_RESOLUTION_REFUND;
    }
  }
  return CarryOutClaimApproval(tx, call, claim_id, resolution,
                               absl::StrCat("by override of key ", call.principal.key_id),
                               request.reason(), "claim_resolution");
}

absl::Status ReturnResolutionEffect(const AppContext& app, storage::Tx& tx, const CallContext& call,
                                    const v1::Decision& d,
                                    const v1::OverrideDecisionRequest& request, bool approve) {
  v1::ResolveReturnRequest resolve;
  resolve.set_return_id(SubjectId(d.subject(), "returns"));
  resolve.set_note(request.reason());
  if (!approve) {
    // Denied: the lines the receipt flagged are withheld.
    // Bound to a local: the loop must not outlive the return it walks.
    const v1::Return flagged = LoadReturn(tx, call.merchant_id, resolve.return_id());
    for (const auto& line : flagged.lines()) {
      if (line.condition() != v1::ITEM_CONDITION_OK)
        resolve.add_withheld_order_line_ids(line.order_line_id());
    }
  }
  v1::Return ignored;
  return ResolveReturnInTx(app, tx, call, resolve, &ignored);
}

// Locks the decision's subject before the decision itself: the order every use case that acts on
// a claim, return or token and then settles its decisions takes.
void LockSubject(storage::Tx& tx, const CallContext& call, const std::string& subject) {
  if (std::string id = SubjectId(subject, "claims"); !id.empty()) {
    (void)storage::ClaimStore(tx).LockClaim(call.merchant_id, id);
  } else if (std::string id = SubjectId(subject, "returns"); !id.empty()) {
    (void)LockReturn(tx, call.merchant_id, id);
  } else if (std::string id = SubjectId(subject, "exchange_tokens"); !id.empty()) {
    (void)storage::ExchangeTokenStore(tx).LockExchangeToken(call.merchant_id, id);
  } else if (std::string id = SubjectId(subject, "money_movements"); !id.empty()) {
    (void)LockMovementForChange(tx, call, id);
  }
}

absl::Status LateReturnEffect(const AppContext& app, storage::Tx& tx, const CallContext& call,
                              const v1::Decision& d, const v1::OverrideDecisionRequest& request) {
  v1::CreateReturnRequest create;
  auto json = d.inputs().find("request");
  if (json == d.inputs().end() ||
      !google::protobuf::util::JsonStringToMessage(json->second, &create).ok()) {
    return PreconditionError(reason::kInvalidState,
                             "the decision does not hold the refused request",
                             {{"field", "decision_id"}});
  }
  v1::Return created;
  if (absl::Status s =
          CreateReturnInTx(app, tx, call, create, &created, /*outside_window_allowed=*/true);
      !s.ok()) {
    return s;
  }
  if (created.state() != v1::RETURN_STATE_REQUESTED)
    return absl::OkStatus();  // auto-approved already
  v1::ApproveReturnRequest approve;
  approve.set_return_id(created.return_id());
  approve.set_note(request.reason());
  return ApproveReturnInTx(app, tx, call, approve, &created);
}

absl::Status CarryOut(const AppContext& app, storage::Tx& tx, const CallContext& call,
                      const v1::Decision& d, const v1::OverrideDecisionRequest& request) {
  const bool approve = request.outcome() == v1::DECISION_OUTCOME_APPROVED;
  // A kind this release does not know (a newer one recorded it) has no effect here.
  const std::optional<DecisionKind> kind = ParseDecisionKind(d.kind());
  if (!kind.has_value()) return NoEffect(d, approve ? "APPROVED" : "DENIED");
  switch (*kind) {
    case DecisionKind::kClaimAdjudication:
      return ClaimEffect(app, tx, call, d, request, approve);
    case DecisionKind::kReturnApproval: {
      v1::Return ignored;
      if (approve) {
        v1::ApproveReturnRequest approve_request;
        approve_request.set_return_id(SubjectId(d.subject(), "returns"));
        approve_request.set_note(request.reason());
        return ApproveReturnInTx(app, tx, call, approve_request, &ignored);
      }
      v1::RejectReturnRequest reject;
      reject.set_return_id(SubjectId(d.subject(), "returns"));
      reject.set_reason(request.reason());
      return RejectReturnInTx(app, tx, call, reject, &ignored);
    }
    case DecisionKind::kReturnResolution:
      return ReturnResolutionEffect(app, tx, call, d, request, approve);
    case DecisionKind::kReturnEligibility:
      // Denied: the refusal stands. Approved: the return the window refused is created and
      // approved.
      if (!approve) return absl::OkStatus();
      return LateReturnEffect(app, tx, call, d, request);
    case DecisionKind::kInstantExchange: {
      if (approve) return NoEffect(d, "APPROVED");
      v1::RevokeExchangeTokenRequest revoke;
      revoke.set_exchange_token_id(SubjectId(d.subject(), "exchange_tokens"));
      revoke.set_reason(request.reason());
      v1::ExchangeToken ignored;
      return RevokeExchangeTokenInTx(app, tx, call, revoke, &ignored);
    }
    case DecisionKind::kBonusCredit:
      // Denied: the return gives no bonus at resolution (it must not have resolved yet).
      if (approve) return NoEffect(d, "APPROVED");
      return WithdrawBonus(tx, call, SubjectId(d.subject(), "returns"), request.reason());
    case DecisionKind::kMoneyMovementFailure: {
      // Approved: asked of the payment system again; denied: given up (docs/money.md).
      const std::string movement_id = SubjectId(d.subject(), "money_movements");
      v1::MoneyMovement ignored;
      return approve ? RetryMoneyMovementInTx(tx, call, movement_id, request.reason(), &ignored)
                     : CancelMoneyMovementInTx(tx, call, movement_id, request.reason(), &ignored);
    }
  }
  return NoEffect(d, approve ? "APPROVED" : "DENIED");
}

}  // namespace

absl::Status OverrideDecision(const AppContext& app, CallContext& call,
                              const v1::OverrideDecisionRequest& request, v1::Decision* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    storage::DecisionStore decisions(tx);
    const std::optional<v1::Decision> peek =
        decisions.GetDecision(call.merchant_id, request.decision_id());
    if (!peek) return NotFoundError("decision", request.decision_id());
    LockSubject(tx, call, peek->subject());
    // Read above in this transaction (decisions are never deleted): it is there.
    const v1::Decision decision =
        decisions.LockDecision(call.merchant_id, request.decision_id()).value();
    if (decision.override_outcome() != v1::DECISION_OUTCOME_UNSPECIFIED) {
      return PreconditionError(
          reason::kDecisionOverridden,
          absl::StrCat("the decision was overridden already by ", decision.override_actor()),
          {{"override_actor", decision.override_actor()}});
    }
    if (decision.outcome() == request.outcome()) {
      return PreconditionError(
          reason::kInvalidState, "the override must change the outcome",
          {{"field", "outcome"}, {"outcome", v1::DecisionOutcome_Name(decision.outcome())}});
    }
    const std::string outcome =
        request.outcome() == v1::DECISION_OUTCOME_APPROVED ? "APPROVED" : "DENIED";
    // Marked first, so the effect's own bookkeeping (which overrides the newest open escalation
    // of the subject) finds this one done.
    decisions.SetOverride(call.merchant_id, request.decision_id(), outcome, ActorName(call),
                          request.reason());
    if (absl::Status s = CarryOut(app, tx, call, decision, request); !s.ok()) return s;
    *response = decisions.LockDecision(call.merchant_id, request.decision_id()).value();
    return absl::OkStatus();
  });
}

}  // namespace returns::app
