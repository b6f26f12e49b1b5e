#include "storage/claim_store.h"

#include "storage/field_reading.h"
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "common/enum_text.h"

namespace returns::storage {
namespace {

using google::protobuf::util::TimeUtil;
using nlohmann::json;

// One file as get_claims.sql's evidence array and get_evidence.sql both describe it.
v1::ClaimEvidence EvidenceFromJson(const json& e, const std::string& claim_id) {
  v1::ClaimEvidence evidence;
  evidence.set_evidence_id(e["evidence_id"].get<std::string>());
  evidence.set_claim_id(claim_id);
  evidence.set_file_name(e["file_name"].get<std::string>());
  evidence.set_content_type(e["content_type"].get<std::string>());
  evidence.set_state(EnumFromName<v1::EvidenceState>(e["state"].get<std::string>()));
  evidence.set_size_bytes(e["size_bytes"].get<int64_t>());
  evidence.set_sha256(e["sha256"].get<std::string>());
  if (!e["label"].get<std::string>().empty()) {
    evidence.mutable_assessment()->set_label(e["label"].get<std::string>());
    evidence.mutable_assessment()->set_confidence_milli(e["confidence_milli"].get<int32_t>());
    evidence.mutable_assessment()->set_model_version(e["model_version"].get<std::string>());
  }
  *evidence.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(e["create_time_us"].get<int64_t>());
  return evidence;
}

// A row of claims/get_evidence.sql.
v1::ClaimEvidence EvidenceFromRow(const pqxx::row& row) {
  return EvidenceFromJson(
      json{{"evidence_id", row["evidence_id"].as<std::string>()},
           {"file_name", row["file_name"].as<std::string>()},
           {"content_type", row["content_type"].as<std::string>()},
           {"state", row["state"].as<std::string>()},
           {"size_bytes", row["received_bytes"].as<int64_t>()},
           {"sha256", row["sha256"].as<std::string>()},
           {"label", row["assessment_label"].as<std::string>()},
           {"confidence_milli", row["assessment_confidence_milli"].as<int32_t>()},
           {"model_version", row["assessment_model"].as<std::string>()},
           {"create_time_us", row["create_time_us"].as<int64_t>()}},
      row["claim_id"].as<std::string>());
}

// A row of claims/get_claims.sql.
v1::Claim ClaimFromRow(const pqxx::row& row) {
  v1::Claim claim;
  claim.set_claim_id(row["claim_id"].as<std::string>());
  claim.set_order_id(row["order_id"].as<std::string>());
  claim.set_shipment_id(row["shipment_id"].as<std::string>());
  claim.set_type(EnumFromName<v1::ClaimType>(row["type"].as<std::string>()));
  claim.set_state(EnumFromName<v1::ClaimState>(row["state"].as<std::string>()));
  claim.set_description(row["description"].as<std::string>());
  const std::string currency = row["currency_code"].as<std::string>();
  claim.mutable_claim_value()->set_currency_code(currency);
  claim.mutable_claim_value()->set_amount_minor(row["claim_value_minor"].as<int64_t>());
  claim.set_resolution(EnumFromName<v1::ClaimResolution>(row["resolution"].as<std::string>()));
  if (claim.resolution() == v1::CLAIM_RESOLUTION_REFUND) {
    claim.mutable_refund_amount()->set_currency_code(currency);
    claim.mutable_refund_amount()->set_amount_minor(row["refund_minor"].as<int64_t>());
  }
  for (const json& reason : json::parse(row["review_reasons"].as<std::string>())) {
    claim.add_review_reasons(reason.get<std::string>());
  }
  claim.set_decision_note(row["decision_note"].as<std::string>());
  SetMicros(row["create_time_us"], [&] { return claim.mutable_create_time(); });
  SetMicros(row["update_time_us"], [&] { return claim.mutable_update_time(); });
  SetMicros(row["resolve_time_us"], [&] { return claim.mutable_resolve_time(); });
  claim.set_etag(absl::StrCat("\"", row["version"].as<int64_t>(), "\""));
  for (const json& line : json::parse(row["lines"].as<std::string>())) {
    v1::ClaimLine* out = claim.add_lines();
    out->set_order_line_id(line["order_line_id"].get<std::string>());
    out->set_quantity(line["quantity"].get<int32_t>());
    out->set_sku(line["sku"].get<std::string>());
  }
  for (const json& e : json::parse(row["evidence"].as<std::string>())) {
    *claim.add_evidence() = EvidenceFromJson(e, claim.claim_id());
    claim.add_evidence_uris(absl::StrCat("claims/", claim.claim_id(), "/evidence/",
                                         e["evidence_id"].get<std::string>()));
  }
  for (const json& id : json::parse(row["reship_shipment_ids"].as<std::string>())) {
    claim.add_reship_shipment_ids(id.get<std::string>());
  }
  if (!row["policy_version"].is_null()) {
    claim.set_policy_version(row["policy_version"].as<int64_t>());
  }
  return claim;
}

}  // namespace

void ClaimStore::AddEvidenceBytes(const std::string& merchant_id, const std::string& evidence_id,
                                  int64_t bytes) {
  tx_.Exec(sql::kClaimsAddEvidenceBytes, merchant_id, evidence_id, bytes);
}

void ClaimStore::ApproveClaim(const std::string& merchant_id, const std::string& claim_id,
                              const std::string& resolution, const std::string& decision_note) {
  tx_.Exec(sql::kClaimsApproveClaim, merchant_id, claim_id, resolution, decision_note);
}

std::vector<AbandonedEvidence> ClaimStore::ClaimAbandonedEvidence(double idle_seconds, int limit) {
  std::vector<AbandonedEvidence> uploads;
  for (const auto& row : tx_.Exec(sql::kClaimsClaimAbandonedEvidence, idle_seconds, limit)) {
    uploads.push_back({row["merchant_id"].as<std::string>(), row["evidence_id"].as<std::string>(),
                       row["claim_id"].as<std::string>(), row["order_id"].as<std::string>(),
                       row["received_bytes"].as<int64_t>()});
  }
  return uploads;
}

std::vector<ClaimLineRow> ClaimStore::ClaimLines(const std::string& merchant_id,
                                                 const std::string& claim_id) {
  std::vector<ClaimLineRow> lines;
  for (const auto& row : tx_.Exec(sql::kClaimsClaimLines, merchant_id, claim_id)) {
    lines.push_back({row["order_line_id"].as<std::string>(), row["sku"].as<std::string>(),
                     row["quantity"].as<int32_t>(), row["unit_price_minor"].as<int64_t>(),
                     row["paid_minor"].as<int64_t>()});
  }
  return lines;
}

std::vector<ClaimedInParcelRow> ClaimStore::ClaimedInParcel(const std::string& merchant_id,
                                                            const std::string& shipment_id) {
  std::vector<ClaimedInParcelRow> claimed;
  for (const auto& row : tx_.Exec(sql::kClaimsClaimedInParcel, merchant_id, shipment_id)) {
    claimed.push_back(
        {row["order_line_id"].as<std::string>(), row["claimed_quantity"].as<int32_t>()});
  }
  return claimed;
}

void ClaimStore::CompleteEvidence(const std::string& merchant_id, const std::string& evidence_id,
                                  const std::string& sha256, const std::string& assessment_label,
                                  int32_t confidence_milli, const std::string& model_version) {
  tx_.Exec(sql::kClaimsCompleteEvidence, merchant_id, evidence_id, sha256, assessment_label,
           confidence_milli, model_version);
}

void ClaimStore::SetEvidenceAssessment(const std::string& merchant_id,
                                       const std::string& evidence_id, const std::string& label,
                                       int32_t confidence_milli, const std::string& model_version) {
  tx_.Exec(sql::kClaimsSetEvidenceAssessment, merchant_id, evidence_id, label, confidence_milli,
           model_version);
}

std::vector<EvidenceAssessmentRow> ClaimStore::CompleteEvidenceAssessments(
    const std::string& merchant_id, const std::string& claim_id) {
  std::vector<EvidenceAssessmentRow> assessments;
  for (const auto& row : tx_.Exec(sql::kClaimsCompleteEvidenceAssessments, merchant_id, claim_id)) {
    assessments.push_back({row["assessment_label"].as<std::string>(),
                           row["assessment_confidence_milli"].as<int32_t>(),
                           row["assessment_model"].as<std::string>()});
  }
  return assessments;
}

int32_t ClaimStore::CustomerClaimsLastYear(const std::string& merchant_id,
                                           const std::string& customer_id,
                                           const std::string& claim_id) {
  const auto rows =
      tx_.Exec(sql::kClaimsCustomerClaimsLastYear, merchant_id, customer_id, claim_id);
  return rows[0]["claim_count"].as<int32_t>();
}

int64_t ClaimStore::DeleteEvidenceChunks(const std::string& merchant_id,
                                         const std::string& evidence_id, int64_t max_chunks) {
  return tx_.Exec(sql::kClaimsDeleteEvidenceChunks, merchant_id, evidence_id, max_chunks)
      .affected_rows();
}

void ClaimStore::DenyClaim(const std::string& merchant_id, const std::string& claim_id,
                           const std::string& reason) {
  tx_.Exec(sql::kClaimsDenyClaim, merchant_id, claim_id, reason);
}

void ClaimStore::EvidencePurged(const std::string& merchant_id, const std::string& evidence_id) {
  tx_.Exec(sql::kClaimsEvidencePurged, merchant_id, evidence_id);
}

ClaimEvidenceTotals ClaimStore::EvidenceTotals(const std::string& merchant_id,
                                               const std::string& claim_id) {
  const auto rows = tx_.Exec(sql::kClaimsEvidenceTotals, merchant_id, claim_id);
  return {rows[0]["file_count"].as<int32_t>(), rows[0]["total_bytes"].as<int64_t>()};
}

MerchantEvidenceUsage ClaimStore::EvidenceUsage(const std::string& merchant_id) {
  const auto rows = tx_.Exec(sql::kClaimsEvidenceUsage, merchant_id);
  return {rows[0]["open_uploads"].as<int32_t>(), rows[0]["stored_bytes"].as<int64_t>()};
}

void ClaimStore::ExpireEvidence(const std::string& merchant_id, const std::string& evidence_id) {
  tx_.Exec(sql::kClaimsExpireEvidence, merchant_id, evidence_id);
}

ClaimPolicyRow ClaimStore::GetClaimPolicy(const std::string& merchant_id) {
  const auto rows = tx_.Exec(sql::kClaimsGetClaimPolicy, merchant_id);
  const auto& row = rows[0];
  ClaimPolicyRow p;
  p.claim_lost_grace_days = row["claim_lost_grace_days"].as<int32_t>();
  p.claim_window_days = row["claim_window_days"].as<int32_t>();
  p.claim_stolen_window_days = row["claim_stolen_window_days"].as<int32_t>();
  p.claim_damage_window_days = row["claim_damage_window_days"].as<int32_t>();
  p.claim_auto_approve_max_minor = row["claim_auto_approve_max_minor"].as<int64_t>();
  p.claim_max_customer_claims = row["claim_max_customer_claims"].as<int32_t>();
  p.claim_photo_required = row["claim_photo_required"].as<bool>();
  p.claim_min_damage_confidence_milli = row["claim_min_damage_confidence_milli"].as<int32_t>();
  p.claim_resolution_preference = row["claim_resolution_preference"].as<std::string>();
  p.now_us = row["now_us"].as<int64_t>();
  return p;
}

std::vector<v1::Claim> ClaimStore::GetClaims(const std::string& merchant_id,
                                             const std::vector<std::string>& claim_ids) {
  // The ids travel as one uuid[] literal: '{<id>,<id>}'.
  const std::string ids = absl::StrCat("{", absl::StrJoin(claim_ids, ","), "}");
  std::vector<v1::Claim> claims;
  for (const auto& row : tx_.Exec(sql::kClaimsGetClaims, merchant_id, ids)) {
    claims.push_back(ClaimFromRow(row));
  }
  return claims;
}

std::optional<StoredEvidence> ClaimStore::GetEvidence(const std::string& merchant_id,
                                                      const std::string& evidence_id) {
  const auto rows = tx_.Exec(sql::kClaimsGetEvidence, merchant_id, evidence_id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  return StoredEvidence{EvidenceFromRow(row), row["state"].as<std::string>(),
                        row["blob_store"].as<std::string>()};
}

std::string ClaimStore::InsertClaim(const std::string& merchant_id, const std::string& order_id,
                                    const std::string& shipment_id, const std::string& type,
                                    const std::string& description, const std::string& customer_id,
                                    const std::string& currency_code, int64_t claim_value_minor,
                                    const std::string& lines_json) {
  const auto rows =
      tx_.Exec(sql::kClaimsInsertClaim, merchant_id, order_id, shipment_id, type, description,
               customer_id, currency_code, claim_value_minor, lines_json);
  return rows[0]["claim_id"].as<std::string>();
}

std::string ClaimStore::InsertEvidence(const std::string& merchant_id, const std::string& claim_id,
                                       const std::string& file_name,
                                       const std::string& content_type,
                                       const std::string& blob_store) {
  const auto rows = tx_.Exec(sql::kClaimsInsertEvidence, merchant_id, claim_id, file_name,
                             content_type, blob_store);
  return rows[0]["evidence_id"].as<std::string>();
}

std::string ClaimStore::InsertReshipShipment(const std::string& merchant_id,
                                             const std::string& order_id,
                                             const std::string& claim_id, const std::string& sku,
                                             int32_t quantity) {
  const auto rows =
      tx_.Exec(sql::kClaimsInsertReshipShipment, merchant_id, order_id, claim_id, sku, quantity);
  return rows[0]["shipment_id"].as<std::string>();
}

std::vector<ClaimPosition> ClaimStore::ListClaims(const std::string& merchant_id,
                                                  const std::string& order_id,
                                                  const std::string& state, const std::string& type,
                                                  const std::string& after_time_us,
                                                  const std::string& after_claim_id, int limit) {
  std::vector<ClaimPosition> claims;
  for (const auto& row : tx_.Exec(sql::kClaimsListClaims, merchant_id, order_id, state, type,
                                  after_time_us, after_claim_id, limit)) {
    claims.push_back({row["claim_id"].as<std::string>(), row["create_time_us"].as<int64_t>()});
  }
  return claims;
}

std::optional<LockedClaim> ClaimStore::LockClaim(const std::string& merchant_id,
                                                 const std::string& claim_id) {
  const auto rows = tx_.Exec(sql::kClaimsLockClaim, merchant_id, claim_id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  LockedClaim claim;
  claim.state = row["state"].as<std::string>();
  claim.order_id = row["order_id"].as<std::string>();
  claim.version = row["version"].as<int64_t>();
  claim.evidence_requested = row["evidence_requested"].as<bool>();
  claim.type = row["type"].as<std::string>();
  claim.claim_value_minor = row["claim_value_minor"].as<int64_t>();
  claim.customer_id = row["customer_id"].as<std::string>();
  claim.shipment_id = row["shipment_id"].as<std::string>();
  claim.currency_code = row["currency_code"].as<std::string>();
  return claim;
}

std::vector<ClaimStockRow> ClaimStore::LockClaimStock(const std::string& merchant_id,
                                                      const std::string& claim_id) {
  std::vector<ClaimStockRow> stock;
  for (const auto& row : tx_.Exec(sql::kClaimsLockClaimStock, merchant_id, claim_id)) {
    stock.push_back({row["sku"].as<std::string>(), row["available"].as<int64_t>()});
  }
  return stock;
}

void ClaimStore::LockCustomerClaims(const std::string& merchant_id,
                                    const std::string& customer_id) {
  tx_.Exec(sql::kClaimsLockCustomerClaims, merchant_id, customer_id);
}

std::optional<LockedEvidence> ClaimStore::LockEvidence(const std::string& merchant_id,
                                                       const std::string& evidence_id,
                                                       const std::string& claim_id) {
  const auto rows = tx_.Exec(sql::kClaimsLockEvidence, merchant_id, evidence_id, claim_id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  return LockedEvidence{row["state"].as<std::string>(), row["received_bytes"].as<int64_t>(),
                        row["content_type"].as<std::string>(), row["blob_store"].as<std::string>()};
}

std::vector<EvidenceToPurge> ClaimStore::LockEvidenceToPurge(const std::string& blob_store,
                                                             int limit) {
  std::vector<EvidenceToPurge> files;
  for (const auto& row : tx_.Exec(sql::kClaimsLockEvidenceToPurge, blob_store, limit)) {
    files.push_back({row["merchant_id"].as<std::string>(), row["evidence_id"].as<std::string>()});
  }
  return files;
}

std::optional<OrderClaimSnapshot> ClaimStore::OrderForClaim(const std::string& merchant_id,
                                                            const std::string& order_id) {
  const auto rows = tx_.Exec(sql::kClaimsOrderForClaim, merchant_id, order_id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  return OrderClaimSnapshot{row["customer_id"].as<std::string>(),
                            row["currency_code"].as<std::string>(),
                            row["order_value_minor"].as<int64_t>()};
}

std::vector<OrderParcelRow> ClaimStore::OrderParcels(const std::string& merchant_id,
                                                     const std::string& order_id) {
  std::vector<OrderParcelRow> parcels;
  for (const auto& row : tx_.Exec(sql::kClaimsOrderParcels, merchant_id, order_id)) {
    OrderParcelRow parcel;
    parcel.shipment_id = row["shipment_id"].as<std::string>();
    parcel.state = row["state"].as<std::string>();
    parcel.promise_time_us = Nullable<int64_t>(row["promise_time_us"]);
    parcel.delivered_time_us = Nullable<int64_t>(row["delivered_time_us"]);
    const json contents = json::parse(row["contents"].as<std::string>());  // outlives items()
    for (const auto& [line, units] : contents.items()) {
      parcel.contents[line] = units.get<int32_t>();
    }
    parcels.push_back(std::move(parcel));
  }
  return parcels;
}

std::string ClaimStore::ReadEvidenceBytes(const std::string& merchant_id,
                                          const std::string& evidence_id, int64_t offset,
                                          int64_t length) {
  std::string bytes;
  for (const auto& row :
       tx_.Exec(sql::kClaimsReadEvidenceBytes, merchant_id, evidence_id, offset, length)) {
    bytes += absl::HexStringToBytes(row["data_hex"].as<std::string>());
  }
  return bytes;
}

void ClaimStore::ResolveClaim(const std::string& merchant_id, const std::string& claim_id,
                              int64_t refund_minor) {
  tx_.Exec(sql::kClaimsResolveClaim, merchant_id, claim_id, refund_minor);
}

void ClaimStore::SetClaimState(const std::string& merchant_id, const std::string& claim_id,
                               const std::string& state, const std::string& review_reasons_json,
                               const std::string& decision_note, bool evidence_requested) {
  tx_.Exec(sql::kClaimsSetClaimState, merchant_id, claim_id, state, review_reasons_json,
           decision_note, evidence_requested);
}

int32_t ClaimStore::UnshippedReships(const std::string& merchant_id, const std::string& claim_id) {
  const auto rows = tx_.Exec(sql::kClaimsUnshippedReships, merchant_id, claim_id);
  return rows[0]["unshipped"].as<int32_t>();
}

// Bytes travel as hex text (decode/encode in SQL): libpqxx 6.4 sends prepared parameters as
// text, and a NUL byte would end a text parameter.
void ClaimStore::WriteEvidenceChunk(const std::string& merchant_id, const std::string& evidence_id,
                                    int64_t byte_offset, absl::string_view data) {
  tx_.Exec(sql::kClaimsWriteEvidenceChunk, merchant_id, evidence_id, byte_offset,
           absl::BytesToHexString(data));
}

}  // namespace returns::storage
