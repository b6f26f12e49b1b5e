#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "returns/v1/claim.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// claims/lock_claim.sql: what a claim's use cases decide on. (Its create_time is selected too;
// nothing reads it.)
struct LockedClaim {
  std::string state;
  std::string order_id;
  int64_t version = 0;
  bool evidence_requested = false;
  std::string type;
  int64_t claim_value_minor = 0;
  std::string customer_id;
  std::string shipment_id;
  std::string currency_code;
};

// claims/list_claims.sql: a claim's place in the list, (create_time, claim_id).
struct ClaimPosition {
  std::string claim_id;
  int64_t create_time_us = 0;
};

// claims/claim_lines.sql: one claimed line.
struct ClaimLineRow {
  std::string order_line_id;
  std::string sku;
  int32_t quantity = 0;
  int64_t unit_price_minor = 0;
  // What the customer paid for the claimed units (docs/money.md).
  int64_t paid_minor = 0;
};

// claims/lock_claim_stock.sql: the units of a claimed SKU available in stock.
struct ClaimStockRow {
  std::string sku;
  int64_t available = 0;
};

// claims/get_claim_policy.sql: the policy's claim columns and the database's clock.
struct ClaimPolicyRow {
  int32_t claim_lost_grace_days = 0;
  int32_t claim_window_days = 0;
  int32_t claim_stolen_window_days = 0;
  int32_t claim_damage_window_days = 0;
  int64_t claim_auto_approve_max_minor = 0;
  int32_t claim_max_customer_claims = 0;
  bool claim_photo_required = false;
  int32_t claim_min_damage_confidence_milli = 0;
  std::string claim_resolution_preference;
  int64_t now_us = 0;
};

// claims/order_for_claim.sql: what a claim snapshots of its order.
struct OrderClaimSnapshot {
  std::string customer_id;
  std::string currency_code;
  int64_t order_value_minor = 0;
};

// claims/order_parcels.sql: one of the order's own parcels.
struct OrderParcelRow {
  std::string shipment_id;
  std::string state;
  std::optional<int64_t> promise_time_us;
  std::optional<int64_t> delivered_time_us;
  std::map<std::string, int32_t> contents;  // order_line_id -> units
};

// claims/claimed_in_parcel.sql: units of a line that claims not denied cover in a parcel.
struct ClaimedInParcelRow {
  std::string order_line_id;
  int32_t claimed_quantity = 0;
};

// claims/complete_evidence_assessments.sql: a complete file's assessment.
struct EvidenceAssessmentRow {
  std::string assessment_label;
  int32_t assessment_confidence_milli = 0;
  std::string assessment_model;
};

// claims/evidence_totals.sql: a claim's files (not expired) and their bytes.
struct ClaimEvidenceTotals {
  int32_t file_count = 0;
  int64_t total_bytes = 0;
};

// claims/evidence_usage.sql: a merchant's evidence as its quota counts it.
struct MerchantEvidenceUsage {
  int32_t open_uploads = 0;
  int64_t stored_bytes = 0;
};

// claims/lock_evidence.sql: an upload of a claim, locked.
struct LockedEvidence {
  std::string state;
  int64_t received_bytes = 0;
  std::string content_type;
  std::string blob_store;
};

// claims/get_evidence.sql: a file as the API shows it, with what the API does not show.
struct StoredEvidence {
  v1::ClaimEvidence evidence;
  std::string state;       // as stored ("UPLOADING", "COMPLETE", "EXPIRED")
  std::string blob_store;  // where its bytes are kept
};

// claims/claim_abandoned_evidence.sql: an upload with no chunk for too long, locked.
struct AbandonedEvidence {
  std::string merchant_id;
  std::string evidence_id;
  std::string claim_id;
  std::string order_id;
  int64_t received_bytes = 0;
};

// claims/lock_evidence_to_purge.sql: an expired file whose bytes are still stored, locked.
struct EvidenceToPurge {
  std::string merchant_id;
  std::string evidence_id;
};

// The statements of storage/sql/claims/ (claims, their lines and evidence files, and the chunks
// of the PostgreSQL blob store), with their rows read by column name.
class ClaimStore {
 public:
  explicit ClaimStore(Tx& tx) : tx_(tx) {}

  // claims/add_evidence_bytes.sql: the upload grew by `bytes`.
  void AddEvidenceBytes(const std::string& merchant_id, const std::string& evidence_id,
                        int64_t bytes);
  // claims/approve_claim.sql: the claim is APPROVED with `resolution`.
  void ApproveClaim(const std::string& merchant_id, const std::string& claim_id,
                    const std::string& resolution, const std::string& decision_note);
  // claims/claim_abandoned_evidence.sql: up to `limit` uploads idle that long, locked.
  std::vector<AbandonedEvidence> ClaimAbandonedEvidence(double idle_seconds, int limit);
  // claims/claim_lines.sql: the claimed lines, in their order.
  std::vector<ClaimLineRow> ClaimLines(const std::string& merchant_id, const std::string& claim_id);
  // claims/claimed_in_parcel.sql: per line, the units of the parcel claims not denied cover.
  std::vector<ClaimedInParcelRow> ClaimedInParcel(const std::string& merchant_id,
                                                  const std::string& shipment_id);
  // claims/complete_evidence.sql: the last chunk arrived; the file's digest and assessment.
  void CompleteEvidence(const std::string& merchant_id, const std::string& evidence_id,
                        const std::string& sha256, const std::string& assessment_label,
                        int32_t confidence_milli, const std::string& model_version);
  // claims/complete_evidence_assessments.sql: the assessments of the claim's complete files.
  std::vector<EvidenceAssessmentRow> CompleteEvidenceAssessments(const std::string& merchant_id,
                                                                 const std::string& claim_id);
  // claims/customer_claims_last_year.sql: how many other claims the customer filed in a year.
  int32_t CustomerClaimsLastYear(const std::string& merchant_id, const std::string& customer_id,
                                 const std::string& claim_id);
  // claims/delete_evidence_chunks.sql: deletes up to `max_chunks` first chunks of a file;
  // returns how many it deleted.
  int64_t DeleteEvidenceChunks(const std::string& merchant_id, const std::string& evidence_id,
                               int64_t max_chunks);
  // claims/deny_claim.sql: the claim is DENIED and its units no longer covered.
  void DenyClaim(const std::string& merchant_id, const std::string& claim_id,
                 const std::string& reason);
  // claims/evidence_purged.sql: the expired file's bytes are all deleted.
  void EvidencePurged(const std::string& merchant_id, const std::string& evidence_id);
  // claims/evidence_totals.sql: the claim's files and bytes, for its limits.
  ClaimEvidenceTotals EvidenceTotals(const std::string& merchant_id, const std::string& claim_id);
  // claims/evidence_usage.sql: the merchant's open uploads and stored bytes, for its quota.
  MerchantEvidenceUsage EvidenceUsage(const std::string& merchant_id);
  // claims/expire_evidence.sql: an abandoned upload is EXPIRED, its bytes to be purged.
  void ExpireEvidence(const std::string& merchant_id, const std::string& evidence_id);
  // claims/get_claim_policy.sql: the merchant's claim rules and the database's clock.
  ClaimPolicyRow GetClaimPolicy(const std::string& merchant_id);
  // claims/get_claims.sql: the claims of `claim_ids` that exist, as the API shows them, oldest
  // first.
  std::vector<v1::Claim> GetClaims(const std::string& merchant_id,
                                   const std::vector<std::string>& claim_ids);
  // claims/get_evidence.sql: one evidence file; nullopt when there is none.
  std::optional<StoredEvidence> GetEvidence(const std::string& merchant_id,
                                            const std::string& evidence_id);
  // claims/insert_claim.sql: a FILED claim with its lines (`lines_json`), its units covered;
  // returns its claim_id.
  std::string InsertClaim(const std::string& merchant_id, const std::string& order_id,
                          const std::string& shipment_id, const std::string& type,
                          const std::string& description, const std::string& customer_id,
                          const std::string& currency_code, int64_t claim_value_minor,
                          const std::string& lines_json);
  // claims/insert_evidence.sql: a new upload; returns its evidence_id.
  std::string InsertEvidence(const std::string& merchant_id, const std::string& claim_id,
                             const std::string& file_name, const std::string& content_type,
                             const std::string& blob_store);
  // claims/insert_reship_shipment.sql: a claim's replacement to ship; returns its shipment_id.
  std::string InsertReshipShipment(const std::string& merchant_id, const std::string& order_id,
                                   const std::string& claim_id, const std::string& sku,
                                   int32_t quantity);
  // claims/list_claims.sql: up to `limit` claims after the position that match the filters
  // ('' = any), oldest first.
  std::vector<ClaimPosition> ListClaims(const std::string& merchant_id, const std::string& order_id,
                                        const std::string& state, const std::string& type,
                                        const std::string& after_time_us,
                                        const std::string& after_claim_id, int limit);
  // claims/lock_claim.sql: the claim, locked FOR UPDATE; nullopt when there is none.
  std::optional<LockedClaim> LockClaim(const std::string& merchant_id, const std::string& claim_id);
  // claims/lock_claim_stock.sql: the stock of the claimed SKUs, locked, in SKU order.
  std::vector<ClaimStockRow> LockClaimStock(const std::string& merchant_id,
                                            const std::string& claim_id);
  // claims/lock_customer_claims.sql: serializes the claims of one customer (advisory lock).
  void LockCustomerClaims(const std::string& merchant_id, const std::string& customer_id);
  // claims/lock_evidence.sql: an upload of the claim, locked; nullopt when there is none.
  std::optional<LockedEvidence> LockEvidence(const std::string& merchant_id,
                                             const std::string& evidence_id,
                                             const std::string& claim_id);
  // claims/lock_evidence_to_purge.sql: up to `limit` expired files kept in `blob_store`, locked.
  std::vector<EvidenceToPurge> LockEvidenceToPurge(const std::string& blob_store, int limit);
  // claims/order_for_claim.sql: the order's customer, currency and value; nullopt when there is
  // no such order.
  std::optional<OrderClaimSnapshot> OrderForClaim(const std::string& merchant_id,
                                                  const std::string& order_id);
  // claims/order_parcels.sql: the order's own parcels, oldest first.
  std::vector<OrderParcelRow> OrderParcels(const std::string& merchant_id,
                                           const std::string& order_id);
  // claims/read_evidence_bytes.sql: the bytes [offset, offset + length) of a file that are
  // stored.
  std::string ReadEvidenceBytes(const std::string& merchant_id, const std::string& evidence_id,
                                int64_t offset, int64_t length);
  // claims/resolve_claim.sql: an APPROVED claim is RESOLVED.
  void ResolveClaim(const std::string& merchant_id, const std::string& claim_id,
                    int64_t refund_minor);
  // claims/set_evidence_assessment.sql: the assessor's answer about a complete file.
  void SetEvidenceAssessment(const std::string& merchant_id, const std::string& evidence_id,
                             const std::string& label, int32_t confidence_milli,
                             const std::string& model_version);
  // claims/set_claim_state.sql: the claim's state, review reasons (a JSON array) and note.
  void SetClaimState(const std::string& merchant_id, const std::string& claim_id,
                     const std::string& state, const std::string& review_reasons_json,
                     const std::string& decision_note, bool evidence_requested);
  // claims/unshipped_reships.sql: how many of the claim's reship parcels are not shipped yet.
  int32_t UnshippedReships(const std::string& merchant_id, const std::string& claim_id);
  // claims/write_evidence_chunk.sql: stores one chunk of a file at `byte_offset`.
  void WriteEvidenceChunk(const std::string& merchant_id, const std::string& evidence_id,
                          int64_t byte_offset, absl::string_view data);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
