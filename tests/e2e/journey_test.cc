// The whole story end to end (PRODUCT.md 4.4-4.6): the real returnsd, real gRPC, real
// PostgreSQL, the sandbox carrier; one story with an exchange (and a restart of returnsd under a
// change-feed consumer), one with a refund, one with a store credit.
#include <atomic>
#include <set>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "google/protobuf/util/time_util.h"
#include "journey_fixture.h"

namespace returns::testing {
namespace {

// A change-feed consumer as a payment system would run it: it keeps its cursor, and when the
// stream breaks (returnsd restarts) it reconnects and resumes after the last sequence it got.
class FeedConsumer {
 public:
  explicit FeedConsumer(std::function<client::ClientOptions()> options)
      : options_(std::move(options)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~FeedConsumer() { Stop(); }

  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // Waits until the consumer got `sequence` (up to `timeout`).
  bool WaitFor(int64_t sequence, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto reached = [&] { return cursor_ >= sequence; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
  }
  std::vector<v1::ChangeEvent> events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  int reconnects() const { return reconnects_; }

 private:
  void Run() {
    while (!stop_) {
      client::ClientOptions options = options_();
      options.timeout = absl::Seconds(2);  // reconnect now and then to notice stop_
      auto context = client::MakeContext(options);
      v1::StreamEventsRequest request;
      {
        absl::MutexLock lock(&mu_);
        request.set_after_sequence(cursor_);
      }
      auto reader = v1::TimelineService::NewStub(client::MakeChannel(options))
                        ->StreamEvents(context.get(), request);
      v1::ChangeEvent event;
      while (!stop_ && reader->Read(&event)) {
        absl::MutexLock lock(&mu_);
        events_.push_back(event);
        cursor_ = std::max(cursor_, event.sequence());
      }
      context->TryCancel();
      grpc::Status status = reader->Finish();
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        ++reconnects_;
        absl::SleepFor(absl::Milliseconds(100));
      }
    }
  }

  std::function<client::ClientOptions()> options_;
  std::atomic<bool> stop_{false};
  std::atomic<int> reconnects_{0};
  absl::Mutex mu_;
  int64_t cursor_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<v1::ChangeEvent> events_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

TEST_F(JourneyTest, ExchangeFromRequestToSettlementAcrossARestart) {
  absl::Mutex address_mu;
  FeedConsumer feed([&] {
    absl::MutexLock lock(&address_mu);
    return options_;
  });

  // The storefront: order, stock, a return for an exchange, the token issued and redeemed.
  ASSERT_TRUE(Upsert(ExchangeOrder("J1")).ok());
  v1::SetInventoryLevelsResponse stock;
  ASSERT_TRUE(v1::InventoryService::NewStub(client::MakeChannel(options_))
                  ->SetInventoryLevels(Context().get(), ReplacementStock(5), &stock)
                  .ok());
  v1::Return ret;
  ASSERT_TRUE(Create(ExchangeReturn("J1"), &ret).ok());
  auto exchange = v1::ExchangeService::NewStub(client::MakeChannel(options_));
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(
      exchange->IssueExchangeToken(Context().get(), IssueRequest(ret.return_id()), &issued).ok());
  v1::RedeemExchangeTokenRequest redeem;
  redeem.set_request_id("redeem-j1");
  redeem.set_token(issued.token());
  v1::ExchangeToken token;
  ASSERT_TRUE(exchange->RedeemExchangeToken(Context().get(), redeem, &token).ok());

  // The warehouse ships the replacement.
  std::string outbound_id;
  for (const auto& s : Shipments("J1")) {
    if (s.direction() == v1::SHIPMENT_DIRECTION_OUTBOUND) outbound_id = s.shipment_id();
  }
  ASSERT_FALSE(outbound_id.empty());
  v1::ConfirmFulfillmentRequest confirm;
  confirm.set_request_id("confirm-j1");
  confirm.set_shipment_id(outbound_id);
  confirm.set_carrier("sandbox");
  confirm.set_tracking_number("OUT-J1");
  v1::Shipment outbound;
  ASSERT_TRUE(Logistics(carrier_)
                  ->ConfirmFulfillment(client::MakeContext(carrier_).get(), confirm, &outbound)
                  .ok());
  EXPECT_EQ(outbound.state(), v1::SHIPMENT_STATE_LABEL_CREATED);

  // An agent approves; the carrier's label arrives through a durable job.
  EXPECT_EQ(Approve(ret.return_id()).state(), v1::RETURN_STATE_APPROVED);
  const v1::Shipment label = WaitForLabel(ret.return_id());
  ASSERT_FALSE(label.tracking_number().empty());
  v1::GetShipmentRequest get_label;
  get_label.set_shipment_id(label.shipment_id());
  v1::Shipment with_document;
  ASSERT_TRUE(Logistics(options_)->GetShipment(Context().get(), get_label, &with_document).ok());
  EXPECT_EQ(with_document.label_format(), "ZPL");
  EXPECT_NE(with_document.label_document().find(label.tracking_number()), std::string::npos);

  // returnsd restarts under the feed consumer.
  ASSERT_TRUE(feed.WaitFor(1, absl::Seconds(10)));
  EXPECT_EQ(server_->Terminate(), 0);
  {
    absl::MutexLock lock(&address_mu);
    RestartServer();
  }

  // The carrier's events arrive shuffled, with a duplicate, then a resend, then a late one.
  const std::string tracking = label.tracking_number();
  EXPECT_EQ(Record({Scan(tracking, "d", v1::CARRIER_EVENT_CODE_DELIVERED, 30),
                    Scan(tracking, "a", v1::CARRIER_EVENT_CODE_ACCEPTED, 10),
                    Scan(tracking, "a", v1::CARRIER_EVENT_CODE_ACCEPTED, 10),
                    Scan(tracking, "t", v1::CARRIER_EVENT_CODE_IN_TRANSIT, 20)}),
            (std::vector<v1::CarrierEventOutcome>{
                v1::CARRIER_EVENT_OUTCOME_APPLIED, v1::CARRIER_EVENT_OUTCOME_APPLIED,
                v1::CARRIER_EVENT_OUTCOME_DUPLICATE, v1::CARRIER_EVENT_OUTCOME_RECORDED}));
  EXPECT_EQ(Record({Scan(tracking, "a", v1::CARRIER_EVENT_CODE_ACCEPTED, 10)}),
            (std::vector<v1::CarrierEventOutcome>{v1::CARRIER_EVENT_OUTCOME_DUPLICATE}));
  EXPECT_EQ(Record({Scan(tracking, "o", v1::CARRIER_EVENT_CODE_OUT_FOR_DELIVERY, 25)}),
            (std::vector<v1::CarrierEventOutcome>{v1::CARRIER_EVENT_OUTCOME_RECORDED}));
  v1::GetExchangeTokenRequest get_token;
  get_token.set_exchange_token_id(token.exchange_token_id());
  exchange = v1::ExchangeService::NewStub(client::MakeChannel(options_));  // the new server
  ASSERT_TRUE(exchange->GetExchangeToken(Context().get(), get_token, &token).ok());
  EXPECT_EQ(token.state(), v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT);
  EXPECT_EQ(Record({Scan("OUT-J1", "oa", v1::CARRIER_EVENT_CODE_ACCEPTED, 5),
                    Scan("OUT-J1", "od", v1::CARRIER_EVENT_CODE_DELIVERED, 40)}),
            (std::vector<v1::CarrierEventOutcome>{v1::CARRIER_EVENT_OUTCOME_APPLIED,
                                                  v1::CARRIER_EVENT_OUTCOME_APPLIED}));

  // The warehouse receives the original in good condition: the exchange settles.
  v1::Return resolved = Receive(ret.return_id(), "L0", v1::ITEM_CONDITION_OK);
  EXPECT_EQ(resolved.state(), v1::RETURN_STATE_RESOLVED);
  EXPECT_EQ(resolved.refund_total().amount_minor(), 0);
  ASSERT_TRUE(exchange->GetExchangeToken(Context().get(), get_token, &token).ok());
  EXPECT_EQ(token.state(), v1::EXCHANGE_TOKEN_STATE_SETTLED);

  // GetTimeline: every step, in order, each once.
  const auto events = Timeline("J1");
  const auto types = Types(events);
  EXPECT_TRUE(
      InOrder({"order.created",           "return.requested",    "exchange_token.issued",
               "exchange_token.redeemed", "shipment.requested",  "shipment.shipped",
               "return.approved",         "shipment.requested",  "shipment.label_created",
               "return.label_issued",     "shipment.in_transit", "exchange_token.in_transit",
               "return.in_transit",       "shipment.delivered",  "return.delivered",
               "shipment.in_transit",     "shipment.delivered",  "exchange_token.settled",
               "return.received",         "return.resolved"},
              types))
      << ::testing::PrintToString(types);
  for (const char* once : {"return.in_transit", "return.delivered", "exchange_token.in_transit",
                           "exchange_token.settled", "return.resolved", "shipment.label_created"}) {
    EXPECT_EQ(CountOf(types, once), 1) << once;
  }
  EXPECT_EQ(CountOf(types, "return.refund_requested"), 0);
  for (size_t i = 1; i < events.size(); ++i) {  // chronological as well as in commit order
    EXPECT_LE(
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(events[i - 1].create_time()),
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(events[i].create_time()));
  }

  // The consumer that lived through the restart has every event of the feed, in order.
  const int64_t last = std::stoll(QueryScalar(
      db_.url(),
      "SELECT max(sequence) FROM outbox_events WHERE merchant_id = '" + merchant_id_ + "'"));
  ASSERT_TRUE(feed.WaitFor(last, absl::Seconds(15))) << "the consumer stopped short of " << last;
  feed.Stop();
  EXPECT_GE(feed.reconnects(), 1);
  std::set<int64_t> got;
  int64_t previous = 0;
  for (const auto& event : feed.events()) {
    EXPECT_GT(event.sequence(), previous) << "out of order or repeated";
    previous = event.sequence();
    got.insert(event.sequence());
  }
  // 1..n without a gap (jobs may have committed notifications after `last` was read).
  EXPECT_EQ(*got.begin(), 1);
  EXPECT_GE(*got.rbegin(), last);
  EXPECT_EQ(static_cast<int64_t>(got.size()), *got.rbegin());
}

TEST_F(JourneyTest, RefundWithAutomaticApprovalAndFeesIsRequestedOnce) {
  QueryScalar(db_.url(),
              "UPDATE policies SET restocking_fee_minor = 300, return_shipping_fee_minor = 450, "
              "auto_approve_max_minor = 10000");
  ASSERT_TRUE(Upsert(SampleOrder("J2")).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("J2", "L1", 2), &ret).ok());
  EXPECT_EQ(ret.state(), v1::RETURN_STATE_APPROVED);  // worth 50.00, within the 100.00 limit

  v1::ListDecisionsRequest decisions_request;
  decisions_request.set_subject("returns/" + ret.return_id());
  v1::ListDecisionsResponse decisions;
  client::ClientOptions admin = options_;
  admin.api_key = admin_key_;
  ASSERT_TRUE(v1::AdminService::NewStub(client::MakeChannel(admin))
                  ->ListDecisions(client::MakeContext(admin).get(), decisions_request, &decisions)
                  .ok());
  ASSERT_EQ(decisions.decisions_size(), 1);
  EXPECT_EQ(decisions.decisions(0).kind(), "return_approval");
  EXPECT_EQ(decisions.decisions(0).outcome(), v1::DECISION_OUTCOME_APPROVED);

  const std::string tracking = WaitForLabel(ret.return_id()).tracking_number();
  Record({Scan(tracking, "a", v1::CARRIER_EVENT_CODE_ACCEPTED, 1),
          Scan(tracking, "d", v1::CARRIER_EVENT_CODE_DELIVERED, 2)});
  v1::Return resolved = Receive(ret.return_id(), "L1", v1::ITEM_CONDITION_OK);
  EXPECT_EQ(resolved.state(), v1::RETURN_STATE_RESOLVED);
  EXPECT_EQ(resolved.refund_total().amount_minor(), 5000 - 300 - 450);
  EXPECT_EQ(resolved.fees_total().amount_minor(), 750);
  EXPECT_EQ(resolved.lines(0).refund_amount().amount_minor(), 4700);
  // The receipt sent again (a retry) answers the same and requests no second refund.
  EXPECT_EQ(Receive(ret.return_id(), "L1", v1::ITEM_CONDITION_OK).refund_total().amount_minor(),
            4250);

  const auto types = Types(Timeline("J2"));
  EXPECT_TRUE(
      InOrder({"order.created", "return.requested", "return.approved", "shipment.requested",
               "shipment.label_created", "return.label_issued", "return.in_transit",
               "return.delivered", "return.received", "return.resolved", "return.refund_requested"},
              types))
      << ::testing::PrintToString(types);
  EXPECT_EQ(CountOf(types, "return.refund_requested"), 1);

  // The payment system's event carries the amount.
  client::ClientOptions stream = options_;
  stream.timeout = absl::Seconds(3);
  auto context = client::MakeContext(stream);
  auto reader = stubs_.timeline->StreamEvents(context.get(), v1::StreamEventsRequest());
  v1::ChangeEvent event;
  int refunds = 0;
  while (reader->Read(&event)) {
    if (event.event_type() != "return.refund_requested") continue;
    ++refunds;
    const auto& total = event.payload().fields().at("refund_total").struct_value().fields();
    EXPECT_EQ(total.at("amount_minor").string_value(), "4250");
    EXPECT_EQ(total.at("currency_code").string_value(), "EUR");
  }
  reader->Finish();
  EXPECT_EQ(refunds, 1);
}

TEST_F(JourneyTest, StoreCreditWithoutFees) {
  QueryScalar(db_.url(),
              "UPDATE policies SET restocking_fee_minor = 300, return_shipping_fee_minor = 450");
  ASSERT_TRUE(Upsert(SampleOrder("J3")).ok());
  v1::CreateReturnRequest request = SampleReturn("J3", "L2", 1);
  request.mutable_lines(0)->set_resolution(v1::RESOLUTION_STORE_CREDIT);
  v1::Return ret;
  ASSERT_TRUE(Create(request, &ret).ok());
  EXPECT_EQ(ret.state(), v1::RETURN_STATE_REQUESTED);  // no automatic approval by default
  Approve(ret.return_id());
  const std::string tracking = WaitForLabel(ret.return_id()).tracking_number();
  Record({Scan(tracking, "d", v1::CARRIER_EVENT_CODE_DELIVERED, 2)});  // no first scan at all
  v1::Return resolved = Receive(ret.return_id(), "L2", v1::ITEM_CONDITION_OK);
  EXPECT_EQ(resolved.state(), v1::RETURN_STATE_RESOLVED);
  EXPECT_EQ(resolved.store_credit_total().amount_minor(), 1500);
  EXPECT_EQ(resolved.refund_total().amount_minor(), 0);
  EXPECT_EQ(resolved.fees_total().amount_minor(), 0);
  const auto types = Types(Timeline("J3"));
  EXPECT_TRUE(
      InOrder({"return.requested", "return.approved", "return.label_issued", "return.delivered",
               "return.received", "return.resolved", "return.store_credit_requested"},
              types))
      << ::testing::PrintToString(types);
  EXPECT_EQ(CountOf(types, "return.store_credit_requested"), 1);
  EXPECT_EQ(CountOf(types, "return.refund_requested"), 0);
}

TEST_F(JourneyTest, TransitionsThatAreNotAllowedNameTheCurrentState) {
  ASSERT_TRUE(Upsert(SampleOrder("J4")).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("J4", "L1", 1), &ret).ok());
  Approve(ret.return_id());
  v1::ApproveReturnRequest again;
  again.set_request_id("approve-again");
  again.set_return_id(ret.return_id());
  v1::Return out;
  grpc::Status status = v1::ReturnService::NewStub(client::MakeChannel(support_))
                            ->ApproveReturn(client::MakeContext(support_).get(), again, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "INVALID_STATE");
  EXPECT_NE(status.error_message().find("APPROVED"), std::string::npos);
  v1::RejectReturnRequest reject;
  reject.set_request_id("reject-late");
  reject.set_return_id(ret.return_id());
  reject.set_reason("too late");
  status = v1::ReturnService::NewStub(client::MakeChannel(support_))
               ->RejectReturn(client::MakeContext(support_).get(), reject, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("APPROVED"), std::string::npos);
  // A rejected return frees its quantity for another return.
  v1::Return second;
  ASSERT_TRUE(Create(SampleReturn("J4", "L2", 1), &second).ok());
  reject.set_request_id("reject-2");
  reject.set_return_id(second.return_id());
  ASSERT_TRUE(v1::ReturnService::NewStub(client::MakeChannel(support_))
                  ->RejectReturn(client::MakeContext(support_).get(), reject, &out)
                  .ok());
  EXPECT_EQ(out.state(), v1::RETURN_STATE_REJECTED);
  EXPECT_TRUE(Create(SampleReturn("J4", "L2", 1)).ok());
  // A storefront key may not approve (roles), and a bad id names its field.
  status = stubs_.returns->ApproveReturn(Context().get(), again, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  again.set_return_id("not-a-uuid");
  status = v1::ReturnService::NewStub(client::MakeChannel(support_))
               ->ApproveReturn(client::MakeContext(support_).get(), again, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(status), "return_id");
}

}  // namespace
}  // namespace returns::testing
