#include "app/claims.h"

#include <map>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/enqueue_job.h"
#include "app/lock_order_lines.h"
#include "app/record_decision.h"
#include "app/record_transition.h"
#include "app/shipment_events.h"
#include "common/log.h"
#include "domain/errors.h"
#include "integrations/integrations.h"
#include "integrations/postgres_blob_store.h"
#include "storage/rows.h"

namespace returns::app {
namespace {

struct ClaimLineRow {
  std::string order_line_id;
  std::string sku;
  int32_t quantity = 0;
  int64_t unit_price_minor = 0;
};

std::vector<ClaimLineRow> ClaimLines(storage::Tx& tx, const std::string& merchant_id,
                                     const std::string& claim_id) {
  std::vector<ClaimLineRow> lines;
  for (const auto& row : tx.Exec("claims/claim_lines", merchant_id, claim_id)) {
    lines.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int32_t>(),
                     row[3].as<int64_t>()});
  }
  return lines;
}

nlohmann::json PolicyInputs(const ClaimPolicy& p) {
  return {{"auto_approve_max_minor", p.auto_approve_max_minor},
          {"max_customer_claims", p.max_customer_claims},
          {"photo_required", p.photo_required},
          {"min_damage_confidence_milli", p.min_damage_confidence_milli},
          {"resolution_preference", ClaimResolutionName(p.resolution_preference)}};
}

}  // namespace

integrations::BlobStore& EvidenceStore(const AppContext& app) {
  static integrations::PostgresBlobStore fallback;
  if (app.integrations != nullptr && app.integrations->blob_store) return *app.integrations->blob_store;
  return fallback;
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
  return storage::ClaimFromRow(tx.Exec("claims/get_claims", merchant_id, "{" + claim_id + "}")[0]);
}

ClaimPolicy LoadClaimPolicy(storage::Tx& tx, const std::string& merchant_id, absl::Time* now_out) {
  const auto row = tx.Exec("claims/get_claim_policy", merchant_id)[0];
  ClaimPolicy p;
  p.lost_grace_days = row[0].as<int>();
  p.window_days = row[1].as<int>();
  p.stolen_window_days = row[2].as<int>();
  p.damage_window_days = row[3].as<int>();
  p.auto_approve_max_minor = row[4].as<int64_t>();
  p.max_customer_claims = row[5].as<int>();
  p.photo_required = row[6].as<bool>();
  p.min_damage_confidence_milli = row[7].as<int>();
  p.resolution_preference = row[8].as<std::string>() == "REFUND" ? v1::CLAIM_RESOLUTION_REFUND
                                                                 : v1::CLAIM_RESOLUTION_RESHIP;
  if (now_out != nullptr) *now_out = absl::FromUnixMicros(row[9].as<int64_t>());
  return p;
}

void RecordClaimTransition(storage::Tx& tx, const CallContext& call, const std::string& order_id,
                           const std::string& claim_id, const std::string& event_type,
                           const std::string& summary) {
  const v1::Claim claim = LoadClaim(tx, call.merchant_id, claim_id);
  RecordTransition(tx, call,
                   Transition{order_id, "claim", claim_id, event_type,
                              ClaimStateName(claim.state()), summary, &claim});
}

bool ClaimInStock(storage::Tx& tx, const std::string& merchant_id, const std::string& claim_id) {
  std::map<std::string, int64_t> available;
  for (const auto& row : tx.Exec("claims/lock_claim_stock", merchant_id, claim_id)) {
    available[row[0].as<std::string>()] = row[1].as<int64_t>();
  }
  std::map<std::string, int64_t> needed;
  for (const ClaimLineRow& line : ClaimLines(tx, merchant_id, claim_id)) needed[line.sku] += line.quantity;
  for (const auto& [sku, quantity] : needed) {
    auto it = available.find(sku);
    if (it == available.end() || it->second < quantity) return false;
  }
  return true;
}

void AdjudicateClaimNow(const AppContext& app, storage::Tx& tx, const CallContext& call,
                        const std::string& claim_id, bool back_to_review) {
  const auto locked = tx.Exec("claims/lock_claim", call.merchant_id, claim_id)[0];
  const std::string order_id = locked[1].as<std::string>();
  const std::string subject = ClaimSubject(claim_id);
  if (back_to_review) {
    const nlohmann::json reasons = {"the evidence a reviewer asked for arrived: back to review"};
    RecordDecision(tx, call,
                   DecisionRecord{"claim_adjudication", subject, {{"evidence_requested", true}},
                                  kClaimRuleVersion, 0, "ESCALATED", reasons});
    tx.Exec("claims/set_claim_state", call.merchant_id, claim_id, std::string("IN_REVIEW"),
            reasons.dump(), std::string(), false);
    RecordClaimTransition(tx, call, order_id, claim_id, "claim.escalated",
                          "New evidence arrived: the claim is back with a reviewer");
    return;
  }
  const ClaimPolicy policy = LoadClaimPolicy(tx, call.merchant_id);
  ClaimFacts facts;
  facts.type = ParseClaimType(locked[4].as<std::string>());
  facts.claim_value_minor = locked[5].as<int64_t>();
  const std::string customer_id = locked[6].as<std::string>();
  const auto order = tx.Exec("claims/order_for_claim", call.merchant_id, order_id);
  facts.order_value_minor = order.empty() ? 0 : order[0][2].as<int64_t>();
  facts.customer_claims_last_year =
      tx.Exec("claims/customer_claims_last_year", call.merchant_id, customer_id, claim_id)[0][0].as<int>();
  for (const auto& row : tx.Exec("claims/complete_evidence_assessments", call.merchant_id, claim_id)) {
    ++facts.evidence_files;
    facts.assessments.push_back({row[0].as<std::string>(), row[1].as<int>(), row[2].as<std::string>()});
  }
  facts.reship_in_stock = ClaimInStock(tx, call.merchant_id, claim_id);
  const Adjudication verdict = AdjudicateClaim(facts, policy);

  nlohmann::json assessments = nlohmann::json::array();
  for (const Assessment& a : facts.assessments) {
    assessments.push_back(absl::StrCat(a.label, " ", a.confidence_milli, "/1000 (", a.model_version, ")"));
  }
  nlohmann::json inputs = {{"type", ClaimTypeName(facts.type)},
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
      tx.Exec("claims/set_claim_state", call.merchant_id, claim_id, std::string("AWAITING_EVIDENCE"),
              reasons.dump(), std::string(), false);
      RecordClaimTransition(tx, call, order_id, claim_id, "claim.awaiting_evidence",
                            "Claim waits for a photo of the item (AddClaimEvidence)");
      return;
    case ClaimVerdict::kNeedsReview:
      inputs["proposed_resolution"] =
          ClaimResolutionName(DefaultClaimResolution(policy, facts.reship_in_stock));
      RecordDecision(tx, call,
                     DecisionRecord{"claim_adjudication", ClaimSubject(claim_id), inputs,
                                    kClaimRuleVersion, verdict.score_milli, "ESCALATED", reasons});
      tx.Exec("claims/set_claim_state", call.merchant_id, claim_id, std::string("IN_REVIEW"),
              reasons.dump(), std::string(), false);
      RecordClaimTransition(tx, call, order_id, claim_id, "claim.escalated",
                            absl::StrCat("Claim sent to a reviewer: ", verdict.reasons.front()));
      return;
    case ClaimVerdict::kApproved:
      break;
  }
  RecordDecision(tx, call,
                 DecisionRecord{"claim_adjudication", ClaimSubject(claim_id), inputs,
                                kClaimRuleVersion, verdict.score_milli, "APPROVED", reasons});
  // The stock rows are locked (ClaimInStock), so a RESHIP judged in stock cannot fail here.
  absl::Status done = CarryOutClaimApproval(tx, call, claim_id, verdict.resolution, "automatically",
                                            std::string(), "resolution");
  if (!done.ok()) log::Error("claim approval failed after the stock check", {{"claim_id", claim_id}});
}

absl::Status CarryOutClaimApproval(storage::Tx& tx, const CallContext& call,
                                   const std::string& claim_id, v1::ClaimResolution resolution,
                                   const std::string& who, const std::string& note,
                                   const std::string& resolution_field) {
  const std::string order_id = tx.Exec("claims/lock_claim", call.merchant_id, claim_id)[0][1].as<std::string>();
  const std::vector<ClaimLineRow> lines = ClaimLines(tx, call.merchant_id, claim_id);
  if (resolution == v1::CLAIM_RESOLUTION_RESHIP && !ClaimInStock(tx, call.merchant_id, claim_id)) {
    return PreconditionError(reason::kOutOfStock,
                             "the claimed items are not in stock to reship; approve with REFUND",
                             {{"field", resolution_field}});
  }
  tx.Exec("claims/approve_claim", call.merchant_id, claim_id, ClaimResolutionName(resolution), note);
  RecordClaimTransition(tx, call, order_id, claim_id, "claim.approved",
                        absl::StrCat("Claim approved ", who, ": ",
                                     resolution == v1::CLAIM_RESOLUTION_RESHIP ? "reship" : "refund",
                                     note.empty() ? "" : " (", note, note.empty() ? "" : ")"));
  if (resolution == v1::CLAIM_RESOLUTION_RESHIP) {
    for (const ClaimLineRow& line : lines) {
      tx.Exec("inventory/take_stock", call.merchant_id, line.sku, line.quantity);
      const std::string shipment_id =
          tx.Exec("claims/insert_reship_shipment", call.merchant_id, order_id, claim_id, line.sku,
                  line.quantity)[0][0].as<std::string>();
      EnqueueJob(tx, call.merchant_id,
                 JobSpec{"REQUEST_FULFILMENT", "request_fulfilment:" + shipment_id, order_id, shipment_id});
      RecordShipmentTransition(tx, call, shipment_id, "shipment.requested",
                               absl::StrCat("Reship requested for the claim: ", line.quantity, " x ",
                                            line.sku));
    }
    return absl::OkStatus();
  }
  int64_t refund = 0;
  for (const ClaimLineRow& line : lines) refund += line.unit_price_minor * line.quantity;
  tx.Exec("claims/resolve_claim", call.merchant_id, claim_id, refund);
  // The payment system refunds on this event; the state machine makes it the only one.
  RecordClaimTransition(tx, call, order_id, claim_id, "claim.refund_requested",
                        absl::StrCat("Refund of ", refund, " (minor units) requested for the claim"));
  return absl::OkStatus();
}

void DenyClaimNow(storage::Tx& tx, const CallContext& call, const std::string& claim_id,
                  const std::string& reason) {
  const std::string order_id = tx.Exec("claims/lock_claim", call.merchant_id, claim_id)[0][1].as<std::string>();
  // The units go back to the lines: their locks first, in the order every writer takes them.
  LockOrderLines(tx, call.merchant_id, order_id);
  tx.Exec("claims/deny_claim", call.merchant_id, claim_id, reason);
  RecordClaimTransition(tx, call, order_id, claim_id, "claim.denied",
                        absl::StrCat("Claim denied by key ", call.principal.key_id, ": ", reason));
}

void RecordPersonsClaimDecision(storage::Tx& tx, const CallContext& call,
                                const std::string& claim_id, const std::string& outcome,
                                const std::string& note) {
  const std::string subject = ClaimSubject(claim_id);
  if (OverrideEscalatedDecision(tx, call, "claim_adjudication", subject, outcome, note)) return;
  RecordDecision(tx, call,
                 DecisionRecord{"claim_adjudication", subject, {{"actor_key_id", call.principal.key_id}}, "manual",
                                0, outcome, nlohmann::json::array({note})});
}

}  // namespace returns::app
