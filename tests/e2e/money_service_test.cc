// Money as paid end to end (docs/money.md): what an order's lines paid after discounts and with
// tax, what a return refunds and to which tenders, and the refund's money movement
// (MoneyService) from REQUESTED to its outcome, and gift returns, over a real returnsd.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "google/protobuf/util/message_differencer.h"
#include "journey_fixture.h"
#include "returns/v1/money_service.grpc.pb.h"
#include "returns/v1/policy_service.grpc.pb.h"

namespace returns::testing {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::Money Usd(int64_t minor) {
  v1::Money money;
  money.set_currency_code("USD");
  money.set_amount_minor(minor);
  return money;
}

void AddTax(google::protobuf::RepeatedPtrField<v1::TaxLine>* taxes, int64_t minor) {
  v1::TaxLine* tax = taxes->Add();
  tax->set_title("Sales tax");
  tax->set_rate_ppm(82500);
  *tax->mutable_amount() = Usd(minor);
}

// Example A of docs/money.md (8.25 % sales tax added, a 20 % code the service allocates,
// shipping with its tax), paid with a card (listed first) and a gift card:
//   line  unit x qty  line_discount  w      share (largest remainder)  tax  paid
//   L1    1999 x 3    0              5997   1199                       396  5194
//   L2    3499 x 1    500            2999   600 (a cent of the rest)   198  2597
//   L3     899 x 2    0              1798   360 (a cent of the rest)   119  1557
// 2159 x w / 10794 floors to 1199 + 599 + 359 = 2157; the 2 cents left go to the largest
// remainders 9235 (L2) and 6836 (L3), not 5517 (L1). Shipping 799 + 66 = 865.
// Total 5194 + 2597 + 1557 + 865 = 10213 = card 8213 + gift card 2000.
constexpr int64_t kShippingPaid = 865;
constexpr int64_t kTotal = 10213;
constexpr int64_t kCard = 8213;
constexpr int64_t kGiftCard = 2000;

v1::UpsertOrderRequest PaidOrder(const std::string& order_id) {
  v1::UpsertOrderRequest request = SampleOrder(order_id);  // delivered 3 days ago
  v1::Order* order = request.mutable_order();
  order->set_currency_code("USD");
  order->set_tax_mode(v1::TAX_MODE_EXCLUSIVE);
  order->clear_lines();
  auto add_line = [&](const std::string& id, const std::string& sku, int64_t unit, int quantity,
                      int64_t discount, int64_t tax) {
    v1::OrderLine* line = order->add_lines();
    line->set_line_id(id);
    line->set_sku(sku);
    line->set_quantity(quantity);
    *line->mutable_unit_price() = Usd(unit);
    if (discount > 0) *line->mutable_line_discount() = Usd(discount);
    AddTax(line->mutable_tax_lines(), tax);
  };
  add_line("L1", "TEE-BLK-M", 1999, 3, 0, 396);
  add_line("L2", "JACKET-NVY-L", 3499, 1, 500, 198);
  add_line("L3", "SOCKS-3PK", 899, 2, 0, 119);
  *order->mutable_order_discount() = Usd(2159);
  order->add_discount_codes("SPRING20");
  *order->mutable_shipping() = Usd(799);
  AddTax(order->mutable_shipping_tax_lines(), 66);
  v1::Payment* card = order->add_payments();
  card->set_payment_id("pay-card");
  card->set_kind(v1::TENDER_KIND_CARD);
  card->set_reference("psp-charge-5521");
  *card->mutable_amount() = Usd(kCard);
  v1::Payment* gift = order->add_payments();
  gift->set_payment_id("pay-gift");
  gift->set_kind(v1::TENDER_KIND_GIFT_CARD);
  gift->set_reference("gift-card-77");
  *gift->mutable_amount() = Usd(kGiftCard);
  return request;
}

v1::CreateReturnRequest OneLineReturn(const std::string& order_id, const std::string& line_id,
                                      int quantity, v1::ReturnReason reason) {
  v1::CreateReturnRequest request = SampleReturn(order_id, line_id, quantity);
  request.mutable_lines(0)->set_reason(reason);
  return request;  // RESOLUTION_REFUND
}

class MoneyServiceTest : public JourneyTest {
 protected:
  std::unique_ptr<v1::MoneyService::Stub> Money(const client::ClientOptions& options) {
    return v1::MoneyService::NewStub(client::MakeChannel(At(options)));
  }

  v1::Order GetOrder(const std::string& order_id) {
    v1::GetOrderRequest request;
    request.set_order_id(order_id);
    v1::Order order;
    grpc::Status status = stubs_.orders->GetOrder(Context().get(), request, &order);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return order;
  }

  v1::Return GetReturn(const std::string& return_id) {
    v1::GetReturnRequest request;
    request.set_return_id(return_id);
    v1::Return ret;
    grpc::Status status = stubs_.returns->GetReturn(Context().get(), request, &ret);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return ret;
  }

  v1::CheckEligibilityResponse Eligibility(const std::string& order_id) {
    v1::CheckEligibilityRequest request;
    request.set_order_id(order_id);
    v1::CheckEligibilityResponse response;
    grpc::Status status = stubs_.returns->CheckEligibility(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return response;
  }

  std::vector<v1::MoneyMovement> Movements(
      const std::string& order_id,
      v1::MoneyMovementState state = v1::MONEY_MOVEMENT_STATE_UNSPECIFIED) {
    v1::ListMoneyMovementsRequest request;
    request.set_order_id(order_id);
    request.set_state(state);
    v1::ListMoneyMovementsResponse response;
    grpc::Status status = Money(options_)->ListMoneyMovements(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return {response.movements().begin(), response.movements().end()};
  }

  // The payment system's outcome, reported with the storefront's key.
  grpc::Status Report(const std::string& request_id, const std::string& movement_id,
                      v1::MoneyMovementState outcome, v1::MoneyMovement* out,
                      const std::string& failure_reason = "") {
    v1::ReportMoneyMovementOutcomeRequest request;
    request.set_request_id(request_id);
    request.set_movement_id(movement_id);
    request.set_outcome(outcome);
    if (outcome == v1::MONEY_MOVEMENT_STATE_SUCCEEDED) {
      request.set_external_reference("psp-refund-7730");
    }
    request.set_failure_reason(failure_reason);
    return Money(options_)->ReportMoneyMovementOutcome(Context().get(), request, out);
  }

  // The order's tender `payment_id` (a failure, and an empty one, when it has none).
  static v1::Payment PaymentOf(const v1::Order& order, const std::string& payment_id) {
    for (const v1::Payment& payment : order.payments()) {
      if (payment.payment_id() == payment_id) return payment;
    }
    ADD_FAILURE() << "order " << order.order_id() << " has no payment " << payment_id;
    return {};
  }

  static v1::LineEligibility LineOf(const v1::CheckEligibilityResponse& eligibility,
                                    const std::string& line_id) {
    for (const v1::LineEligibility& line : eligibility.lines()) {
      if (line.order_line_id() == line_id) return line;
    }
    ADD_FAILURE() << "no eligibility for line " << line_id;
    return {};
  }

  // `request` created and received with its line in good condition (so resolved, its refund
  // requested); the return as created.
  v1::Return CreateAndReceive(const v1::CreateReturnRequest& request) {
    v1::Return created;
    grpc::Status status = Create(request, &created);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    v1::Return received =
        Receive(created.return_id(), request.lines(0).order_line_id(), v1::ITEM_CONDITION_OK);
    EXPECT_EQ(received.state(), v1::RETURN_STATE_RESOLVED);
    return created;
  }
};

TEST_F(MoneyServiceTest, UpsertOrderComputesWhatEachLinePaid) {
  v1::Order upserted;
  grpc::Status status = Upsert(PaidOrder("5005"), &upserted);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_EQ(upserted.total().amount_minor(), kTotal);

  const v1::Order order = GetOrder("5005");
  EXPECT_EQ(order.tax_mode(), v1::TAX_MODE_EXCLUSIVE);
  ASSERT_EQ(order.lines_size(), 3);
  const int64_t shares[] = {1199, 600, 360};
  const int64_t paid[] = {5194, 2597, 1557};
  const int64_t tax[] = {396, 198, 119};
  for (int i = 0; i < 3; ++i) {
    const v1::OrderLine& line = order.lines(i);
    EXPECT_EQ(line.order_discount_share().amount_minor(), shares[i]) << line.line_id();
    EXPECT_EQ(line.paid_total().amount_minor(), paid[i]) << line.line_id();
    EXPECT_EQ(line.paid_total().currency_code(), "USD") << line.line_id();
    EXPECT_EQ(line.tax_total().amount_minor(), tax[i]) << line.line_id();
  }
  EXPECT_EQ(order.lines(1).line_discount().amount_minor(), 500);
  EXPECT_EQ(order.order_discount().amount_minor(), 2159);
  EXPECT_EQ(order.shipping().amount_minor(), 799);
  EXPECT_EQ(order.total().amount_minor(), kTotal);
  EXPECT_EQ(order.total().currency_code(), "USD");
  ASSERT_EQ(order.payments_size(), 2);
  EXPECT_EQ(order.payments(0).payment_id(), "pay-card");  // the order's payment order
  EXPECT_EQ(order.payments(1).payment_id(), "pay-gift");
  for (const v1::Payment& payment : order.payments()) {
    EXPECT_EQ(payment.refundable().amount_minor(), payment.amount().amount_minor())
        << payment.payment_id();
    EXPECT_EQ(payment.refunded().amount_minor(), 0) << payment.payment_id();
  }
  EXPECT_EQ(PaymentOf(order, "pay-card").amount().amount_minor(), kCard);
  EXPECT_EQ(PaymentOf(order, "pay-card").kind(), v1::TENDER_KIND_CARD);
  EXPECT_EQ(PaymentOf(order, "pay-card").reference(), "psp-charge-5521");
  EXPECT_EQ(PaymentOf(order, "pay-gift").amount().amount_minor(), kGiftCard);
  EXPECT_EQ(PaymentOf(order, "pay-gift").kind(), v1::TENDER_KIND_GIFT_CARD);
}

TEST_F(MoneyServiceTest, BadMoneyIsRefusedNamingTheFieldAndNothingIsStored) {
  auto refused = [&](const v1::UpsertOrderRequest& request, const std::string& field) {
    grpc::Status status = Upsert(request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << field << ": " << client::DescribeError(status);
    EXPECT_EQ(Field(status), field) << client::DescribeError(status);
  };
  v1::UpsertOrderRequest discount = PaidOrder("6006");  // L1 is 5997
  *discount.mutable_order()->mutable_lines(0)->mutable_line_discount() = Usd(5998);
  refused(discount, "order.lines[0].line_discount");

  v1::UpsertOrderRequest tax_on_nothing = PaidOrder("6006");  // L2 discounted to zero, taxed
  *tax_on_nothing.mutable_order()->mutable_lines(1)->mutable_line_discount() = Usd(3499);
  refused(tax_on_nothing, "order.lines[1].tax_lines[0].amount");

  v1::UpsertOrderRequest short_tenders = PaidOrder("6006");  // 8212 + 2000 = 10212, not 10213
  *short_tenders.mutable_order()->mutable_payments(0)->mutable_amount() = Usd(kCard - 1);
  refused(short_tenders, "order.payments");

  v1::UpsertOrderRequest unknown_kind = PaidOrder("6006");
  unknown_kind.mutable_order()->mutable_payments(0)->set_kind(static_cast<v1::TenderKind>(42));
  refused(unknown_kind, "order.payments[0].kind");

  v1::UpsertOrderRequest no_mode = PaidOrder("6006");  // tax lines, but no tax mode
  no_mode.mutable_order()->set_tax_mode(v1::TAX_MODE_UNSPECIFIED);
  refused(no_mode, "order.tax_mode");

  v1::GetOrderRequest get;
  get.set_order_id("6006");
  v1::Order order;
  EXPECT_EQ(stubs_.orders->GetOrder(Context().get(), get, &order).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(MoneyServiceTest, PreviewIsCreatedPlanOfWhatTheUnitsPaid) {
  ASSERT_TRUE(Upsert(PaidOrder("5005")).ok());
  const v1::CheckEligibilityResponse before = Eligibility("5005");
  EXPECT_EQ(before.shipping_refundable().amount_minor(), kShippingPaid);
  EXPECT_EQ(LineOf(before, "L1").returnable_paid().amount_minor(), 5194);
  EXPECT_EQ(LineOf(before, "L1").returnable_tax().amount_minor(), 396);

  // 1 of L1's 3 units, DAMAGED: floor(5194 / 3) = 1731 (tax floor(396 / 3) = 132), no fees by
  // default; DAMAGED refunds the shipping, 865. Refund 2596: the gift card first, all its 2000,
  // then the card 596.
  const v1::CreateReturnRequest request = OneLineReturn("5005", "L1", 1, v1::RETURN_REASON_DAMAGED);
  v1::PreviewReturnRequest preview;
  preview.set_order_id("5005");
  *preview.mutable_lines() = request.lines();
  v1::SettlementPlan plan;
  grpc::Status status = stubs_.returns->PreviewReturn(Context().get(), preview, &plan);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  ASSERT_EQ(plan.lines_size(), 1);
  EXPECT_EQ(plan.lines(0).paid().amount_minor(), 1731);
  EXPECT_EQ(plan.lines(0).tax().amount_minor(), 132);
  EXPECT_EQ(plan.lines(0).refund().amount_minor(), 1731);
  EXPECT_EQ(plan.lines(0).restocking_fee().amount_minor(), 0);
  EXPECT_EQ(plan.lines(0).unit_price().amount_minor(), 1999);
  EXPECT_EQ(plan.shipping_refund().amount_minor(), kShippingPaid);
  EXPECT_EQ(plan.refund_total().amount_minor(), 1731 + kShippingPaid);
  EXPECT_EQ(plan.refund_total().currency_code(), "USD");
  EXPECT_EQ(plan.store_credit_total().amount_minor(), 0);
  EXPECT_EQ(plan.fees_total().amount_minor(), 0);
  ASSERT_EQ(plan.refund_tenders_size(), 2);
  EXPECT_EQ(plan.refund_tenders(0).payment_id(), "pay-gift");
  EXPECT_EQ(plan.refund_tenders(0).kind(), v1::TENDER_KIND_GIFT_CARD);
  EXPECT_EQ(plan.refund_tenders(0).reference(), "gift-card-77");
  EXPECT_EQ(plan.refund_tenders(0).amount().amount_minor(), kGiftCard);
  EXPECT_EQ(plan.refund_tenders(1).payment_id(), "pay-card");
  EXPECT_EQ(plan.refund_tenders(1).kind(), v1::TENDER_KIND_CARD);
  EXPECT_EQ(plan.refund_tenders(1).reference(), "psp-charge-5521");
  EXPECT_EQ(plan.refund_tenders(1).amount().amount_minor(), 596);

  v1::Return created;
  status = Create(request, &created);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_TRUE(MessageDifferencer::Equals(created.plan(), plan))
      << "created: " << created.plan().DebugString() << "previewed: " << plan.DebugString();
  EXPECT_EQ(created.money_state(), v1::RETURN_MONEY_STATE_NOTHING_DUE);

  // L1 keeps 2 units, 5194 - 1731 = 3463 paid, 396 - 132 = 264 tax; the shipping is taken.
  const v1::CheckEligibilityResponse after = Eligibility("5005");
  EXPECT_EQ(LineOf(after, "L1").returnable_quantity(), 2);
  EXPECT_EQ(LineOf(after, "L1").returnable_paid().amount_minor(), 3463);
  EXPECT_EQ(LineOf(after, "L1").returnable_tax().amount_minor(), 264);
  EXPECT_EQ(LineOf(after, "L2").returnable_paid().amount_minor(), 2597);
  EXPECT_EQ(after.shipping_refundable().amount_minor(), 0);

  // A later DAMAGED return does not refund the shipping again.
  v1::PreviewReturnRequest later;
  later.set_order_id("5005");
  *later.mutable_lines() = OneLineReturn("5005", "L3", 2, v1::RETURN_REASON_DAMAGED).lines();
  v1::SettlementPlan later_plan;
  ASSERT_TRUE(stubs_.returns->PreviewReturn(Context().get(), later, &later_plan).ok());
  EXPECT_EQ(later_plan.shipping_refund().amount_minor(), 0);
  EXPECT_EQ(later_plan.refund_total().amount_minor(), 1557);
}

TEST_F(MoneyServiceTest, ReceivedReturnRequestsItsRefundAndThePaymentSystemSettlesIt) {
  ASSERT_TRUE(Upsert(PaidOrder("5005")).ok());
  const v1::Return created =
      CreateAndReceive(OneLineReturn("5005", "L1", 1, v1::RETURN_REASON_DAMAGED));
  const v1::SettlementPlan& plan = created.plan();
  ASSERT_EQ(plan.refund_total().amount_minor(), 2596);
  ASSERT_EQ(plan.refund_tenders_size(), 2);

  const std::vector<v1::MoneyMovement> movements = Movements("5005");
  ASSERT_EQ(movements.size(), 1u);
  const v1::MoneyMovement& refund = movements[0];
  const std::string id = refund.movement_id();
  EXPECT_EQ(refund.order_id(), "5005");
  EXPECT_EQ(refund.kind(), v1::MONEY_MOVEMENT_KIND_REFUND);
  EXPECT_EQ(refund.state(), v1::MONEY_MOVEMENT_STATE_REQUESTED);
  EXPECT_TRUE(MessageDifferencer::Equals(refund.amount(), plan.refund_total()))
      << refund.amount().DebugString();
  ASSERT_EQ(refund.tenders_size(), plan.refund_tenders_size());
  for (int i = 0; i < refund.tenders_size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(refund.tenders(i), plan.refund_tenders(i)))
        << i << ": " << refund.tenders(i).DebugString();
  }
  EXPECT_EQ(refund.subject(), "returns/" + created.return_id());
  EXPECT_EQ(refund.attempt(), 1);
  EXPECT_EQ(refund.idempotency_key(), id + ":1");
  EXPECT_FALSE(refund.has_outcome_time());
  EXPECT_EQ(Movements("5005", v1::MONEY_MOVEMENT_STATE_REQUESTED).size(), 1u);
  EXPECT_EQ(Movements("5005", v1::MONEY_MOVEMENT_STATE_SUCCEEDED).size(), 0u);
  v1::GetMoneyMovementRequest get;
  get.set_movement_id(id);
  v1::MoneyMovement read;
  ASSERT_TRUE(Money(options_)->GetMoneyMovement(Context().get(), get, &read).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(read, refund)) << read.DebugString();

  EXPECT_EQ(GetReturn(created.return_id()).money_state(), v1::RETURN_MONEY_STATE_REQUESTED);
  v1::Order order = GetOrder("5005");
  EXPECT_EQ(PaymentOf(order, "pay-gift").refunded().amount_minor(), kGiftCard);
  EXPECT_EQ(PaymentOf(order, "pay-gift").refundable().amount_minor(), 0);
  EXPECT_EQ(PaymentOf(order, "pay-card").refunded().amount_minor(), 596);
  EXPECT_EQ(PaymentOf(order, "pay-card").refundable().amount_minor(), kCard - 596);

  v1::MoneyMovement succeeded;
  grpc::Status status = Report("outcome-1", id, v1::MONEY_MOVEMENT_STATE_SUCCEEDED, &succeeded);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_EQ(succeeded.state(), v1::MONEY_MOVEMENT_STATE_SUCCEEDED);
  EXPECT_EQ(succeeded.external_reference(), "psp-refund-7730");
  EXPECT_TRUE(succeeded.has_outcome_time());
  EXPECT_EQ(succeeded.attempt(), 1);
  EXPECT_EQ(GetReturn(created.return_id()).money_state(), v1::RETURN_MONEY_STATE_SETTLED);

  // The same outcome again (another request): the movement as it is.
  v1::MoneyMovement again;
  status = Report("outcome-2", id, v1::MONEY_MOVEMENT_STATE_SUCCEEDED, &again);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_TRUE(MessageDifferencer::Equals(again, succeeded)) << again.DebugString();

  // Another outcome for a movement that has one.
  v1::MoneyMovement refused;
  status = Report("outcome-3", id, v1::MONEY_MOVEMENT_STATE_FAILED, &refused, "too late");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << client::DescribeError(status);
  EXPECT_EQ(client::ParseErrorDetails(status).metadata["state"], "SUCCEEDED");
  ASSERT_TRUE(Money(options_)->GetMoneyMovement(Context().get(), get, &read).ok());
  EXPECT_EQ(read.state(), v1::MONEY_MOVEMENT_STATE_SUCCEEDED);
  order = GetOrder("5005");
  EXPECT_EQ(PaymentOf(order, "pay-gift").refundable().amount_minor(), 0);
  EXPECT_EQ(PaymentOf(order, "pay-card").refundable().amount_minor(), kCard - 596);

  const std::vector<v1::TimelineEvent> timeline = Timeline("5005");
  const std::vector<std::string> types = Types(timeline);
  EXPECT_EQ(CountOf(types, "money_movement.requested"), 1);
  EXPECT_EQ(CountOf(types, "money_movement.succeeded"), 1);  // not again for the repeat
  EXPECT_EQ(CountOf(types, "money_movement.failed"), 0);
  EXPECT_TRUE(
      InOrder({"return.resolved", "money_movement.requested", "money_movement.succeeded"}, types));
  for (const v1::TimelineEvent& event : timeline) {
    if (absl::StartsWith(event.event_type(), "money_movement.")) {
      EXPECT_EQ(event.resource_type(), "money_movement");
      EXPECT_EQ(event.resource_id(), id);
    }
  }
}

TEST_F(MoneyServiceTest, FailedRefundGoesToAPersonWhoRetriesThenCancelsIt) {
  ASSERT_TRUE(Upsert(PaidOrder("7007")).ok());
  // L2, CHANGED_MIND: its 2597, no shipping; the gift card's 2000, then the card 597.
  const v1::Return created =
      CreateAndReceive(OneLineReturn("7007", "L2", 1, v1::RETURN_REASON_CHANGED_MIND));
  EXPECT_EQ(created.plan().refund_total().amount_minor(), 2597);
  EXPECT_EQ(created.plan().shipping_refund().amount_minor(), 0);
  const std::vector<v1::MoneyMovement> movements = Movements("7007");
  ASSERT_EQ(movements.size(), 1u);
  const std::string id = movements[0].movement_id();
  EXPECT_EQ(movements[0].amount().amount_minor(), 2597);
  ASSERT_EQ(movements[0].tenders_size(), 2);
  EXPECT_EQ(movements[0].tenders(0).amount().amount_minor(), kGiftCard);
  EXPECT_EQ(movements[0].tenders(1).amount().amount_minor(), 597);

  v1::MoneyMovement failed;
  grpc::Status status =
      Report("outcome-1", id, v1::MONEY_MOVEMENT_STATE_FAILED, &failed, "card expired");
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_EQ(failed.state(), v1::MONEY_MOVEMENT_STATE_FAILED);
  EXPECT_EQ(failed.failure_reason(), "card expired");
  EXPECT_TRUE(failed.has_outcome_time());
  EXPECT_EQ(GetReturn(created.return_id()).money_state(), v1::RETURN_MONEY_STATE_FAILED);

  auto admin = v1::AdminService::NewStub(client::MakeChannel(At(support_)));
  v1::ListDecisionsRequest by_kind;
  by_kind.set_kind("money_movement_failure");
  v1::ListDecisionsResponse decisions;
  status = admin->ListDecisions(client::MakeContext(At(support_)).get(), by_kind, &decisions);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  ASSERT_EQ(decisions.decisions_size(), 1);
  EXPECT_EQ(decisions.decisions(0).kind(), "money_movement_failure");
  EXPECT_EQ(decisions.decisions(0).subject(), "money_movements/" + id);
  EXPECT_EQ(decisions.decisions(0).outcome(), v1::DECISION_OUTCOME_ESCALATED);
  EXPECT_EQ(decisions.decisions(0).override_outcome(), v1::DECISION_OUTCOME_UNSPECIFIED);

  // Support asks again: attempt 2, a new key.
  v1::RetryMoneyMovementRequest retry;
  retry.set_request_id("retry-1");
  retry.set_movement_id(id);
  retry.set_reason("the customer updated the card");
  v1::MoneyMovement retried;
  status =
      Money(support_)->RetryMoneyMovement(client::MakeContext(At(support_)).get(), retry, &retried);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_EQ(retried.state(), v1::MONEY_MOVEMENT_STATE_REQUESTED);
  EXPECT_EQ(retried.attempt(), 2);
  EXPECT_TRUE(absl::EndsWith(retried.idempotency_key(), ":2")) << retried.idempotency_key();
  EXPECT_EQ(retried.idempotency_key(), id + ":2");
  EXPECT_FALSE(retried.has_outcome_time());
  EXPECT_EQ(GetReturn(created.return_id()).money_state(), v1::RETURN_MONEY_STATE_REQUESTED);
  decisions.Clear();
  ASSERT_TRUE(
      admin->ListDecisions(client::MakeContext(At(support_)).get(), by_kind, &decisions).ok());
  ASSERT_EQ(decisions.decisions_size(), 1);
  EXPECT_EQ(decisions.decisions(0).override_outcome(), v1::DECISION_OUTCOME_APPROVED);
  v1::Order order = GetOrder("7007");  // the refund still holds its tenders
  EXPECT_EQ(PaymentOf(order, "pay-gift").refundable().amount_minor(), 0);
  EXPECT_EQ(PaymentOf(order, "pay-card").refundable().amount_minor(), kCard - 597);

  // Support gives it up: the tenders are refundable again.
  v1::CancelMoneyMovementRequest cancel;
  cancel.set_request_id("cancel-1");
  cancel.set_movement_id(id);
  cancel.set_reason("refunded by hand at the till");
  v1::MoneyMovement cancelled;
  status = Money(support_)->CancelMoneyMovement(client::MakeContext(At(support_)).get(), cancel,
                                                &cancelled);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_EQ(cancelled.state(), v1::MONEY_MOVEMENT_STATE_CANCELLED);
  order = GetOrder("7007");
  EXPECT_EQ(PaymentOf(order, "pay-gift").refunded().amount_minor(), 0);
  EXPECT_EQ(PaymentOf(order, "pay-gift").refundable().amount_minor(), kGiftCard);
  EXPECT_EQ(PaymentOf(order, "pay-card").refunded().amount_minor(), 0);
  EXPECT_EQ(PaymentOf(order, "pay-card").refundable().amount_minor(), kCard);

  // A cancelled movement never changes.
  retry.set_request_id("retry-2");
  status =
      Money(support_)->RetryMoneyMovement(client::MakeContext(At(support_)).get(), retry, &retried);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << client::DescribeError(status);
  EXPECT_EQ(client::ParseErrorDetails(status).metadata["state"], "CANCELLED");

  const std::vector<std::string> types = Types(Timeline("7007"));
  EXPECT_TRUE(InOrder({"money_movement.requested", "money_movement.failed",
                       "money_movement.retried", "money_movement.cancelled"},
                      types));
  EXPECT_EQ(CountOf(types, "money_movement.failed"), 1);
  EXPECT_EQ(CountOf(types, "money_movement.retried"), 1);
  EXPECT_EQ(CountOf(types, "money_movement.cancelled"), 1);
}

TEST_F(MoneyServiceTest, RolesAndUnknownIds) {
  const std::string unknown = "5f0c3a52-8e8b-4a8e-9d7e-3f2b2d0c1a11";
  v1::ListMoneyMovementsResponse listed;
  grpc::Status status =
      Money(carrier_)->ListMoneyMovements(client::MakeContext(At(carrier_)).get(), {}, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << client::DescribeError(status);
  status =
      Money(support_)->ListMoneyMovements(client::MakeContext(At(support_)).get(), {}, &listed);
  EXPECT_TRUE(status.ok()) << client::DescribeError(status);

  v1::MoneyMovement movement;
  v1::RetryMoneyMovementRequest retry;
  retry.set_request_id("retry-by-storefront");
  retry.set_movement_id(unknown);
  status = Money(options_)->RetryMoneyMovement(Context().get(), retry, &movement);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << client::DescribeError(status);
  v1::CancelMoneyMovementRequest cancel;
  cancel.set_request_id("cancel-by-storefront");
  cancel.set_movement_id(unknown);
  cancel.set_reason("not mine to cancel");
  status = Money(options_)->CancelMoneyMovement(Context().get(), cancel, &movement);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << client::DescribeError(status);
  v1::ReportMoneyMovementOutcomeRequest report;
  report.set_request_id("report-by-support");
  report.set_movement_id(unknown);
  report.set_outcome(v1::MONEY_MOVEMENT_STATE_SUCCEEDED);
  status = Money(support_)->ReportMoneyMovementOutcome(client::MakeContext(At(support_)).get(),
                                                       report, &movement);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << client::DescribeError(status);

  // Allowed roles, unknown ids.
  status = Money(support_)->RetryMoneyMovement(client::MakeContext(At(support_)).get(), retry,
                                               &movement);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << client::DescribeError(status);
  v1::GetMoneyMovementRequest get;
  get.set_movement_id(unknown);
  status = Money(options_)->GetMoneyMovement(Context().get(), get, &movement);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << client::DescribeError(status);
  get.set_movement_id("not-a-uuid");
  status = Money(options_)->GetMoneyMovement(Context().get(), get, &movement);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(status), "movement_id");
}

// Gift returns (docs/money.md, "Gift returns"): the order of Example A shipped to "SW1A 1AA"
// with a gift code; its recipient proves the gift with either and gets store credit.
constexpr char kGiftCode[] = "GIFT-1234";
constexpr char kRecipientName[] = "Grace Hopper";
constexpr char kRecipientEmail[] = "grace.hopper@recipient.example";

v1::UpsertOrderRequest GiftOrder(const std::string& order_id) {
  v1::UpsertOrderRequest request = PaidOrder(order_id);
  request.mutable_order()->mutable_shipping_address()->set_postal_code("SW1A 1AA");
  request.mutable_order()->set_gift_code(kGiftCode);
  return request;
}

v1::GiftReturn Gift(const std::string& postal_code, const std::string& gift_code = "") {
  v1::GiftReturn gift;
  gift.set_shipping_postal_code(postal_code);
  gift.set_gift_code(gift_code);
  gift.mutable_recipient()->set_name(kRecipientName);
  gift.mutable_recipient()->set_email(kRecipientEmail);
  return gift;
}

// One unit of L2 (its 2597, CHANGED_MIND: no shipping refund) as a gift, with `resolution`.
v1::CreateReturnRequest GiftReturnOfL2(const std::string& order_id, v1::Resolution resolution) {
  v1::CreateReturnRequest request =
      OneLineReturn(order_id, "L2", 1, v1::RETURN_REASON_CHANGED_MIND);
  request.mutable_lines(0)->set_resolution(resolution);
  *request.mutable_gift() = Gift("sw1a1aa");
  return request;
}

class GiftReturnTest : public MoneyServiceTest {
 protected:
  grpc::Status Eligibility(const std::string& order_id, const v1::GiftReturn& gift,
                           v1::CheckEligibilityResponse* response) {
    v1::CheckEligibilityRequest request;
    request.set_order_id(order_id);
    *request.mutable_gift() = gift;
    return stubs_.returns->CheckEligibility(Context().get(), request, response);
  }

  grpc::Status Preview(const v1::CreateReturnRequest& as_created, v1::SettlementPlan* plan) {
    v1::PreviewReturnRequest request;
    request.set_order_id(as_created.order_id());
    *request.mutable_lines() = as_created.lines();
    if (as_created.has_gift()) *request.mutable_gift() = as_created.gift();
    return stubs_.returns->PreviewReturn(Context().get(), request, plan);
  }

  static bool Allows(const v1::LineEligibility& line, v1::Resolution resolution) {
    for (int r : line.allowed_resolutions()) {
      if (r == resolution) return true;
    }
    return false;
  }

  void RefundGiftsToTheBuyer() {
    client::ClientOptions admin = options_;
    admin.api_key = admin_key_;
    v1::UpdatePolicyRequest update;
    update.set_request_id("gift-refund-to-buyer");
    update.mutable_policy()->set_gift_refund_to_buyer(true);
    update.mutable_update_mask()->add_paths("gift_refund_to_buyer");
    v1::Policy policy;
    grpc::Status status = v1::PolicyService::NewStub(client::MakeChannel(At(admin)))
                              ->UpdatePolicy(client::MakeContext(At(admin)).get(), update, &policy);
    ASSERT_TRUE(status.ok()) << client::DescribeError(status);
    EXPECT_TRUE(policy.gift_refund_to_buyer());
  }
};

TEST_F(GiftReturnTest, TheGiftCodeIsKeptButNeverShown) {
  v1::Order upserted;
  grpc::Status status = Upsert(GiftOrder("5005"), &upserted);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_TRUE(upserted.has_gift_code());
  EXPECT_EQ(upserted.gift_code(), "");

  v1::Order order = GetOrder("5005");
  EXPECT_TRUE(order.has_gift_code());
  EXPECT_EQ(order.gift_code(), "");

  // A re-sync without the code keeps it, unchanged or changed.
  v1::UpsertOrderRequest again = GiftOrder("5005");
  again.mutable_order()->clear_gift_code();
  status = Upsert(again, &upserted);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_TRUE(upserted.has_gift_code());
  v1::UpsertOrderRequest changed = again;
  changed.set_request_id(client::NewRequestId());
  changed.mutable_order()->set_customer_email("ada.lovelace@example.com");
  status = Upsert(changed, &upserted);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_EQ(upserted.customer_email(), "ada.lovelace@example.com");
  EXPECT_TRUE(upserted.has_gift_code());
  order = GetOrder("5005");
  EXPECT_TRUE(order.has_gift_code());
  EXPECT_EQ(order.gift_code(), "");

  // The code still proves the gift.
  v1::CheckEligibilityResponse eligibility;
  status = Eligibility("5005", Gift("", kGiftCode), &eligibility);
  EXPECT_TRUE(status.ok()) << client::DescribeError(status);

  // An order synced without one has none.
  ASSERT_TRUE(Upsert(PaidOrder("6006")).ok());
  EXPECT_FALSE(GetOrder("6006").has_gift_code());
}

TEST_F(GiftReturnTest, EligibilityOfAGiftNeedsAProofAndOffersNoRefund) {
  ASSERT_TRUE(Upsert(GiftOrder("5005")).ok());
  // The buyer is offered a refund.
  const v1::CheckEligibilityResponse as_buyer = MoneyServiceTest::Eligibility("5005");
  for (const v1::LineEligibility& line : as_buyer.lines()) {
    EXPECT_TRUE(Allows(line, v1::RESOLUTION_REFUND)) << line.order_line_id();
  }

  // The postal code in another case and spacing proves the gift: no refund offered.
  v1::CheckEligibilityResponse by_postal_code;
  grpc::Status status = Eligibility("5005", Gift("  sw1a 1aa"), &by_postal_code);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  ASSERT_EQ(by_postal_code.lines_size(), 3);
  for (const v1::LineEligibility& line : by_postal_code.lines()) {
    EXPECT_TRUE(line.eligible()) << line.order_line_id();
    EXPECT_FALSE(Allows(line, v1::RESOLUTION_REFUND)) << line.order_line_id();
    EXPECT_TRUE(Allows(line, v1::RESOLUTION_STORE_CREDIT)) << line.order_line_id();
    EXPECT_TRUE(Allows(line, v1::RESOLUTION_EXCHANGE)) << line.order_line_id();
  }
  EXPECT_EQ(LineOf(by_postal_code, "L2").returnable_paid().amount_minor(), 2597);

  // A wrong postal code (and no gift code) answers as an unknown order would.
  v1::CheckEligibilityResponse wrong;
  status = Eligibility("5005", Gift("SW1A 2AA"), &wrong);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << client::DescribeError(status);
  v1::CheckEligibilityResponse unknown;
  grpc::Status unknown_status = Eligibility("9999", Gift("SW1A 1AA"), &unknown);
  EXPECT_EQ(unknown_status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Reason(status), Reason(unknown_status));
  // A wrong gift code alone either.
  status = Eligibility("5005", Gift("", "GIFT-9999"), &wrong);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << client::DescribeError(status);

  // The right gift code proves it.
  v1::CheckEligibilityResponse by_code;
  status = Eligibility("5005", Gift("", kGiftCode), &by_code);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  ASSERT_EQ(by_code.lines_size(), 3);
  for (const v1::LineEligibility& line : by_code.lines()) {
    EXPECT_FALSE(Allows(line, v1::RESOLUTION_REFUND)) << line.order_line_id();
    EXPECT_TRUE(Allows(line, v1::RESOLUTION_STORE_CREDIT)) << line.order_line_id();
  }
}

TEST_F(GiftReturnTest, AGiftGoesBackAsStoreCreditToItsRecipient) {
  ASSERT_TRUE(Upsert(GiftOrder("5005")).ok());

  // A REFUND line is refused: the policy does not refund gifts to the buyer.
  v1::CreateReturnRequest refund = GiftReturnOfL2("5005", v1::RESOLUTION_REFUND);
  grpc::Status status = Create(refund);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << client::DescribeError(status);
  EXPECT_EQ(Reason(status), "GIFT_RETURN_NOT_REFUNDED");
  EXPECT_EQ(client::ParseErrorDetails(status).metadata["field"], "lines[0].resolution");
  v1::SettlementPlan refused_plan;
  status = Preview(refund, &refused_plan);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << client::DescribeError(status);
  EXPECT_EQ(Reason(status), "GIFT_RETURN_NOT_REFUNDED");
  // A wrong proof is an unknown order, whatever the lines.
  v1::CreateReturnRequest wrong_proof = GiftReturnOfL2("5005", v1::RESOLUTION_STORE_CREDIT);
  *wrong_proof.mutable_gift() = Gift("EC1A 1BB");
  status = Create(wrong_proof);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << client::DescribeError(status);
  v1::ListReturnsRequest list;
  list.set_order_id("5005");
  v1::ListReturnsResponse listed;
  ASSERT_TRUE(stubs_.returns->ListReturns(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.returns_size(), 0);

  // STORE_CREDIT: its 2597 as credit, nothing refunded, no tenders.
  const v1::CreateReturnRequest credit = GiftReturnOfL2("5005", v1::RESOLUTION_STORE_CREDIT);
  v1::SettlementPlan previewed;
  status = Preview(credit, &previewed);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  ASSERT_EQ(previewed.lines_size(), 1);
  EXPECT_EQ(previewed.lines(0).resolution(), v1::RESOLUTION_STORE_CREDIT);
  EXPECT_EQ(previewed.lines(0).paid().amount_minor(), 2597);
  EXPECT_EQ(previewed.lines(0).store_credit().amount_minor(), 2597);
  EXPECT_EQ(previewed.store_credit_total().amount_minor(), 2597);
  EXPECT_EQ(previewed.refund_total().amount_minor(), 0);
  EXPECT_EQ(previewed.refund_tenders_size(), 0);

  const v1::Return created = CreateAndReceive(credit);
  EXPECT_TRUE(MessageDifferencer::Equals(created.plan(), previewed))
      << "created: " << created.plan().DebugString() << "previewed: " << previewed.DebugString();
  EXPECT_EQ(created.gift_recipient().name(), kRecipientName);
  EXPECT_EQ(created.gift_recipient().email(), kRecipientEmail);
  const v1::Return read = GetReturn(created.return_id());
  ASSERT_TRUE(read.has_gift_recipient());
  EXPECT_EQ(read.gift_recipient().name(), kRecipientName);
  EXPECT_EQ(read.gift_recipient().email(), kRecipientEmail);
  EXPECT_EQ(read.state(), v1::RETURN_STATE_RESOLVED);
  EXPECT_EQ(read.money_state(), v1::RETURN_MONEY_STATE_REQUESTED);

  // One STORE_CREDIT movement, to the recipient; no refund.
  const std::vector<v1::MoneyMovement> movements = Movements("5005");
  ASSERT_EQ(movements.size(), 1u);
  const v1::MoneyMovement& movement = movements[0];
  EXPECT_EQ(movement.kind(), v1::MONEY_MOVEMENT_KIND_STORE_CREDIT);
  EXPECT_EQ(movement.state(), v1::MONEY_MOVEMENT_STATE_REQUESTED);
  EXPECT_EQ(movement.amount().amount_minor(), 2597);
  EXPECT_EQ(movement.amount().currency_code(), "USD");
  EXPECT_EQ(movement.tenders_size(), 0);
  EXPECT_EQ(movement.subject(), "returns/" + created.return_id());
  ASSERT_TRUE(movement.has_recipient());
  EXPECT_EQ(movement.recipient().name(), kRecipientName);
  EXPECT_EQ(movement.recipient().email(), kRecipientEmail);
  for (const v1::MoneyMovement& m : movements) {
    EXPECT_NE(m.kind(), v1::MONEY_MOVEMENT_KIND_REFUND) << m.DebugString();
  }
  v1::GetMoneyMovementRequest get;
  get.set_movement_id(movement.movement_id());
  v1::MoneyMovement got;
  ASSERT_TRUE(Money(options_)->GetMoneyMovement(Context().get(), get, &got).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(got.recipient(), movement.recipient()))
      << got.DebugString();

  // The buyer's tenders are untouched.
  const v1::Order order = GetOrder("5005");
  for (const v1::Payment& payment : order.payments()) {
    EXPECT_EQ(payment.refunded().amount_minor(), 0) << payment.payment_id();
    EXPECT_EQ(payment.refundable().amount_minor(), payment.amount().amount_minor())
        << payment.payment_id();
  }

  // A return of the buyer's own carries no recipient.
  const v1::Return buyers =
      CreateAndReceive(OneLineReturn("5005", "L3", 1, v1::RETURN_REASON_CHANGED_MIND));
  EXPECT_FALSE(GetReturn(buyers.return_id()).has_gift_recipient());
}

TEST_F(GiftReturnTest, APolicyThatRefundsGiftsToTheBuyerAcceptsARefundLine) {
  ASSERT_TRUE(Upsert(GiftOrder("5005")).ok());
  RefundGiftsToTheBuyer();

  v1::CheckEligibilityResponse eligibility;
  grpc::Status status = Eligibility("5005", Gift("SW1A 1AA"), &eligibility);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_TRUE(Allows(LineOf(eligibility, "L2"), v1::RESOLUTION_REFUND));

  // L2's 2597 to the buyer's tenders: the gift card's 2000, then the card 597.
  const v1::CreateReturnRequest request = GiftReturnOfL2("5005", v1::RESOLUTION_REFUND);
  v1::SettlementPlan previewed;
  status = Preview(request, &previewed);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  const v1::Return created = CreateAndReceive(request);
  EXPECT_TRUE(MessageDifferencer::Equals(created.plan(), previewed))
      << "created: " << created.plan().DebugString() << "previewed: " << previewed.DebugString();
  EXPECT_EQ(created.plan().refund_total().amount_minor(), 2597);
  ASSERT_EQ(created.plan().refund_tenders_size(), 2);
  EXPECT_EQ(created.plan().refund_tenders(0).payment_id(), "pay-gift");
  EXPECT_EQ(created.plan().refund_tenders(0).amount().amount_minor(), kGiftCard);
  EXPECT_EQ(created.plan().refund_tenders(1).payment_id(), "pay-card");
  EXPECT_EQ(created.plan().refund_tenders(1).amount().amount_minor(), 597);
  EXPECT_EQ(GetReturn(created.return_id()).gift_recipient().email(), kRecipientEmail);

  const std::vector<v1::MoneyMovement> movements = Movements("5005");
  ASSERT_EQ(movements.size(), 1u);
  EXPECT_EQ(movements[0].kind(), v1::MONEY_MOVEMENT_KIND_REFUND);
  EXPECT_EQ(movements[0].amount().amount_minor(), 2597);
  ASSERT_EQ(movements[0].tenders_size(), 2);
  EXPECT_EQ(movements[0].tenders(0).payment_id(), "pay-gift");
  EXPECT_EQ(movements[0].tenders(1).payment_id(), "pay-card");
  EXPECT_FALSE(movements[0].has_recipient());  // the buyer's money goes back to the buyer
  const v1::Order order = GetOrder("5005");
  EXPECT_EQ(PaymentOf(order, "pay-gift").refunded().amount_minor(), kGiftCard);
  EXPECT_EQ(PaymentOf(order, "pay-card").refunded().amount_minor(), 597);
}

TEST_F(GiftReturnTest, BadGiftsAreRefusedNamingTheField) {
  ASSERT_TRUE(Upsert(GiftOrder("5005")).ok());
  v1::GiftReturn no_proof = Gift("");
  v1::GiftReturn no_recipient = Gift("SW1A 1AA");
  no_recipient.clear_recipient();
  v1::GiftReturn bad_email = Gift("SW1A 1AA");
  bad_email.mutable_recipient()->set_email("grace.hopper.example");
  const std::pair<v1::GiftReturn, std::string> cases[] = {
      {no_proof, "gift"}, {no_recipient, "gift.recipient"}, {bad_email, "gift.recipient.email"}};
  for (const auto& [gift, field] : cases) {
    v1::CreateReturnRequest create = GiftReturnOfL2("5005", v1::RESOLUTION_STORE_CREDIT);
    *create.mutable_gift() = gift;
    grpc::Status status = Create(create);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << field << ": " << client::DescribeError(status);
    EXPECT_EQ(Field(status), field) << client::DescribeError(status);

    v1::SettlementPlan plan;
    status = Preview(create, &plan);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << field << ": " << client::DescribeError(status);
    EXPECT_EQ(Field(status), field) << client::DescribeError(status);

    v1::CheckEligibilityResponse eligibility;
    status = Eligibility("5005", gift, &eligibility);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << field << ": " << client::DescribeError(status);
    EXPECT_EQ(Field(status), field) << client::DescribeError(status);
  }
  v1::ListReturnsRequest list;
  list.set_order_id("5005");
  v1::ListReturnsResponse listed;
  ASSERT_TRUE(stubs_.returns->ListReturns(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.returns_size(), 0);
}

TEST_F(GiftReturnTest, LogsNeverHoldTheRecipientOrTheGiftCode) {
  ASSERT_TRUE(Upsert(GiftOrder("5005")).ok());
  v1::CheckEligibilityResponse eligibility;
  ASSERT_TRUE(Eligibility("5005", Gift("sw1a 1aa", kGiftCode), &eligibility).ok());
  const v1::CreateReturnRequest request = GiftReturnOfL2("5005", v1::RESOLUTION_STORE_CREDIT);
  v1::SettlementPlan plan;
  ASSERT_TRUE(Preview(request, &plan).ok());
  ASSERT_EQ(Create(GiftReturnOfL2("5005", v1::RESOLUTION_REFUND)).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::CreateReturnRequest bad_email = request;
  bad_email.set_request_id(client::NewRequestId());
  bad_email.mutable_gift()->mutable_recipient()->set_email("grace hopper@recipient.example");
  ASSERT_EQ(Create(bad_email).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const v1::Return created = CreateAndReceive(request);
  ASSERT_EQ(GetReturn(created.return_id()).gift_recipient().email(), kRecipientEmail);
  const std::vector<v1::MoneyMovement> movements = Movements("5005");
  ASSERT_EQ(movements.size(), 1u);
  v1::MoneyMovement succeeded;
  ASSERT_TRUE(Report("credit-issued", movements[0].movement_id(),
                     v1::MONEY_MOVEMENT_STATE_SUCCEEDED, &succeeded)
                  .ok());
  ASSERT_EQ(server_->Terminate(), 0);

  const std::string logs = server_->logs();
  ASSERT_NE(logs.find(request.request_id()), std::string::npos);  // the logs are there
  for (const std::string& secret :
       {std::string(kRecipientEmail), std::string("grace hopper@recipient.example"),
        std::string(kRecipientName), std::string(kGiftCode)}) {
    EXPECT_EQ(logs.find(secret), std::string::npos) << "found in logs: " << secret;
  }
}

}  // namespace
}  // namespace returns::testing
