// Claims (docs/claims.md) against a real PostgreSQL: windows read from the parcel's tracking,
// evidence uploads, the adjudication and its Decisions, reviews, resolutions and overrides.
#include <nlohmann/json.hpp>

#include "claims_fixture.h"
#include "common/crypto.h"

namespace returns::testing {
namespace {

const absl::Duration kDay = absl::Hours(24);

TEST_F(ClaimsTest, DamagedItemWithAPhotoIsApprovedAutomaticallyAndReshipped) {
  OrderWithParcel("1001");
  Delivered("1001", 2 * kDay);
  Stock("TEE-BLUE-S", 5);
  auto claim = File("1001", v1::CLAIM_TYPE_DAMAGED);
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(claim->state(), v1::CLAIM_STATE_AWAITING_EVIDENCE);
  EXPECT_EQ(claim->claim_value().amount_minor(), 2500);

  const std::string photo = PhotoBytes(10000);
  auto evidence = Upload(claim->claim_id(), photo, 4096);  // three chunks
  ASSERT_TRUE(evidence.ok()) << evidence.status();
  EXPECT_EQ(evidence->state(), v1::EVIDENCE_STATE_COMPLETE);
  EXPECT_EQ(evidence->content_type(), "image/png");
  EXPECT_EQ(evidence->size_bytes(), 10000);
  EXPECT_EQ(evidence->sha256(), crypto::Sha256Hex(photo));
  EXPECT_EQ(evidence->assessment().label(), "damage_visible");

  v1::GetClaimRequest get;
  get.set_claim_id(claim->claim_id());
  v1::Claim now;
  ASSERT_TRUE(app::GetClaim(app_, Call(), get, &now).ok());
  EXPECT_EQ(now.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(now.resolution(), v1::CLAIM_RESOLUTION_RESHIP);
  ASSERT_EQ(now.reship_shipment_ids_size(), 1);
  EXPECT_EQ(Scalar("SELECT on_hand FROM inventory_levels WHERE sku = 'TEE-BLUE-S'"), "4");
  const std::string decision = Scalar(
      "SELECT outcome || ' ' || rule_version || ' ' || (inputs->>'evidence_files') FROM decisions "
      "WHERE kind = 'claim_adjudication'");
  EXPECT_EQ(decision, "APPROVED claim-rules/1 1");

  // The reship goes through the same durable fulfillment path as an exchange's replacement.
  EXPECT_GE(RunJobs(), 1);
  v1::ConfirmFulfillmentRequest confirm;
  confirm.set_request_id("confirm-1");
  confirm.set_shipment_id(now.reship_shipment_ids(0));
  confirm.set_carrier("sandbox");
  confirm.set_tracking_number("RESHIP-1001");
  v1::Shipment shipment;
  auto call = Call("confirm-1");
  ASSERT_TRUE(app::ConfirmFulfillment(app_, call, confirm, &shipment).ok());
  EXPECT_EQ(shipment.purpose(), v1::SHIPMENT_PURPOSE_RESHIP);
  EXPECT_EQ(shipment.claim_id(), claim->claim_id());
  ASSERT_TRUE(app::GetClaim(app_, Call(), get, &now).ok());
  EXPECT_EQ(now.state(), v1::CLAIM_STATE_RESOLVED);

  EXPECT_EQ(
      Scalar("SELECT string_agg(event_type, ',' ORDER BY event_id) FROM timeline_events "
             "WHERE resource_type = 'claim'"),
      "claim.filed,claim.awaiting_evidence,claim.evidence_added,claim.approved,claim.resolved");
  EXPECT_EQ(Count("outbox_events WHERE aggregatetype = 'claim'"), "5");
}

// The sandbox damage model is opt-in: a server without an assessor keeps photos unassessed and
// a damage claim waits for a person, however it looks (no money for a photo nobody looked at).
TEST_F(ClaimsTest, WithoutADamageAssessorADamagedItemClaimWaitsForAPerson) {
  integrations_.damage_assessor = nullptr;
  OrderWithParcel("1002");
  Delivered("1002", 2 * kDay);
  Stock("TEE-BLUE-S", 5);
  auto claim = File("1002", v1::CLAIM_TYPE_DAMAGED);
  ASSERT_TRUE(claim.ok()) << claim.status();
  auto evidence = Upload(claim->claim_id(), PhotoBytes(1000));
  ASSERT_TRUE(evidence.ok()) << evidence.status();
  EXPECT_EQ(evidence->assessment().label(), "unclear");
  EXPECT_EQ(evidence->assessment().model_version(), "none");
  v1::GetClaimRequest get;
  get.set_claim_id(claim->claim_id());
  v1::Claim now;
  ASSERT_TRUE(app::GetClaim(app_, Call(), get, &now).ok());
  EXPECT_EQ(now.state(), v1::CLAIM_STATE_IN_REVIEW);
  EXPECT_EQ(Scalar("SELECT count(*) FROM decisions WHERE kind = 'claim_adjudication' AND outcome = "
                   "'APPROVED'"),
            "0");
}

// A file is evidence only if it decodes: the bytes a JPEG starts with, then a web page, are not
// a photo (and are not assessed or paid).
TEST_F(ClaimsTest, AFileThatDoesNotDecodeIsNotEvidence) {
  OrderWithParcel("1003");
  Delivered("1003", 2 * kDay);
  auto claim = File("1003", v1::CLAIM_TYPE_DAMAGED);
  ASSERT_TRUE(claim.ok()) << claim.status();
  std::string fake = "\xFF\xD8\xFF\n<html><script>alert(1)</script></html>";
  fake.resize(57, ' ');  // the 57 bytes of the report
  auto refused = Upload(claim->claim_id(), fake);
  EXPECT_EQ(Reason(refused.status()), "EVIDENCE_TYPE_UNSUPPORTED") << refused.status();
  EXPECT_EQ(Scalar("SELECT count(*) FROM claim_evidence WHERE state = 'COMPLETE'"), "0");
  v1::GetClaimRequest get;
  get.set_claim_id(claim->claim_id());
  v1::Claim now;
  ASSERT_TRUE(app::GetClaim(app_, Call(), get, &now).ok());
  EXPECT_EQ(now.state(), v1::CLAIM_STATE_AWAITING_EVIDENCE);
}

TEST_F(ClaimsTest, LostParcelWithoutStockIsRefundedExactlyOnce) {
  OrderWithParcel("1002", absl::Now() - 10 * kDay);
  auto claim = File("1002", v1::CLAIM_TYPE_LOST, "L1", 2, "lost-1");
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(claim->state(), v1::CLAIM_STATE_RESOLVED);
  EXPECT_EQ(claim->resolution(), v1::CLAIM_RESOLUTION_REFUND);
  EXPECT_EQ(claim->refund_amount().amount_minor(), 5000);
  EXPECT_EQ(claim->policy_version(), 1);  // the policy it was decided under
  // A retry is the same claim and no second refund.
  auto again = File("1002", v1::CLAIM_TYPE_LOST, "L1", 2, "lost-1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->claim_id(), claim->claim_id());
  EXPECT_EQ(Count("outbox_events WHERE type = 'claim.refund_requested'"), "1");
  EXPECT_EQ(Scalar("SELECT payload->'refund_amount'->>'amount_minor' FROM outbox_events "
                   "WHERE type = 'claim.refund_requested'"),
            "5000");
  // The refund is one CLAIM_REFUND money movement of what the units paid (docs/money.md).
  EXPECT_EQ(Scalar("SELECT string_agg(kind || ' ' || state || ' ' || amount_minor, ',') "
                   "FROM money_movements WHERE subject = 'claims/" +
                   claim->claim_id() + "'"),
            "CLAIM_REFUND REQUESTED 5000");
}

TEST_F(ClaimsTest, EachWindowIsReadFromTheParcelsTracking) {
  // LOST: not before the promise plus the grace (3 days), not once delivered.
  OrderWithParcel("2001", absl::Now() - 2 * kDay);
  EXPECT_EQ(Reason(File("2001", v1::CLAIM_TYPE_LOST).status()), "CLAIM_WINDOW_NOT_OPEN");
  // STOLEN, DAMAGED, WRONG_ITEM: not before a DELIVERED scan.
  EXPECT_EQ(Reason(File("2001", v1::CLAIM_TYPE_STOLEN).status()), "CLAIM_WINDOW_NOT_OPEN");
  EXPECT_EQ(Reason(File("2001", v1::CLAIM_TYPE_DAMAGED).status()), "CLAIM_WINDOW_NOT_OPEN");
  Delivered("2001", 8 * kDay);
  EXPECT_EQ(Reason(File("2001", v1::CLAIM_TYPE_LOST).status()), "PARCEL_DELIVERED");
  // 8 days after delivery: STOLEN (7) closed, DAMAGED (14) open.
  const absl::Status stolen = File("2001", v1::CLAIM_TYPE_STOLEN).status();
  EXPECT_EQ(Reason(stolen), "CLAIM_WINDOW_CLOSED");
  EXPECT_TRUE(absl::StrContains(stolen.message(), "STOLEN")) << stolen;
  EXPECT_TRUE(File("2001", v1::CLAIM_TYPE_WRONG_ITEM).ok());

  OrderWithParcel("2002", absl::Now() - 40 * kDay);  // grace 3 + window 30 ended 7 days ago
  EXPECT_EQ(Reason(File("2002", v1::CLAIM_TYPE_LOST).status()), "CLAIM_WINDOW_CLOSED");
  OrderWithParcel("2003");
  Delivered("2003", 15 * kDay);
  EXPECT_EQ(Reason(File("2003", v1::CLAIM_TYPE_DAMAGED).status()), "CLAIM_WINDOW_CLOSED");
  // The policy tunes the windows.
  Scalar("UPDATE policies SET claim_damage_window_days = 20");
  EXPECT_TRUE(File("2003", v1::CLAIM_TYPE_DAMAGED).ok());
}

TEST_F(ClaimsTest, AnOrderNeverShippedCannotBeClaimed) {
  auto call = Call("order-3001");
  v1::Order order;
  ASSERT_TRUE(app::UpsertOrder(app_, call, SampleOrder("3001"), &order).ok());
  const absl::Status status = File("3001", v1::CLAIM_TYPE_DAMAGED).status();
  EXPECT_EQ(Reason(status), "ORDER_NOT_SHIPPED");
  EXPECT_EQ(absl::StatusCode::kNotFound,
            File("no-such-order", v1::CLAIM_TYPE_LOST).status().code());
}

TEST_F(ClaimsTest, UnitsAreReturnedOrClaimedAtMostOnce) {
  OrderWithParcel("4001");
  Delivered("4001", kDay);
  Scalar("UPDATE policies SET claim_auto_approve_max_minor = 0");  // everything to review
  auto claim = File("4001", v1::CLAIM_TYPE_DAMAGED, "L1", 2);
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(Reason(File("4001", v1::CLAIM_TYPE_WRONG_ITEM, "L1", 1).status()),
            "CLAIM_QUANTITY_EXCEEDED");
  auto call = Call("return-4001");
  v1::Return ret;
  const absl::Status returned = app::CreateReturn(app_, call, SampleReturn("4001", "L1", 1), &ret);
  EXPECT_EQ(Reason(returned), "RETURN_QUANTITY_EXCEEDED") << returned;
  // A denial frees the units.
  ASSERT_TRUE(Review(claim->claim_id(), v1::REVIEW_ACTION_DENY, v1::CLAIM_RESOLUTION_UNSPECIFIED,
                     "photo shows wear, not damage")
                  .ok());
  call = Call("return-4001b");
  EXPECT_TRUE(app::CreateReturn(app_, call, SampleReturn("4001", "L1", 1), &ret).ok());
  EXPECT_TRUE(File("4001", v1::CLAIM_TYPE_WRONG_ITEM, "L1", 1).ok());
  EXPECT_EQ(Reason(File("4001", v1::CLAIM_TYPE_WRONG_ITEM, "L1", 1).status()),
            "CLAIM_QUANTITY_EXCEEDED");
}

TEST_F(ClaimsTest, ClaimsAboveTheRulesGoToReviewWithTheirReasons) {
  OrderWithParcel("5001");
  Delivered("5001", kDay);
  Scalar("UPDATE policies SET claim_auto_approve_max_minor = 1000");
  auto claim = File("5001", v1::CLAIM_TYPE_WRONG_ITEM);
  ASSERT_TRUE(claim.ok());
  ASSERT_TRUE(Upload(claim->claim_id(), PhotoBytes(100)).ok());
  v1::GetClaimRequest get;
  get.set_claim_id(claim->claim_id());
  v1::Claim now;
  ASSERT_TRUE(app::GetClaim(app_, Call(), get, &now).ok());
  EXPECT_EQ(now.state(), v1::CLAIM_STATE_IN_REVIEW);
  ASSERT_EQ(now.review_reasons_size(), 1);
  EXPECT_TRUE(absl::StrContains(now.review_reasons(0), "above the automatic-approval limit 1000"));

  // The review queue: oldest first, only claims in review.
  v1::ListClaimsRequest queue;
  queue.set_needs_review(true);
  v1::ListClaimsResponse listed;
  ASSERT_TRUE(app::ListClaims(app_, Call(), queue, &listed).ok());
  ASSERT_EQ(listed.claims_size(), 1);

  auto approved =
      Review(claim->claim_id(), v1::REVIEW_ACTION_APPROVE, v1::CLAIM_RESOLUTION_REFUND, "ok");
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::CLAIM_STATE_RESOLVED);
  EXPECT_EQ(
      Scalar("SELECT outcome || '>' || override_outcome || ' by ' || override_actor FROM decisions "
             "WHERE kind = 'claim_adjudication'"),
      "ESCALATED>APPROVED by api_keys/agent-key");
  listed.Clear();
  ASSERT_TRUE(app::ListClaims(app_, Call(), queue, &listed).ok());
  EXPECT_EQ(listed.claims_size(), 0);
}

TEST_F(ClaimsTest, AReviewerCanAskForMoreEvidenceAndGetsTheClaimBack) {
  OrderWithParcel("5002");
  Delivered("5002", kDay);
  auto claim = File("5002", v1::CLAIM_TYPE_DAMAGED);
  ASSERT_TRUE(claim.ok());
  // The model does not see damage: to review, never denied.
  ASSERT_TRUE(Upload(claim->claim_id(), PhotoBytes(200, "sandbox:no-damage")).ok());
  v1::GetClaimRequest get;
  get.set_claim_id(claim->claim_id());
  v1::Claim now;
  ASSERT_TRUE(app::GetClaim(app_, Call(), get, &now).ok());
  EXPECT_EQ(now.state(), v1::CLAIM_STATE_IN_REVIEW);
  auto asked = Review(claim->claim_id(), v1::REVIEW_ACTION_REQUEST_EVIDENCE,
                      v1::CLAIM_RESOLUTION_UNSPECIFIED, "a photo of the box, please");
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(asked->state(), v1::CLAIM_STATE_AWAITING_EVIDENCE);
  // New evidence goes back to the person who asked, even a photo the model likes.
  ASSERT_TRUE(Upload(claim->claim_id(), PhotoBytes(300)).ok());
  ASSERT_TRUE(app::GetClaim(app_, Call(), get, &now).ok());
  EXPECT_EQ(now.state(), v1::CLAIM_STATE_IN_REVIEW);
  EXPECT_EQ(now.evidence_size(), 2);
  // Reviewing a decided claim is refused with its state.
  ASSERT_TRUE(
      Review(claim->claim_id(), v1::REVIEW_ACTION_DENY, v1::CLAIM_RESOLUTION_UNSPECIFIED, "no")
          .ok());
  const absl::Status again =
      Review(claim->claim_id(), v1::REVIEW_ACTION_DENY, v1::CLAIM_RESOLUTION_UNSPECIFIED, "no")
          .status();
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(again.message(), "DENIED"));
}

TEST_F(ClaimsTest, EvidenceIsCheckedForTypeSizeOrderAndDigest) {
  OrderWithParcel("6001");
  Delivered("6001", kDay);
  auto claim = File("6001", v1::CLAIM_TYPE_DAMAGED);
  ASSERT_TRUE(claim.ok());
  // A GIF is not accepted, whatever it is called.
  EXPECT_EQ(
      Reason(Upload(claim->claim_id(), std::string("GIF89a") + std::string(100, 'x')).status()),
      "EVIDENCE_TYPE_UNSUPPORTED");
  // More than 10 MiB in one file.
  EXPECT_EQ(Reason(Upload(claim->claim_id(), PhotoBytes((10 << 20) + 1), 1 << 20).status()),
            "EVIDENCE_TOO_LARGE");
  // A chunk that does not start where the upload ended.
  v1::AddClaimEvidenceRequest first;
  first.set_request_id("chunk-0");
  first.set_claim_id(claim->claim_id());
  const std::string photo = PhotoBytes(168);
  first.set_data(photo.substr(0, 64));
  v1::ClaimEvidence started;
  auto call = Call("chunk-0");
  ASSERT_TRUE(app::AddClaimEvidence(app_, call, first, &started).ok());
  EXPECT_EQ(started.state(), v1::EVIDENCE_STATE_UPLOADING);
  v1::AddClaimEvidenceRequest gap = first;
  gap.set_request_id("chunk-1");
  gap.set_evidence_id(started.evidence_id());
  gap.set_offset(100);
  call = Call("chunk-1");
  EXPECT_EQ(Reason(app::AddClaimEvidence(app_, call, gap, &started)), "EVIDENCE_OFFSET_MISMATCH");
  // A wrong digest on the last chunk leaves the upload open; the right one completes it.
  v1::AddClaimEvidenceRequest last = gap;
  last.set_request_id("chunk-2");
  last.set_offset(64);
  last.set_data(photo.substr(64));
  last.set_last(true);
  last.set_sha256(std::string(64, '0'));
  call = Call("chunk-2");
  EXPECT_EQ(Reason(app::AddClaimEvidence(app_, call, last, &started)),
            "EVIDENCE_CHECKSUM_MISMATCH");
  last.set_request_id("chunk-3");
  last.set_sha256(crypto::Sha256Hex(photo));
  call = Call("chunk-3");
  ASSERT_TRUE(app::AddClaimEvidence(app_, call, last, &started).ok());
  EXPECT_EQ(started.size_bytes(), 168);

  // Downloads give back exactly the bytes, in pieces.
  std::string downloaded;
  for (int64_t offset = 0;;) {
    v1::DownloadClaimEvidenceRequest download;
    download.set_evidence_id(started.evidence_id());
    download.set_offset(offset);
    download.set_max_bytes(30);
    v1::DownloadClaimEvidenceResponse piece;
    ASSERT_TRUE(app::DownloadClaimEvidence(app_, Call(), download, &piece).ok());
    downloaded += piece.data();
    offset += piece.data().size();
    if (piece.end_of_file()) break;
  }
  EXPECT_EQ(downloaded, photo);
}

TEST_F(ClaimsTest, AClaimsFilesAreLimitedInNumberAndTotalSize) {
  OrderWithParcel("6002");
  Delivered("6002", kDay);
  Scalar("UPDATE policies SET claim_photo_required = false, claim_auto_approve_max_minor = 0");
  auto claim = File("6002", v1::CLAIM_TYPE_DAMAGED);
  ASSERT_TRUE(claim.ok());
  ASSERT_EQ(claim->state(), v1::CLAIM_STATE_IN_REVIEW);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Upload(claim->claim_id(), PhotoBytes(100)).ok()) << i;
  EXPECT_EQ(Reason(Upload(claim->claim_id(), PhotoBytes(100)).status()), "EVIDENCE_TOO_LARGE");
}

TEST_F(ClaimsTest, AnOverrideCarriesOutItsEffectAndIsAuditedOnce) {
  OrderWithParcel("7001");
  Delivered("7001", kDay);
  Scalar("UPDATE policies SET claim_auto_approve_max_minor = 1");
  Stock("TEE-BLUE-S", 3);
  auto claim = File("7001", v1::CLAIM_TYPE_STOLEN);
  ASSERT_TRUE(claim.ok());
  ASSERT_EQ(claim->state(), v1::CLAIM_STATE_IN_REVIEW);
  const std::string decision_id =
      Scalar("SELECT decision_id FROM decisions WHERE kind = 'claim_adjudication'");
  v1::OverrideDecisionRequest override_request;
  override_request.set_request_id("override-1");
  override_request.set_decision_id(decision_id);
  override_request.set_outcome(v1::DECISION_OUTCOME_APPROVED);
  override_request.set_reason("loyal customer, police report seen");
  auto call = Call("override-1");
  call.principal.key_id = "agent-key";
  v1::Decision decision;
  const absl::Status status = app::OverrideDecision(app_, call, override_request, &decision);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(decision.override_outcome(), v1::DECISION_OUTCOME_APPROVED);
  EXPECT_EQ(decision.override_actor(), "api_keys/agent-key");
  EXPECT_EQ(decision.override_note(), "loyal customer, police report seen");
  EXPECT_TRUE(decision.has_override_time());
  // The rules proposed RESHIP (in stock): carried out.
  EXPECT_EQ(Scalar("SELECT state || ' ' || resolution FROM claims"), "APPROVED RESHIP");
  // A second override of the same decision is refused; a retry of the first is its answer.
  override_request.set_request_id("override-2");
  call = Call("override-2");
  EXPECT_EQ(Reason(app::OverrideDecision(app_, call, override_request, &decision)),
            "DECISION_OVERRIDDEN");

  // ListDecisions filters by outcome and by overridden-or-not.
  v1::ListDecisionsRequest list;
  list.set_overridden(v1::OVERRIDE_FILTER_OVERRIDDEN);
  v1::ListDecisionsResponse listed;
  ASSERT_TRUE(app::ListDecisions(app_, Call(), list, &listed).ok());
  ASSERT_EQ(listed.decisions_size(), 1);
  EXPECT_EQ(listed.decisions(0).decision_id(), decision_id);
  list.set_overridden(v1::OVERRIDE_FILTER_NOT_OVERRIDDEN);
  list.set_outcome(v1::DECISION_OUTCOME_ESCALATED);
  listed.Clear();
  ASSERT_TRUE(app::ListDecisions(app_, Call(), list, &listed).ok());
  EXPECT_EQ(listed.decisions_size(), 0);
}

TEST_F(ClaimsTest, AnOverrideApprovesAnEscalatedReturn) {
  // An escalated return approval: the override approves it and requests its label.
  Scalar("UPDATE policies SET auto_approve_max_minor = 1");
  auto call = Call("order-8001");
  v1::Order order;
  ASSERT_TRUE(app::UpsertOrder(app_, call, SampleOrder("8001"), &order).ok());
  call = Call("return-8001");
  v1::Return ret;
  ASSERT_TRUE(app::CreateReturn(app_, call, SampleReturn("8001"), &ret).ok());
  ASSERT_EQ(ret.state(), v1::RETURN_STATE_REQUESTED);
  const std::string decision_id = Scalar(
      "SELECT decision_id FROM decisions WHERE kind = 'return_approval' AND outcome = 'ESCALATED'");
  v1::OverrideDecisionRequest request;
  request.set_request_id("override-return");
  request.set_decision_id(decision_id);
  request.set_outcome(v1::DECISION_OUTCOME_APPROVED);
  request.set_reason("VIP");
  call = Call("override-return");
  v1::Decision decision;
  ASSERT_TRUE(app::OverrideDecision(app_, call, request, &decision).ok());
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "APPROVED");
  EXPECT_EQ(Count("jobs WHERE kind = 'ISSUE_LABEL'"), "1");
  // An override that does not change the outcome is refused.
  request.set_request_id("override-same");
  request.set_decision_id(decision_id);
  call = Call("override-same");
  EXPECT_EQ(app::OverrideDecision(app_, call, request, &decision).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ClaimsTest, AReturnRefusedForItsWindowIsEscalatedAndAnOverrideApprovesIt) {
  auto call = Call("order-8101");
  v1::Order order;
  ASSERT_TRUE(
      app::UpsertOrder(app_, call, SampleOrder("8101", 2, /*delivered_days_ago=*/40), &order).ok());
  call = Call("late-return");
  v1::Return ret;
  const absl::Status refused = app::CreateReturn(app_, call, SampleReturn("8101"), &ret);
  EXPECT_EQ(Reason(refused), "RETURN_WINDOW_CLOSED");
  const std::string decision_id = MetadataOf(refused)["decision_id"];
  ASSERT_FALSE(decision_id.empty()) << refused;
  // A retry of the refused request names the same escalation.
  call = Call("late-return");
  EXPECT_EQ(MetadataOf(app::CreateReturn(app_, call, SampleReturn("8101"), &ret))["decision_id"],
            decision_id);
  EXPECT_EQ(Count("decisions WHERE kind = 'return_eligibility'"), "1");
  EXPECT_EQ(Count("returns"), "0");

  v1::OverrideDecisionRequest request;
  request.set_request_id("override-late");
  request.set_decision_id(decision_id);
  request.set_outcome(v1::DECISION_OUTCOME_APPROVED);
  request.set_reason("the parcel was stuck at customs");
  call = Call("override-late");
  v1::Decision decision;
  const absl::Status status = app::OverrideDecision(app_, call, request, &decision);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "APPROVED");
  EXPECT_EQ(Scalar("SELECT returned_quantity FROM order_lines WHERE line_id = 'L1'"), "1");
}

TEST_F(ClaimsTest, ListsArePaginatedOldestFirstAndFiltered) {
  Scalar("UPDATE policies SET claim_max_customer_claims = 100, claim_auto_approve_max_minor = 0");
  for (const char* id : {"p1", "p2", "p3"}) {
    OrderWithParcel(id);
    Delivered(id, kDay);
    ASSERT_TRUE(File(id, v1::CLAIM_TYPE_STOLEN).ok());
  }
  v1::ListClaimsRequest request;
  request.set_page_size(2);
  request.set_type(v1::CLAIM_TYPE_STOLEN);
  v1::ListClaimsResponse first, second;
  ASSERT_TRUE(app::ListClaims(app_, Call(), request, &first).ok());
  ASSERT_EQ(first.claims_size(), 2);
  EXPECT_EQ(first.claims(0).order_id(), "p1");
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  ASSERT_TRUE(app::ListClaims(app_, Call(), request, &second).ok());
  ASSERT_EQ(second.claims_size(), 1);
  EXPECT_EQ(second.claims(0).order_id(), "p3");
  EXPECT_TRUE(second.next_page_token().empty());
  // A token is bound to its filters.
  request.set_type(v1::CLAIM_TYPE_LOST);
  v1::ListClaimsResponse other;
  EXPECT_EQ(app::ListClaims(app_, Call(), request, &other).code(),
            absl::StatusCode::kInvalidArgument);
  // Filters: by order, by state.
  v1::ListClaimsRequest by_order;
  by_order.set_order_id("p2");
  v1::ListClaimsResponse one;
  ASSERT_TRUE(app::ListClaims(app_, Call(), by_order, &one).ok());
  ASSERT_EQ(one.claims_size(), 1);
  v1::ListClaimsRequest resolved;
  resolved.set_state(v1::CLAIM_STATE_RESOLVED);
  v1::ListClaimsResponse none;
  ASSERT_TRUE(app::ListClaims(app_, Call(), resolved, &none).ok());
  EXPECT_EQ(none.claims_size(), 0);
  // Decisions by time range: all three are in the last minute, none before.
  v1::ListDecisionsRequest recent;
  recent.mutable_start_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 60);
  recent.set_kind("claim_adjudication");
  v1::ListDecisionsResponse decisions;
  ASSERT_TRUE(app::ListDecisions(app_, Call(), recent, &decisions).ok());
  EXPECT_EQ(decisions.decisions_size(), 3);
  v1::ListDecisionsRequest old;
  old.mutable_end_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 60);
  decisions.Clear();
  ASSERT_TRUE(app::ListDecisions(app_, Call(), old, &decisions).ok());
  EXPECT_EQ(decisions.decisions_size(), 0);
}

TEST_F(ClaimsTest, ParcelsAttachOnceAndHoldAtMostWhatWasBought) {
  const std::string shipment_id = OrderWithParcel("9001");
  // The same parcel again: left as it is.
  OrderWithParcel("9001");
  EXPECT_EQ(Count("shipments WHERE purpose = 'ORDER'"), "1");
  v1::GetShipmentRequest get;
  get.set_shipment_id(shipment_id);
  v1::Shipment shipment;
  ASSERT_TRUE(app::GetShipment(app_, Call(), get, &shipment).ok());
  EXPECT_EQ(shipment.purpose(), v1::SHIPMENT_PURPOSE_ORDER);
  EXPECT_EQ(shipment.state(), v1::SHIPMENT_STATE_LABEL_CREATED);
  EXPECT_EQ(shipment.lines_size(), 2);
  EXPECT_TRUE(shipment.has_promise_time());
  // A second parcel holding L1 again would exceed what was bought.
  v1::UpsertOrderRequest more = SampleOrder("9001");
  v1::OrderShipment* parcel = more.add_shipments();
  parcel->set_carrier("sandbox");
  parcel->set_tracking_number("TRK-9001-B");
  *parcel->mutable_promise_time() = At(absl::Now());
  parcel->add_lines()->set_order_line_id("L1");
  parcel->mutable_lines(0)->set_quantity(1);
  auto call = Call("order-9001-b");
  v1::Order order;
  const absl::Status status = app::UpsertOrder(app_, call, more, &order);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "shipments[0].lines[0].quantity")) << status;
  // Carrier scans move it, and the delivery time is kept.
  Delivered("9001", kDay);
  ASSERT_TRUE(app::GetShipment(app_, Call(), get, &shipment).ok());
  EXPECT_EQ(shipment.state(), v1::SHIPMENT_STATE_DELIVERED);
  EXPECT_TRUE(shipment.has_delivered_time());
  EXPECT_EQ(Count("timeline_events WHERE event_type = 'shipment.attached'"), "1");
  // The parcel's DELIVERED scan is the order's delivery time (the return window opens).
  EXPECT_EQ(Count("orders WHERE delivered_time IS NOT NULL"), "1");
}

}  // namespace
}  // namespace returns::testing
