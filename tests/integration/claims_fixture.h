#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "domain/errors.h"
#include "google/protobuf/util/time_util.h"
#include "orchestration_fixture.h"
#include "sample_images.h"
#include "sample_orders.h"

namespace returns::testing {

// Claims against a real PostgreSQL: an order with one parcel (L1 x2, L2 x1) whose tracking the
// tests move with carrier events.
class ClaimsTest : public OrchestrationTest {
 protected:
  ClaimsTest() {
    Scalar("UPDATE policies SET default_carrier = 'sandbox'");
    // Photos are scored by the sandbox model here (opt-in, as returnsd --sandbox_damage_assessor).
    integrations_.damage_assessor = std::make_shared<integrations::SandboxDamageAssessor>();
  }

  static google::protobuf::Timestamp At(absl::Time t) {
    return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
  }

  // The order `order_id` with its parcel "sandbox"/"TRK-<order_id>", delivery promised at
  // `promise`. Returns the parcel's shipment id.
  std::string OrderWithParcel(const std::string& order_id,
                              absl::Time promise = absl::Now() - absl::Hours(24 * 5)) {
    v1::UpsertOrderRequest request = SampleOrder(order_id);
    request.mutable_order()->clear_delivered_time();
    v1::OrderShipment* parcel = request.add_shipments();
    parcel->set_carrier("sandbox");
    parcel->set_tracking_number("TRK-" + order_id);
    *parcel->mutable_promise_time() = At(promise);
    auto* l1 = parcel->add_lines();
    l1->set_order_line_id("L1");
    l1->set_quantity(2);
    auto* l2 = parcel->add_lines();
    l2->set_order_line_id("L2");
    l2->set_quantity(1);
    auto call = Call(request.request_id());
    v1::Order order;
    const absl::Status status = app::UpsertOrder(app_, call, request, &order);
    EXPECT_TRUE(status.ok()) << status;
    return Scalar("SELECT shipment_id FROM shipments WHERE tracking_number = 'TRK-" + order_id +
                  "'");
  }

  // A carrier scan of the order's parcel at `when`.
  void Scan(const std::string& order_id, v1::CarrierEventCode code, absl::Time when) {
    v1::RecordCarrierEventsRequest request;
    v1::CarrierEvent* event = request.add_events();
    event->set_carrier("sandbox");
    event->set_tracking_number("TRK-" + order_id);
    event->set_event_id(absl::StrCat("ev-", order_id, "-", code, "-", absl::ToUnixMicros(when)));
    event->set_code(code);
    *event->mutable_event_time() = At(when);
    v1::RecordCarrierEventsResponse response;
    auto call = Call();
    ASSERT_TRUE(app::RecordCarrierEvents(app_, call, request, &response).ok());
    ASSERT_EQ(response.results(0).outcome(), v1::CARRIER_EVENT_OUTCOME_APPLIED);
  }
  void Delivered(const std::string& order_id, absl::Duration ago) {
    Scan(order_id, v1::CARRIER_EVENT_CODE_DELIVERED, absl::Now() - ago);
  }

  absl::StatusOr<v1::Claim> File(const std::string& order_id, v1::ClaimType type,
                                 const std::string& line = "L1", int quantity = 1,
                                 const std::string& request_id = "") {
    v1::FileClaimRequest request;
    request.set_request_id(request_id.empty() ? absl::StrCat("file-", ++requests_) : request_id);
    request.set_order_id(order_id);
    request.set_type(type);
    auto* l = request.add_lines();
    l->set_order_line_id(line);
    l->set_quantity(quantity);
    request.set_description("the parcel went wrong");
    auto call = Call(request.request_id());
    v1::Claim claim;
    absl::Status status = app::FileClaim(app_, call, request, &claim);
    if (!status.ok()) return status;
    return claim;
  }

  // Uploads `bytes` as one file in chunks of `chunk` bytes; the last call's answer.
  absl::StatusOr<v1::ClaimEvidence> Upload(const std::string& claim_id, const std::string& bytes,
                                           size_t chunk = 4096) {
    v1::ClaimEvidence evidence;
    size_t offset = 0;
    do {
      v1::AddClaimEvidenceRequest request;
      request.set_request_id(absl::StrCat("ev-", ++requests_));
      request.set_claim_id(claim_id);
      request.set_evidence_id(evidence.evidence_id());
      request.set_file_name("photo.jpg");
      request.set_offset(offset);
      request.set_data(bytes.substr(offset, chunk));
      offset += request.data().size();
      request.set_last(offset >= bytes.size());
      auto call = Call(request.request_id());
      absl::Status status = app::AddClaimEvidence(app_, call, request, &evidence);
      if (!status.ok()) return status;
    } while (offset < bytes.size());
    return evidence;
  }

  absl::StatusOr<v1::Claim> Review(const std::string& claim_id, v1::ReviewAction action,
                                   v1::ClaimResolution resolution, const std::string& reason) {
    v1::ReviewClaimRequest request;
    request.set_request_id(absl::StrCat("review-", ++requests_));
    request.set_claim_id(claim_id);
    request.set_action(action);
    request.set_resolution(resolution);
    request.set_reason(reason);
    auto call = Call(request.request_id());
    call.principal.key_id = "agent-key";
    v1::Claim claim;
    absl::Status status = app::ReviewClaim(app_, call, request, &claim);
    if (!status.ok()) return status;
    return claim;
  }

  void Stock(const std::string& sku, int on_hand) {
    Scalar(absl::StrCat(
        "INSERT INTO inventory_levels (merchant_id, sku, on_hand, currency_code, "
        "unit_price_minor) VALUES ('",
        merchant_id_, "', '", sku, "', ", on_hand,
        ", 'EUR', 2500) ON CONFLICT (merchant_id, sku) DO UPDATE SET on_hand = ", on_hand,
        " RETURNING 1"));
  }

  static std::string Reason(const absl::Status& status) { return std::string(ReasonOf(status)); }

  int requests_ = 0;
};

}  // namespace returns::testing
