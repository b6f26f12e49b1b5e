// Money under real concurrency (docs/money.md): two returnsd processes on one database and many
// clients at once reporting one refund's outcome, replaying one report, returning the units of
// one line and receiving those returns. One outcome wins, and no cent is refunded twice or lost.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "google/protobuf/util/message_differencer.h"
#include "journey_fixture.h"
#include "returns/v1/money_service.grpc.pb.h"

namespace returns::testing {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::Money Usd(int64_t minor) {
  v1::Money money;
  money.set_currency_code("USD");
  money.set_amount_minor(minor);
  return money;
}

// Order "M1": 8.25 % sales tax added (rounded per line), a 15 % code of 2174 the service
// allocates by largest remainder over w = 9495 + 4999 = 14494:
//   line  unit x qty  line_discount  w     share                             net   tax  paid
//   L1    1999 x 5    500            9495  1424 (remainder 2674)             8071  666  8737
//   L2    4999 x 1    0              4999  749 + the cent (remainder 11820)  4249  351  4600
// Shipping 799 + 66 = 865. Total 8737 + 4600 + 865 = 14202 = card 9202 (listed first) + gift
// card 5000; the default refund order takes the gift card first.
constexpr int64_t kL1Paid = 8737;
constexpr int64_t kL1Tax = 666;
constexpr int64_t kShippingPaid = 865;
constexpr int64_t kTotal = 14202;
constexpr int64_t kCard = 9202;
constexpr int64_t kGiftCard = 5000;

v1::UpsertOrderRequest PaidOrder() {
  v1::UpsertOrderRequest request = SampleOrder("M1");  // delivered 3 days ago
  v1::Order* order = request.mutable_order();
  order->set_currency_code("USD");
  order->set_tax_mode(v1::TAX_MODE_EXCLUSIVE);
  order->clear_lines();
  auto add_tax = [](google::protobuf::RepeatedPtrField<v1::TaxLine>* taxes, int64_t minor) {
    v1::TaxLine* tax = taxes->Add();
    tax->set_title("Sales tax");
    tax->set_rate_ppm(82500);
    *tax->mutable_amount() = Usd(minor);
  };
  auto add_line = [&](const std::string& id, int64_t unit, int quantity, int64_t discount,
                      int64_t tax) {
    v1::OrderLine* line = order->add_lines();
    line->set_line_id(id);
    line->set_sku("SKU-" + id);
    line->set_quantity(quantity);
    *line->mutable_unit_price() = Usd(unit);
    if (discount > 0) *line->mutable_line_discount() = Usd(discount);
    add_tax(line->mutable_tax_lines(), tax);
  };
  add_line("L1", 1999, 5, 500, kL1Tax);
  add_line("L2", 4999, 1, 0, 351);
  *order->mutable_order_discount() = Usd(2174);
  *order->mutable_shipping() = Usd(799);
  add_tax(order->mutable_shipping_tax_lines(), 66);
  auto add_payment = [&](const std::string& id, v1::TenderKind kind, int64_t amount) {
    v1::Payment* payment = order->add_payments();
    payment->set_payment_id(id);
    payment->set_kind(kind);
    payment->set_reference("psp-" + id);
    *payment->mutable_amount() = Usd(amount);
  };
  add_payment("pay-card", v1::TENDER_KIND_CARD, kCard);
  add_payment("pay-gift", v1::TENDER_KIND_GIFT_CARD, kGiftCard);
  return request;
}

// Calls again while the answer is ABORTED (nothing happened: retry-safe, same request_id).
grpc::Status UntilNotAborted(const std::function<grpc::Status()>& call) {
  grpc::Status status;
  for (int i = 0; i < 20; ++i) {
    status = call();
    if (status.error_code() != grpc::StatusCode::ABORTED) break;
    absl::SleepFor(absl::Milliseconds(10 * (i + 1)));
  }
  return status;
}

class MoneyConcurrencyTest : public JourneyTest {
 protected:
  void SetUp() override {
    JourneyTest::SetUp();
    second_ = std::make_unique<ServerProcess>(db_.url());
    v1::Order order;
    grpc::Status status = Upsert(PaidOrder(), &order);
    ASSERT_TRUE(status.ok()) << client::DescribeError(status);
    ASSERT_EQ(order.lines(0).paid_total().amount_minor(), kL1Paid);
    ASSERT_EQ(order.lines(0).tax_total().amount_minor(), kL1Tax);
    ASSERT_EQ(order.total().amount_minor(), kTotal);
  }

  // `n` clients, client i on server i % 2 with `options`'s key, all let go at the same moment.
  void AtOnce(int n, const client::ClientOptions& options,
              const std::function<void(int, const client::ClientOptions&)>& body) {
    absl::Notification go;
    std::vector<std::thread> clients;
    for (int i = 0; i < n; ++i) {
      clients.emplace_back([&, i] {
        client::ClientOptions on = options;
        on.address = i % 2 == 0 ? server_->address() : second_->address();
        go.WaitForNotification();
        body(i, on);
      });
    }
    go.Notify();
    for (auto& c : clients) c.join();
  }

  std::unique_ptr<v1::MoneyService::Stub> Money(const client::ClientOptions& options) {
    return v1::MoneyService::NewStub(client::MakeChannel(options));
  }

  std::vector<v1::MoneyMovement> Movements() {
    v1::ListMoneyMovementsRequest request;
    request.set_order_id("M1");
    v1::ListMoneyMovementsResponse response;
    grpc::Status status = Money(options_)->ListMoneyMovements(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return {response.movements().begin(), response.movements().end()};
  }

  std::vector<v1::Return> Returns() {
    v1::ListReturnsRequest request;
    request.set_order_id("M1");
    v1::ListReturnsResponse response;
    grpc::Status status = stubs_.returns->ListReturns(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return {response.returns().begin(), response.returns().end()};
  }

  // All of L1, DAMAGED, received in good condition: one REFUND of 8737 + 865 = 9602, the gift
  // card's 5000 and the card's 4602.
  v1::MoneyMovement ReceivedRefund() {
    v1::CreateReturnRequest request = SampleReturn("M1", "L1", 5);
    request.mutable_lines(0)->set_reason(v1::RETURN_REASON_DAMAGED);
    v1::Return created;
    grpc::Status status = Create(request, &created);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    EXPECT_EQ(Receive(created.return_id(), "L1", v1::ITEM_CONDITION_OK).state(),
              v1::RETURN_STATE_RESOLVED);
    const std::vector<v1::MoneyMovement> movements = Movements();
    EXPECT_EQ(movements.size(), 1u);
    if (movements.empty()) return {};
    EXPECT_EQ(movements[0].amount().amount_minor(), kL1Paid + kShippingPaid);
    EXPECT_EQ(movements[0].tenders_size(), 2);
    return movements[0];
  }

  // 10 clients at once each ask for 1 unit of L1 (DAMAGED), with their own request_ids.
  std::vector<grpc::Status> RaceUnitReturns() {
    std::vector<grpc::Status> statuses(10);
    AtOnce(10, options_, [&](int i, const client::ClientOptions& options) {
      v1::CreateReturnRequest request = SampleReturn("M1", "L1", 1);
      request.mutable_lines(0)->set_reason(v1::RETURN_REASON_DAMAGED);
      auto stub = v1::ReturnService::NewStub(client::MakeChannel(options));
      v1::Return created;
      statuses[i] = UntilNotAborted([&] {
        return stub->CreateReturn(client::MakeContext(options).get(), request, &created);
      });
    });
    return statuses;
  }

  std::unique_ptr<ServerProcess> second_;
};

TEST_F(MoneyConcurrencyTest, RacingOutcomesOneWinsAndTheOthersAreTold) {
  const v1::MoneyMovement refund = ReceivedRefund();
  ASSERT_FALSE(refund.movement_id().empty());
  // Clients 0-5 report SUCCEEDED, 6-11 FAILED (each kind on both servers), all at once.
  constexpr int kClients = 12;
  std::vector<grpc::Status> statuses(kClients);
  std::vector<v1::MoneyMovement> answers(kClients);
  auto reported = [](int i) {
    return i < kClients / 2 ? v1::MONEY_MOVEMENT_STATE_SUCCEEDED : v1::MONEY_MOVEMENT_STATE_FAILED;
  };
  AtOnce(kClients, options_, [&](int i, const client::ClientOptions& options) {
    v1::ReportMoneyMovementOutcomeRequest request;
    request.set_request_id("outcome-" + std::to_string(i));
    request.set_movement_id(refund.movement_id());
    request.set_outcome(reported(i));
    if (reported(i) == v1::MONEY_MOVEMENT_STATE_SUCCEEDED) {
      request.set_external_reference("psp-refund-" + std::to_string(i));
    } else {
      request.set_failure_reason("declined, says client " + std::to_string(i));
    }
    auto stub = Money(options);
    statuses[i] = UntilNotAborted([&] {
      return stub->ReportMoneyMovementOutcome(client::MakeContext(options).get(), request,
                                              &answers[i]);
    });
  });

  const std::vector<v1::MoneyMovement> movements = Movements();
  ASSERT_EQ(movements.size(), 1u);
  const v1::MoneyMovement& settled = movements[0];
  const v1::MoneyMovementState winner = settled.state();
  ASSERT_TRUE(winner == v1::MONEY_MOVEMENT_STATE_SUCCEEDED ||
              winner == v1::MONEY_MOVEMENT_STATE_FAILED)
      << settled.DebugString();
  const bool succeeded = winner == v1::MONEY_MOVEMENT_STATE_SUCCEEDED;
  EXPECT_EQ(settled.attempt(), 1);
  // The winner's side is answered the movement as it ended (not overwritten by a later report of
  // the same outcome); the other side is refused with the winner's state.
  for (int i = 0; i < kClients; ++i) {
    if (reported(i) == winner) {
      EXPECT_TRUE(statuses[i].ok()) << i << ": " << client::DescribeError(statuses[i]);
      EXPECT_TRUE(MessageDifferencer::Equals(answers[i], settled))
          << i << ": " << answers[i].DebugString() << "settled: " << settled.DebugString();
    } else {
      EXPECT_EQ(statuses[i].error_code(), grpc::StatusCode::FAILED_PRECONDITION)
          << i << ": " << client::DescribeError(statuses[i]);
      EXPECT_EQ(Reason(statuses[i]), "INVALID_STATE") << i;
      EXPECT_EQ(client::ParseErrorDetails(statuses[i]).metadata["state"],
                succeeded ? "SUCCEEDED" : "FAILED")
          << i;
    }
  }

  const std::vector<std::string> types = Types(Timeline("M1"));
  EXPECT_EQ(CountOf(types, "money_movement.succeeded"), succeeded ? 1 : 0);
  EXPECT_EQ(CountOf(types, "money_movement.failed"), succeeded ? 0 : 1);
  v1::ListDecisionsRequest by_kind;
  by_kind.set_kind("money_movement_failure");
  v1::ListDecisionsResponse decisions;
  grpc::Status status =
      v1::AdminService::NewStub(client::MakeChannel(At(support_)))
          ->ListDecisions(client::MakeContext(At(support_)).get(), by_kind, &decisions);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  ASSERT_EQ(decisions.decisions_size(), succeeded ? 0 : 1);
  if (!succeeded) {
    EXPECT_EQ(decisions.decisions(0).subject(), "money_movements/" + refund.movement_id());
  }
  const std::vector<v1::Return> returns = Returns();
  ASSERT_EQ(returns.size(), 1u);
  EXPECT_EQ(returns[0].money_state(),
            succeeded ? v1::RETURN_MONEY_STATE_SETTLED : v1::RETURN_MONEY_STATE_FAILED);
}

TEST_F(MoneyConcurrencyTest, OneReportSentByManyClientsAtOnceIsAnsweredAlike) {
  const v1::MoneyMovement refund = ReceivedRefund();
  ASSERT_FALSE(refund.movement_id().empty());
  v1::ReportMoneyMovementOutcomeRequest request;
  request.set_request_id("outcome-once");
  request.set_movement_id(refund.movement_id());
  request.set_outcome(v1::MONEY_MOVEMENT_STATE_SUCCEEDED);
  request.set_external_reference("psp-refund-7730");
  constexpr int kClients = 10;
  std::vector<grpc::Status> statuses(kClients);
  std::vector<v1::MoneyMovement> answers(kClients);
  AtOnce(kClients, options_, [&](int i, const client::ClientOptions& options) {
    auto stub = Money(options);
    statuses[i] = UntilNotAborted([&] {
      return stub->ReportMoneyMovementOutcome(client::MakeContext(options).get(), request,
                                              &answers[i]);
    });
  });
  for (int i = 0; i < kClients; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << i << ": " << client::DescribeError(statuses[i]);
    EXPECT_TRUE(MessageDifferencer::Equals(answers[i], answers[0]))
        << i << ": " << answers[i].DebugString() << "0: " << answers[0].DebugString();
  }
  EXPECT_EQ(answers[0].state(), v1::MONEY_MOVEMENT_STATE_SUCCEEDED);
  EXPECT_EQ(answers[0].external_reference(), "psp-refund-7730");
  const std::vector<v1::MoneyMovement> movements = Movements();
  ASSERT_EQ(movements.size(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(movements[0], answers[0])) << movements[0].DebugString();
  const std::vector<std::string> types = Types(Timeline("M1"));
  EXPECT_EQ(CountOf(types, "money_movement.succeeded"), 1);
  EXPECT_EQ(CountOf(types, "money_movement.failed"), 0);
}

TEST_F(MoneyConcurrencyTest, UnitsReturnedAtOnceGiveBackExactlyWhatTheLinePaid) {
  std::map<grpc::StatusCode, int> codes;
  for (const grpc::Status& status : RaceUnitReturns()) {
    ++codes[status.error_code()];
    if (!status.ok()) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
          << client::DescribeError(status);
      EXPECT_EQ(Reason(status), "RETURN_QUANTITY_EXCEEDED") << client::DescribeError(status);
    }
  }
  EXPECT_EQ(codes[grpc::StatusCode::OK], 5);
  EXPECT_EQ(codes[grpc::StatusCode::FAILED_PRECONDITION], 5);

  // One at a time, whichever client won: floor(8737 / 5) = 1747, floor(6990 / 4) = 1747,
  // floor(5243 / 3) = 1747, floor(3496 / 2) = 1748, the last 1748 (tax 133 x 4, the last 134).
  const std::vector<v1::Return> returns = Returns();
  ASSERT_EQ(returns.size(), 5u);
  int with_shipping = 0;
  int64_t paid_sum = 0;
  int64_t tax_sum = 0;
  std::vector<int64_t> paid;
  std::vector<int64_t> tax;
  for (const v1::Return& ret : returns) {
    const v1::SettlementPlan& plan = ret.plan();
    ASSERT_EQ(plan.lines_size(), 1) << ret.return_id();
    const int64_t shipping = plan.shipping_refund().amount_minor();
    if (shipping > 0) {
      ++with_shipping;
      EXPECT_EQ(shipping, kShippingPaid) << ret.return_id();
    }
    paid.push_back(plan.lines(0).paid().amount_minor());
    tax.push_back(plan.lines(0).tax().amount_minor());
    paid_sum += paid.back();
    tax_sum += tax.back();
    EXPECT_TRUE(paid.back() == kL1Paid / 5 || paid.back() == kL1Paid / 5 + 1) << paid.back();
    EXPECT_EQ(plan.refund_total().amount_minor(), paid.back() + shipping) << ret.return_id();
  }
  EXPECT_EQ(with_shipping, 1);
  EXPECT_EQ(paid_sum, kL1Paid);
  EXPECT_EQ(tax_sum, kL1Tax);
  std::sort(paid.begin(), paid.end());
  std::sort(tax.begin(), tax.end());
  EXPECT_EQ(paid, (std::vector<int64_t>{1747, 1747, 1747, 1748, 1748}));
  EXPECT_EQ(tax, (std::vector<int64_t>{133, 133, 133, 133, 134}));
}

TEST_F(MoneyConcurrencyTest, ReturnsReceivedAtOnceNeverRefundATenderTwice) {
  RaceUnitReturns();
  const std::vector<v1::Return> returns = Returns();
  ASSERT_EQ(returns.size(), 5u);
  // Each return received by two clients at once (one per server), each with its own request_id.
  std::vector<grpc::Status> statuses(10);
  AtOnce(10, carrier_, [&](int i, const client::ClientOptions& options) {
    v1::ReceiveReturnRequest request;
    request.set_request_id("receive-" + std::to_string(i));
    request.set_return_id(returns[i / 2].return_id());
    auto* item = request.add_items();
    item->set_order_line_id("L1");
    item->set_condition(v1::ITEM_CONDITION_OK);
    auto stub = v1::ReturnService::NewStub(client::MakeChannel(options));
    v1::Return received;
    statuses[i] = UntilNotAborted([&] {
      return stub->ReceiveReturn(client::MakeContext(options).get(), request, &received);
    });
  });
  for (int r = 0; r < 5; ++r) {
    const grpc::Status& a = statuses[2 * r];
    const grpc::Status& b = statuses[2 * r + 1];
    EXPECT_EQ(a.ok() + b.ok(), 1) << client::DescribeError(a) << " / " << client::DescribeError(b);
    const grpc::Status& refused = a.ok() ? b : a;
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << client::DescribeError(refused);
  }

  // One REFUND per return, of its plan's refund; together 8737 + 865 = 9602: the gift card's
  // 5000 first, the card 4602.
  std::map<std::string, int64_t> planned;  // subject -> refund_total
  for (const v1::Return& ret : returns) {
    planned["returns/" + ret.return_id()] = ret.plan().refund_total().amount_minor();
  }
  const std::vector<v1::MoneyMovement> movements = Movements();
  ASSERT_EQ(movements.size(), 5u);
  std::map<std::string, int64_t> shares;  // payment_id -> Σ its shares
  std::set<std::string> subjects;
  int crossing = 0;  // movements with both the gift card and the card
  int64_t refunded = 0;
  for (const v1::MoneyMovement& m : movements) {
    EXPECT_EQ(m.kind(), v1::MONEY_MOVEMENT_KIND_REFUND) << m.DebugString();
    EXPECT_EQ(m.state(), v1::MONEY_MOVEMENT_STATE_REQUESTED) << m.DebugString();
    subjects.insert(m.subject());
    ASSERT_EQ(planned.count(m.subject()), 1u) << m.subject();
    EXPECT_EQ(m.amount().amount_minor(), planned[m.subject()]) << m.subject();
    refunded += m.amount().amount_minor();
    int64_t in_tenders = 0;
    for (const v1::TenderShare& share : m.tenders()) {
      shares[share.payment_id()] += share.amount().amount_minor();
      in_tenders += share.amount().amount_minor();
    }
    EXPECT_EQ(in_tenders, m.amount().amount_minor()) << m.DebugString();
    if (m.tenders_size() == 2) {
      ++crossing;
      EXPECT_EQ(m.tenders(0).payment_id(), "pay-gift") << m.DebugString();
      EXPECT_EQ(m.tenders(1).payment_id(), "pay-card") << m.DebugString();
    }
  }
  EXPECT_EQ(subjects.size(), 5u);
  EXPECT_LE(crossing, 1);
  EXPECT_EQ(refunded, kL1Paid + kShippingPaid);
  EXPECT_EQ(shares["pay-gift"], kGiftCard);
  EXPECT_EQ(shares["pay-card"], kL1Paid + kShippingPaid - kGiftCard);

  v1::GetOrderRequest get;
  get.set_order_id("M1");
  v1::Order order;
  ASSERT_TRUE(stubs_.orders->GetOrder(Context().get(), get, &order).ok());
  ASSERT_EQ(order.payments_size(), 2);
  for (const v1::Payment& payment : order.payments()) {
    EXPECT_EQ(payment.refunded().amount_minor(), shares[payment.payment_id()])
        << payment.payment_id();
    EXPECT_LE(payment.refunded().amount_minor(), payment.amount().amount_minor())
        << payment.payment_id();
    EXPECT_EQ(payment.refundable().amount_minor(),
              payment.amount().amount_minor() - payment.refunded().amount_minor())
        << payment.payment_id();
  }
  EXPECT_EQ(CountOf(Types(Timeline("M1")), "money_movement.requested"), 5);
}

}  // namespace
}  // namespace returns::testing
