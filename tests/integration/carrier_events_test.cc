// RecordCarrierEvents: deduplication, late and shuffled events, unknown tracking numbers, and
// how the return follows its parcel; against a real PostgreSQL.
#include "orchestration_fixture.h"

namespace returns::testing {
namespace {

class CarrierEventsTest : public OrchestrationTest {
 protected:
  void SetUp() override {
    return_id_ = ApprovedReturn("1001");
    RunJobs();
    tracking_ = Scalar("SELECT tracking_number FROM shipments");
    ASSERT_FALSE(tracking_.empty());
  }

  v1::CarrierEvent Event(const std::string& id, v1::CarrierEventCode code, int64_t seconds,
                         const std::string& tracking = "") {
    v1::CarrierEvent event;
    event.set_carrier("flaky");
    event.set_tracking_number(tracking.empty() ? tracking_ : tracking);
    event.set_event_id(id);
    event.set_code(code);
    event.mutable_event_time()->set_seconds(1790000000 + seconds);
    event.set_location("Leipzig");
    return event;
  }

  std::vector<v1::CarrierEventOutcome> Record(const std::vector<v1::CarrierEvent>& events) {
    v1::RecordCarrierEventsRequest request;
    for (const auto& event : events) *request.add_events() = event;
    v1::RecordCarrierEventsResponse response;
    auto call = Call();
    absl::Status status = app::RecordCarrierEvents(app_, call, request, &response);
    EXPECT_TRUE(status.ok()) << status;
    std::vector<v1::CarrierEventOutcome> outcomes;
    for (const auto& result : response.results()) outcomes.push_back(result.outcome());
    return outcomes;
  }

  // ReceiveReturn of the return's only line in `condition`.
  v1::Return Receive(v1::ItemCondition condition, const std::string& request_id = "receive-1") {
    v1::ReceiveReturnRequest receive;
    receive.set_request_id(request_id);
    receive.set_return_id(return_id_);
    auto* item = receive.add_items();
    item->set_order_line_id("L1");
    item->set_condition(condition);
    v1::Return received;
    auto call = Call(request_id);
    absl::Status status = app::ReceiveReturn(app_, call, receive, &received);
    EXPECT_TRUE(status.ok()) << status;
    return received;
  }

  std::string return_id_;
  std::string tracking_;
};

using O = v1::CarrierEventOutcome;

TEST_F(CarrierEventsTest, AShuffledBatchWithDuplicatesAppliesInTheCarriersOrder) {
  auto outcomes = Record({Event("e3", v1::CARRIER_EVENT_CODE_DELIVERED, 300),
                          Event("e1", v1::CARRIER_EVENT_CODE_ACCEPTED, 100),
                          Event("e2", v1::CARRIER_EVENT_CODE_IN_TRANSIT, 200),
                          Event("e1", v1::CARRIER_EVENT_CODE_ACCEPTED, 100)});
  EXPECT_EQ(
      outcomes,
      (std::vector<O>{v1::CARRIER_EVENT_OUTCOME_APPLIED, v1::CARRIER_EVENT_OUTCOME_APPLIED,
                      v1::CARRIER_EVENT_OUTCOME_RECORDED, v1::CARRIER_EVENT_OUTCOME_DUPLICATE}));
  EXPECT_EQ(Scalar("SELECT state FROM shipments"), "DELIVERED");
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "DELIVERED");
  EXPECT_EQ(Count("carrier_events"), "3");
  // The return passed IN_TRANSIT on the way, once each.
  EXPECT_EQ(Count("timeline_events WHERE event_type = 'return.in_transit'"), "1");
  EXPECT_EQ(Count("timeline_events WHERE event_type = 'return.delivered'"), "1");
}

TEST_F(CarrierEventsTest, ALateEventNeverMovesAShipmentBackwards) {
  Record({Event("e1", v1::CARRIER_EVENT_CODE_ACCEPTED, 100),
          Event("e3", v1::CARRIER_EVENT_CODE_DELIVERED, 300)});
  auto late = Record({Event("e2", v1::CARRIER_EVENT_CODE_OUT_FOR_DELIVERY, 200)});
  EXPECT_EQ(late, (std::vector<O>{v1::CARRIER_EVENT_OUTCOME_RECORDED}));
  EXPECT_EQ(Scalar("SELECT state FROM shipments"), "DELIVERED");
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "DELIVERED");
  EXPECT_EQ(Scalar("SELECT epoch_us(last_event_time) / 1000000 FROM shipments"),
            std::to_string(1790000000 + 300));
}

TEST_F(CarrierEventsTest, AResentBatchChangesNothing) {
  const std::vector<v1::CarrierEvent> batch = {Event("e1", v1::CARRIER_EVENT_CODE_ACCEPTED, 100)};
  Record(batch);
  const std::string events = Count("timeline_events");
  EXPECT_EQ(Record(batch), (std::vector<O>{v1::CARRIER_EVENT_OUTCOME_DUPLICATE}));
  EXPECT_EQ(Count("timeline_events"), events);
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "IN_TRANSIT");
}

TEST_F(CarrierEventsTest, AnUnknownTrackingNumberIsReportedAndTheRestApplies) {
  auto outcomes = Record({Event("x1", v1::CARRIER_EVENT_CODE_ACCEPTED, 100, "SBX000000000000"),
                          Event("e1", v1::CARRIER_EVENT_CODE_ACCEPTED, 100)});
  EXPECT_EQ(outcomes, (std::vector<O>{v1::CARRIER_EVENT_OUTCOME_UNKNOWN_TRACKING_NUMBER,
                                      v1::CARRIER_EVENT_OUTCOME_APPLIED}));
  EXPECT_EQ(Scalar("SELECT state FROM shipments"), "IN_TRANSIT");
  // Nothing is kept for the unknown one: a resend after its shipment exists can still apply.
  EXPECT_EQ(Count("carrier_events WHERE event_id = 'x1'"), "0");
}

TEST_F(CarrierEventsTest, TheSameEventIdOfAnotherCarrierIsAnotherEvent) {
  // A replacement shipped with another carrier, whose event ids happen to collide.
  Scalar(
      "INSERT INTO shipments (merchant_id, order_id, direction, state, carrier, tracking_number) "
      "VALUES ('" +
      merchant_id_ + "', '1001', 'OUTBOUND', 'LABEL_CREATED', 'other', 'OTHER-1')");
  Record({Event("e1", v1::CARRIER_EVENT_CODE_ACCEPTED, 100)});
  v1::CarrierEvent other = Event("e1", v1::CARRIER_EVENT_CODE_ACCEPTED, 100, "OTHER-1");
  other.set_carrier("other");
  EXPECT_EQ(Record({other}), (std::vector<O>{v1::CARRIER_EVENT_OUTCOME_APPLIED}));
  EXPECT_EQ(Scalar("SELECT state FROM shipments WHERE carrier = 'other'"), "IN_TRANSIT");
  EXPECT_EQ(Count("carrier_events"), "2");
}

TEST_F(CarrierEventsTest, AnExceptionAsTheFirstReportStillMeansTheCarrierHasTheParcel) {
  EXPECT_EQ(Record({Event("x", v1::CARRIER_EVENT_CODE_EXCEPTION, 100)}),
            (std::vector<O>{v1::CARRIER_EVENT_OUTCOME_APPLIED}));
  EXPECT_EQ(Scalar("SELECT state FROM shipments"), "EXCEPTION");
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "IN_TRANSIT");
}

TEST_F(CarrierEventsTest, AScanAfterReceiptMovesNothingButTheParcel) {
  EXPECT_EQ(Receive(v1::ITEM_CONDITION_OK).state(), v1::RETURN_STATE_RESOLVED);
  EXPECT_EQ(Record({Event("late", v1::CARRIER_EVENT_CODE_ACCEPTED, 100)}),
            (std::vector<O>{v1::CARRIER_EVENT_OUTCOME_APPLIED}));
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "RESOLVED");
  EXPECT_EQ(Count("timeline_events WHERE event_type = 'return.in_transit'"), "0");
}

TEST_F(CarrierEventsTest, ReceiptAfterDeliveryResolvesTheRefundLessFeesOnce) {
  // The fees of the return's plan (as if created, before per-line fees were kept, under a policy
  // with them) are the ones paid; the policy's fees of the day do not matter any more.
  Scalar(
      "UPDATE returns SET plan_restocking_fee_minor = 300, plan_return_shipping_fee_minor = 450");
  Scalar("UPDATE return_lines SET plan_restocking_fee_minor = NULL RETURNING 1");
  Scalar("UPDATE policies SET restocking_fee_minor = 999, return_shipping_fee_minor = 999");
  Record({Event("e1", v1::CARRIER_EVENT_CODE_DELIVERED, 100)});
  const v1::Return resolved = Receive(v1::ITEM_CONDITION_OK);
  EXPECT_EQ(resolved.state(), v1::RETURN_STATE_RESOLVED);
  EXPECT_EQ(resolved.refund_total().amount_minor(), 2500 - 300 - 450);
  EXPECT_EQ(resolved.refund_total().currency_code(), "EUR");
  EXPECT_EQ(resolved.fees_total().amount_minor(), 750);
  EXPECT_EQ(resolved.lines(0).refund_amount().amount_minor(), 2200);
  EXPECT_TRUE(resolved.has_resolve_time());
  // The payment system's event, once, with the amount in its payload.
  EXPECT_EQ(Count("outbox_events WHERE type = 'return.refund_requested'"), "1");
  EXPECT_EQ(Scalar("SELECT payload->'refund_total'->>'amount_minor' FROM outbox_events "
                   "WHERE type = 'return.refund_requested'"),
            "1750");
  // A retry of the receipt answers the same and requests nothing more.
  EXPECT_EQ(Receive(v1::ITEM_CONDITION_OK).refund_total().amount_minor(), 1750);
  EXPECT_EQ(Count("outbox_events WHERE type = 'return.refund_requested'"), "1");
}

TEST_F(CarrierEventsTest, ADamagedItemWaitsForAnAgentWhoMayWithholdIt) {
  const v1::Return received = Receive(v1::ITEM_CONDITION_DAMAGED);
  EXPECT_EQ(received.state(), v1::RETURN_STATE_RECEIVED);
  EXPECT_EQ(Count("decisions WHERE kind = 'return_resolution' AND outcome = 'ESCALATED'"), "1");
  EXPECT_EQ(Count("outbox_events WHERE type = 'return.refund_requested'"), "0");

  v1::ResolveReturnRequest resolve;
  resolve.set_request_id("resolve-1");
  resolve.set_return_id(return_id_);
  resolve.add_withheld_order_line_ids("L1");
  resolve.set_note("sleeve torn by the customer");
  v1::Return resolved;
  auto call = Call("resolve-1");
  ASSERT_TRUE(app::ResolveReturn(app_, call, resolve, &resolved).ok());
  EXPECT_EQ(resolved.state(), v1::RETURN_STATE_RESOLVED);
  EXPECT_TRUE(resolved.lines(0).withheld());
  EXPECT_EQ(resolved.refund_total().amount_minor(), 0);
  EXPECT_EQ(Count("outbox_events WHERE type = 'return.refund_requested'"), "0");
  EXPECT_EQ(Count("decisions WHERE kind = 'return_resolution' AND outcome = 'APPROVED'"), "1");

  // A resolved return cannot be resolved again.
  resolve.set_request_id("resolve-2");
  call = Call("resolve-2");
  absl::Status again = app::ResolveReturn(app_, call, resolve, &resolved);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.message().find("RESOLVED"), std::string::npos);
}

}  // namespace
}  // namespace returns::testing
