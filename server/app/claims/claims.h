#pragma once

#include <string>

#include "absl/status/status.h"
#include "app/common/app_context.h"
#include "domain/claim_rules.h"
#include "integrations/blob_store.h"
#include "integrations/damage_assessor.h"
#include "returns/v1/claim.pb.h"
#include "storage/transaction.h"

// What the claim use cases share (docs/claims.md): loading, the adjudication and carrying out a
// decision. Lock order: the claim, the order's lines, then stock rows, then the claim's
// decisions (FileClaim takes the lines before its claim exists, so no one waits on it).
namespace returns::app {

// The claim as it is now, inside the caller's transaction.
v1::Claim LoadClaim(storage::Tx& tx, const std::string& merchant_id, const std::string& claim_id);

// The merchant's claim rules; `now_out`, when given, gets the database's clock.
ClaimPolicy LoadClaimPolicy(storage::Tx& tx, const std::string& merchant_id,
                            absl::Time* now_out = nullptr);

// Records a transition of the claim (as it is now) on its order's timeline and in the change feed.
void RecordClaimTransition(storage::Tx& tx, const CallContext& call, const std::string& order_id,
                           const std::string& claim_id, const std::string& event_type,
                           const std::string& summary);

// The automation's turn on a locked claim in FILED or AWAITING_EVIDENCE: runs the rules on the
// claim as stored (its evidence, the customer's history, the stock) and applies the verdict,
// with a claim_adjudication Decision in the same transaction: APPROVED (the resolution carried
// out), IN_REVIEW with its reasons, or AWAITING_EVIDENCE. With `back_to_review` (evidence a
// reviewer asked for arrived) the rules do not run: the claim returns to review, and that is
// the decision.
void AdjudicateClaimNow(const AppContext& app, storage::Tx& tx, const CallContext& call,
                        const std::string& claim_id, bool back_to_review);

// Carries out an approval of a locked claim (by the automation or a person): APPROVED, then
// RESHIP takes the units from stock and requests one outbound parcel per line through the
// durable fulfillment path (the claim is RESOLVED when the warehouse confirms them all), REFUND
// requests the refund of the claim's value once, as the change-feed event claim.refund_requested,
// and the claim is RESOLVED. A RESHIP without stock: FAILED_PRECONDITION OUT_OF_STOCK (naming
// `resolution_field`).
absl::Status CarryOutClaimApproval(storage::Tx& tx, const CallContext& call,
                                   const std::string& claim_id, v1::ClaimResolution resolution,
                                   const std::string& who, const std::string& note,
                                   const std::string& resolution_field);

// A person's denial of a locked claim: DENIED (final) with the reason; its units are no longer
// covered.
void DenyClaimNow(storage::Tx& tx, const CallContext& call, const std::string& claim_id,
                  const std::string& reason);

// A person's decision on a claim counts as the override of the automation's escalation when
// there is one, else it is recorded as a decision of its own (rule_version "manual").
void RecordPersonsClaimDecision(storage::Tx& tx, const CallContext& call,
                                const std::string& claim_id, const std::string& outcome,
                                const std::string& note);

// Whether the claim's units are available in stock now; locks the stock rows it reads.
bool ClaimInStock(storage::Tx& tx, const std::string& merchant_id, const std::string& claim_id);

// The blob store of the installation (PostgreSQL when none is set).
integrations::BlobStore& EvidenceStore(const AppContext& app);
// UNAVAILABLE BLOB_STORE_UNAVAILABLE unless `stored_in` (claim_evidence.blob_store) is the store
// this server uses.
absl::Status RequireBlobStore(const AppContext& app, const std::string& stored_in);
// The damage assessor of the installation, or nullptr: none is assumed. Without one, photos are
// kept unassessed and damage claims wait for a person; the sandbox model is opt-in
// (returnsd --sandbox_damage_assessor), for demos and tests, never a production default.
integrations::DamageAssessor* DamageModel(const AppContext& app);

}  // namespace returns::app
