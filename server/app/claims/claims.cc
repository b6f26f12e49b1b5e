#include "app/claims/claims.h"

#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/common/enqueue_job.h"
#include "app/orders/lock_order_lines.h"
#include "app/common/record_decision.h"
#include "app/common/record_transition.h"
#include "app/logistics/orchestration_policy.h"
#include "app/logistics/shipment_events.h"
#include "app/money/request_money_movement.h"
#include "common/log.h"
#include "domain/errors.h"
#include "integrations/integrations.h"
#include "storage/claim_store.h"
#include "storage/inventory_store.h"
#include "common/enum_text.h"
#include "domain/event_types.h"

namespace returns::app {
namespace {

nlohmann::json PolicyInputs(const ClaimPolicy& p) {
  return {{"auto_approve_max_minor", p.auto_approve_max_minor},
          {"max_customer_claims", p.max_customer_claims},
          {"photo_required", p.photo_required},
          {"min_damage_confidence_milli", p.min_damage_confidence_milli},
          {"resolution_preference", ClaimResolutionName(p.resolution_preference)}};
}

}  // namespace

integrations::BlobStore& EvidenceStore(const AppContext& app) {
  // main() always plugs one in (integrations::SandboxIntegrations: PostgreSQL); a server or test
  // built without one is a wiring mistake, answered INTERNAL by the executor, not papered over.
  if (app.integrations == nullptr || !app.integrations->blob_store) {
    throw std::logic_error("no blob store in AppContext::integrations");
  }
  return *app.integrations->blob_store;
}

absl::Status RequireBlobStore(const AppContext& app, const std::string& stored_in) {
  if (stored_in == EvidenceStore(app).name()) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kUnavailable, reason::kBlobStoreUnavailable,
                         absl::StrCat("the file is kept in the blob store \"", stored_in,
                                      "\", which this server does not use"),
                         {{"blob_store", stored_in}});
}

integrations::DamageAssessor* DamageModel(const AppContext& app) {
  if (app.integrations == nullptr) return nullptr;
  return app.integrations->damage_assessor.get();
}

v1::Claim LoadClaim(storage::Tx& tx, const std::string& merchant_id, const std::string& claim_id) {
  return storage::ClaimStore(tx).GetClaims(merchant_id, {claim_id}).front();
}

ClaimPolicy LoadClaimPolicy(storage::Tx& tx, const std::string& merchant_id, absl::Time* now_out) {
  const storage::ClaimPolicyRow row = storage::ClaimStore(tx).GetClaimPolicy(merchant_id);
  ClaimPolicy p;
  p.lost_grace_days = row.claim_lost_grace_days;
  p.window_days = row.claim_window_days;
  p.stolen_window_days = row.claim_stolen_window_days;
  p.damage_window_days = row.claim_damage_window_days;
  p.auto_approve_max_minor = row.claim_auto_approve_max_minor;
  p.max_customer_claims = row.claim_max_customer_claims;
  p.photo_required = row.claim_photo_required;
  p.min_damage_confidence_milli = row.claim_min_damage_confidence_milli;
  p.resolution_preference = row.claim_resolution_preference == "REFUND"
                                ? v1::CLAIM_RESOLUTION_REFUND
                                : v1::CLAIM_RESOLUTION_RESHIP;
  if (now_out != nullptr) *now_out = absl::FromUnixMicros(row.now_us);
  return p;
}

void RecordClaimTransition(storage::Tx& tx, const CallContext& call, const std::string& order_id,
                           const std::string& claim_id, const std::string& event_type,
                           const std::string& summary) {
  const v1::Claim claim = LoadClaim(tx, call.merchant_id, claim_id);
  RecordTransition(tx, call,
                   Transition{order_id, "claim", claim_id, event_type, EnumText(claim.state()),
                              summary, &claim});
}

bool ClaimInStock(storage::Tx& tx, const std::string& merchant_id, const std::string& claim_id) {
  storage::ClaimStore claims(tx);
  std::map<std::string, int64_t> available;
  for (const storage::ClaimStockRow& stock : claims.LockClaimStock(merchant_id, claim_id)) {
    available[stock.sku] = stock.available;
  }
  std::map<std::string, int64_t> needed;
  for (const storage::ClaimLineRow& line : claims.ClaimLines(merchant_id, claim_id)) {
    needed[line.sku] += line.quantity;
  }
  for (const auto& [sku, quantity] : needed) {
    auto it = available.find(sku);
    if (it == available.end() || it->second < quantity) return false;
  }
  return true;
}

void AdjudicateClaimNow(const AppContext& app, storage::Tx& tx, const CallContext& call,
                        const std::string& claim_id, bool back_to_review) {
  storage::ClaimStore claims(tx);
  const storage::LockedClaim locked = claims.LockClaim(call.merchant_id, claim_id).value();
  const std::string order_id = locked.order_id;
  const std::string subject = ClaimSubject(claim_id);
  if (back_to_review) {
    const nlohmann::json reasons = {"the evidence a reviewer asked for arrived: back to review"};
    RecordDecision(tx, call,
                   DecisionRecord{DecisionKind::kClaimAdjudication,
                                  subject,
                                  {{"evidence_requested", true}},
                                  kClaimRuleVersion,
                                  0,
                                  "ESCALATED",
                                  reasons});
    claims.SetClaimState(call.merchant_id, claim_id, std::string("IN_REVIEW"), reasons.dump(),
                         std::string(), false);
    RecordClaimTransition(tx, call, order_id, claim_id, event_type::kClaimEscalated,
                          "New evidence arrived: the claim is back with a reviewer");
    return;
  }
  const ClaimPolicy policy = LoadClaimPolicy(tx, call.merchant_id);
  ClaimFacts facts;
  facts.type = ParseEnum<v1::ClaimType>(locked.type).value_or(v1::CLAIM_TYPE_UNSPECIFIED);
  facts.claim_value_minor = locked.claim_value_minor;
  const std::string customer_id = locked.customer_id;
  const auto order = claims.OrderForClaim(call.merchant_id, order_id);
  facts.order_value_minor = order.has_value() ? order->order_value_minor : 0;
  facts.customer_claims_last_year =
      claims.CustomerClaimsLastYear(call.merchant_id, customer_id, claim_id);
  for (const storage::EvidenceAssessmentRow& row :
       claims.CompleteEvidenceAssessments(call.merchant_id, claim_id)) {
    ++facts.evidence_files;
    facts.assessments.push_back(
        {row.assessment_label, row.assessment_confidence_milli, row.assessment_model});
  }
  facts.reship_in_stock = ClaimInStock(tx, call.merchant_id, claim_id);
  const Adjudication verdict = AdjudicateClaim(facts, policy);

  nlohmann::json assessments = nlohmann::json::array();
  for (const Assessment& a : facts.assessments) {
    assessments.push_back(
        absl::StrCat(a.label, " ", a.confidence_milli, "/1000 (", a.model_version, ")"));
  }
  nlohmann::json inputs = {{"type", EnumText(facts.type)},
                           {"claim_value_minor", facts.claim_value_minor},
                           {"order_value_minor", facts.order_value_minor},
                           {"customer_claims_last_year", facts.customer_claims_last_year},
                           {"evidence_files", facts.evidence_files},
                           {"assessments", assessments},
                           {"reship_in_stock", facts.reship_in_stock},
                           {"policy", PolicyInputs(policy)}};
  const nlohmann::json reasons = verdict.reasons;
  switch (verdict.verdict) {
    case ClaimVerdict::kAwaitingEvidence:
      // Not a decision yet: the claim waits for its photo, as filed.
      claims.SetClaimState(call.merchant_id, claim_id, std::string("AWAITING_EVIDENCE"),
                           reasons.dump(), std::string(), false);
      RecordClaimTransition(tx, call, order_id, claim_id, event_type::kClaimAwaitingEvidence,
                            "Claim waits for a photo of the item (AddClaimEvidence)");
      return;
    case ClaimVerdict::kNeedsReview:
      inputs["proposed_resolution"] =
          ClaimResolutionName(DefaultClaimResolution(policy, facts.reship_in_stock));
      RecordDecision(
          tx, call,
          DecisionRecord{DecisionKind::kClaimAdjudication, ClaimSubject(claim_id), inputs,
                         kClaimRuleVersion, verdict.score_milli, "ESCALATED", reasons});
      claims.SetClaimState(call.merchant_id, claim_id, std::string("IN_REVIEW"), reasons.dump(),
                           std::string(), false);
      RecordClaimTransition(tx, call, order_id, claim_id, event_type::kClaimEscalated,
                            absl::StrCat("Claim sent to a reviewer: ", verdict.reasons.front()));
      return;
    case ClaimVerdict::kApproved:
      break;
  }
  RecordDecision(tx, call,
                 DecisionRecord{DecisionKind::kClaimAdjudication, ClaimSubject(claim_id), inputs,
                                kClaimRuleVersion, verdict.score_milli, "APPROVED", reasons});
  // The stock rows are locked (ClaimInStock), so a RESHIP judged in stock cannot fail here.
  absl::Status done = CarryOutClaimApproval(tx, call, claim_id, verdict.resolution, "automatically",
                                            std::string(), "resolution");
  if (!done.ok())
    log::Error("claim approval failed after the stock check", {{"claim_id", claim_id}});
}

absl::Status CarryOutClaimApproval(storage::Tx& tx, const CallContext& call,
                                   const std::string& claim_id, v1::ClaimResolution resolution,
                                   const std::string& who, const std::string& note,
                                   const std::string& resolution_field) {
  storage::ClaimStore claims(tx);
  const storage::LockedClaim locked = claims.LockClaim(call.merchant_id, claim_id).value();
  const std::string& order_id = locked.order_id;
  const std::vector<storage::ClaimLineRow> lines = claims.ClaimLines(call.merchant_id, claim_id);
  if (resolution == v1::CLAIM_RESOLUTION_RESHIP && !ClaimInStock(tx, call.merchant_id, claim_id)) {
    return PreconditionError(reason::kOutOfStock,
                             "the claimed items are not in stock to reship; approve with REFUND",
                             {{"field", resolution_field}});
  }
  claims.ApproveClaim(call.merchant_id, claim_id, ClaimResolutionName(resolution), note);
  RecordClaimTransition(
      tx, call, order_id, claim_id, event_type::kClaimApproved,
      absl::StrCat("Claim approved ", who, ": ",
                   resolution == v1::CLAIM_RESOLUTION_RESHIP ? "reship" : "refund",
                   note.empty() ? "" : " (", note, note.empty() ? "" : ")"));
  if (resolution == v1::CLAIM_RESOLUTION_RESHIP) {
    for (const storage::ClaimLineRow& line : lines) {
      storage::InventoryStore(tx).TakeStock(call.merchant_id, line.sku, line.quantity);
      const std::string shipment_id = claims.InsertReshipShipment(
          call.merchant_id, order_id, claim_id, line.sku, line.quantity);
      EnqueueJob(tx, call.merchant_id,
                 JobSpec{v1::JOB_KIND_REQUEST_FULFILLMENT, FulfillmentRequestKey(shipment_id),
                         order_id, shipment_id});
      RecordShipmentTransition(
          tx, call, shipment_id, event_type::kShipmentRequested,
          absl::StrCat("Reship requested for the claim: ", line.quantity, " x ", line.sku));
    }
    return absl::OkStatus();
  }
  int64_t refund = 0;
  for (const storage::ClaimLineRow& line : lines) refund += line.paid_minor;
  claims.ResolveClaim(call.merchant_id, claim_id, refund);
  // The payment system refunds on this event; the state machine makes it the only one.
  RecordClaimTransition(
      tx, call, order_id, claim_id, event_type::kClaimRefundRequested,
      absl::StrCat("Refund of ", refund, " (minor units) requested for the claim"));
  // The refund as a money movement, split over the order's tenders like a return's.
  RequestMoneyMovement(
      tx, call,
      MovementRequest{order_id, v1::MONEY_MOVEMENT_KIND_CLAIM_REFUND, locked.currency_code, refund,
                      ClaimSubject(claim_id),
                      LoadOrchestrationPolicy(tx, call.merchant_id).refund_tender_order,
                      "the claim was approved with a refund", std::nullopt});
  return absl::OkStatus();
}

void DenyClaimNow(storage::Tx& tx, const CallContext& call, const std::string& claim_id,
                  const std::string& reason) {
  storage::ClaimStore claims(tx);
  const std::string order_id = claims.LockClaim(call.merchant_id, claim_id).value().order_id;
  // The units go back to the lines: their locks first, in the order every writer takes them.
  LockOrderLines(tx, call.merchant_id, order_id);
  claims.DenyClaim(call.merchant_id, claim_id, reason);
  RecordClaimTransition(tx, call, order_id, claim_id, event_type::kClaimDenied,
                        absl::StrCat("Claim denied by key ", call.principal.key_id, ": ", reason));
}

void RecordPersonsClaimDecision(storage::Tx& tx, const CallContext& call,
                                const std::string& claim_id, const std::string& outcome,
                                const std::string& note) {
  const std::string subject = ClaimSubject(claim_id);
  if (OverrideEscalatedDecision(tx, call, DecisionKind::kClaimAdjudication, subject, outcome,
                                note)) {
    return;
  }
  RecordDecision(tx, call,
                 DecisionRecord{DecisionKind::kClaimAdjudication,
                                subject,
                                {{"actor_key_id", call.principal.key_id}},
                                "manual",
                                0,
                                outcome,
                                nlohmann::json::array({note})});
}

}  // namespace returns::app
