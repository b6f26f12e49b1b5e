// One merchant can never see or touch another's data: the walk below calls every read and write
// method of the contract with a second merchant's keys and the first merchant's ids, and expects
// exactly what a nonexistent id would get. A method added to the contract fails the test until
// the walk covers it.
#include <set>

#include "sample_images.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "e2e_fixture.h"
#include "returns/v1/logistics_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "returns/v1/admin_service.grpc.pb.h"
#include "returns/v1/analytics_service.grpc.pb.h"
#include "returns/v1/claim_service.grpc.pb.h"
#include "returns/v1/policy_service.grpc.pb.h"
#include "returns/v1/exchange_service.grpc.pb.h"
#include "returns/v1/inventory_service.grpc.pb.h"
#include "returns/v1/money_service.grpc.pb.h"
#include "returns/v1/webhook_service.grpc.pb.h"
#include "exchange_fixture.h"

namespace returns::testing {
namespace {

using IsolationTest = E2ETest;

// Methods that name no other merchant's resource: they only create the caller's own.
const std::set<std::string> kCreateOnly = {"returns.v1.AdminService/CreateMerchant",
                                           "returns.v1.AdminService/CreateApiKey"};

TEST_F(IsolationTest, AnotherMerchantGetsNotFoundEverywhere) {
  // Merchant A: an order, a return, a key, a decision, a stock level, an exchange token.
  ASSERT_TRUE(Upsert(SampleOrder("1001", 3)).ok());
  ASSERT_TRUE(Upsert(ExchangeOrder("2002")).ok());
  auto a_inventory = v1::InventoryService::NewStub(client::MakeChannel(options_));
  v1::SetInventoryLevelsResponse a_levels;
  ASSERT_TRUE(
      a_inventory->SetInventoryLevels(Context().get(), ReplacementStock(5), &a_levels).ok());
  v1::Return a_exchange_return;  // an exchange is quoted from the replacement's stock price
  ASSERT_TRUE(Create(ExchangeReturn("2002"), &a_exchange_return).ok());
  auto a_exchange = v1::ExchangeService::NewStub(client::MakeChannel(options_));
  v1::IssueExchangeTokenResponse a_token;
  ASSERT_TRUE(a_exchange
                  ->IssueExchangeToken(Context().get(), IssueRequest(a_exchange_return.return_id()),
                                       &a_token)
                  .ok());
  const std::string a_token_id = a_token.exchange_token().exchange_token_id();
  QueryScalar(db_.url(),
              "INSERT INTO inventory_levels (merchant_id, sku, on_hand, currency_code, "
              "unit_price_minor) VALUES ('" +
                  merchant_id_ + "', 'TEE-M', 9, 'EUR', 2500)");
  v1::Return a_return;
  ASSERT_TRUE(Create(SampleReturn("1001", "L1", 1), &a_return).ok());
  const std::string a_key_id = storefront_key_.substr(3, 16);
  QueryScalar(
      db_.url(),
      "INSERT INTO decisions (merchant_id, kind, subject, rule_version, outcome) VALUES ('" +
          merchant_id_ + "', 'claim', 'returns/" + a_return.return_id() + "', 'v1', 'APPROVED')");

  // Merchant B, with a STOREFRONT and an ADMIN key.
  TestMerchant b = CreateTestMerchant(db_.url(), "Merchant B");
  client::ClientOptions b_store = options_;
  b_store.api_key = CreateTestApiKey(db_.url(), b.merchant_id, v1::API_KEY_ROLE_STOREFRONT);
  client::ClientOptions b_admin = options_;
  b_admin.api_key = b.admin_key;
  Stubs stubs = StubsFor(b_store);
  auto admin = v1::AdminService::NewStub(client::MakeChannel(b_admin));
  auto ctx = [&] { return client::MakeContext(b_store); };
  auto admin_ctx = [&] { return client::MakeContext(b_admin); };
  std::set<std::string> walked;
  auto walk = [&](const std::string& method, grpc::StatusCode expected, const grpc::Status& got) {
    walked.insert(method);
    EXPECT_EQ(got.error_code(), expected) << method << ": " << client::DescribeError(got);
  };

  v1::Order order;
  v1::GetOrderRequest get_order;
  get_order.set_order_id("1001");
  walk("returns.v1.OrderService/GetOrder", grpc::StatusCode::NOT_FOUND,
       stubs.orders->GetOrder(ctx().get(), get_order, &order));

  v1::ListOrdersResponse orders;
  walk("returns.v1.OrderService/ListOrders", grpc::StatusCode::OK,
       stubs.orders->ListOrders(ctx().get(), {}, &orders));
  EXPECT_EQ(orders.orders_size(), 0);

  v1::GetTimelineRequest timeline_request;
  timeline_request.set_order_id("1001");
  v1::GetTimelineResponse timeline;
  walk("returns.v1.TimelineService/GetTimeline", grpc::StatusCode::NOT_FOUND,
       stubs.timeline->GetTimeline(ctx().get(), timeline_request, &timeline));

  // The change feed shows B none of A's events.
  {
    client::ClientOptions stream_options = b_store;
    stream_options.timeout = absl::Seconds(1);
    auto stream_context = client::MakeContext(stream_options);
    auto reader = v1::TimelineService::NewStub(client::MakeChannel(b_store))
                      ->StreamEvents(stream_context.get(), v1::StreamEventsRequest());
    v1::ChangeEvent event;
    int received = 0;
    while (reader->Read(&event)) ++received;
    walk("returns.v1.TimelineService/StreamEvents", grpc::StatusCode::DEADLINE_EXCEEDED,
         reader->Finish());
    EXPECT_EQ(received, 0);
  }

  v1::Return ret;
  walk("returns.v1.ReturnService/CreateReturn", grpc::StatusCode::NOT_FOUND,
       stubs.returns->CreateReturn(ctx().get(), SampleReturn("1001"), &ret));

  v1::CheckEligibilityRequest eligibility;
  eligibility.set_order_id("1001");
  v1::CheckEligibilityResponse eligible;
  walk("returns.v1.ReturnService/CheckEligibility", grpc::StatusCode::NOT_FOUND,
       stubs.returns->CheckEligibility(ctx().get(), eligibility, &eligible));
  EXPECT_EQ(eligible.lines_size(), 0);

  v1::PreviewReturnRequest preview;
  preview.set_order_id("1001");
  *preview.mutable_lines() = SampleReturn("1001").lines();
  v1::SettlementPlan plan;
  walk("returns.v1.ReturnService/PreviewReturn", grpc::StatusCode::NOT_FOUND,
       stubs.returns->PreviewReturn(ctx().get(), preview, &plan));

  v1::GetReturnRequest get_return;
  get_return.set_return_id(a_return.return_id());
  walk("returns.v1.ReturnService/GetReturn", grpc::StatusCode::NOT_FOUND,
       stubs.returns->GetReturn(ctx().get(), get_return, &ret));

  v1::ListReturnsRequest list_returns;
  list_returns.set_order_id("1001");
  v1::ListReturnsResponse returns;
  walk("returns.v1.ReturnService/ListReturns", grpc::StatusCode::OK,
       stubs.returns->ListReturns(ctx().get(), list_returns, &returns));
  EXPECT_EQ(returns.returns_size(), 0);

  v1::CancelReturnRequest cancel;
  cancel.set_request_id("b-cancel");
  cancel.set_return_id(a_return.return_id());
  walk("returns.v1.ReturnService/CancelReturn", grpc::StatusCode::NOT_FOUND,
       stubs.returns->CancelReturn(ctx().get(), cancel, &ret));

  v1::ReceiveReturnRequest receive;
  receive.set_request_id("b-receive");
  receive.set_return_id(a_return.return_id());
  auto* received_item = receive.add_items();
  received_item->set_order_line_id("L1");
  received_item->set_condition(v1::ITEM_CONDITION_OK);
  client::ClientOptions b_carrier = options_;
  b_carrier.api_key = CreateTestApiKey(db_.url(), b.merchant_id, v1::API_KEY_ROLE_CARRIER);
  walk("returns.v1.ReturnService/ReceiveReturn", grpc::StatusCode::NOT_FOUND,
       v1::ReturnService::NewStub(client::MakeChannel(b_carrier))
           ->ReceiveReturn(client::MakeContext(b_carrier).get(), receive, &ret));

  v1::RevokeApiKeyRequest revoke;
  revoke.set_request_id("b-revoke");
  revoke.set_key_id(a_key_id);
  v1::ApiKey key;
  walk("returns.v1.AdminService/RevokeApiKey", grpc::StatusCode::NOT_FOUND,
       admin->RevokeApiKey(admin_ctx().get(), revoke, &key));

  v1::ListApiKeysResponse keys;
  walk("returns.v1.AdminService/ListApiKeys", grpc::StatusCode::OK,
       admin->ListApiKeys(admin_ctx().get(), {}, &keys));
  for (const auto& k : keys.api_keys()) EXPECT_NE(k.key_id(), a_key_id);

  v1::ListDecisionsResponse decisions;
  walk("returns.v1.AdminService/ListDecisions", grpc::StatusCode::OK,
       admin->ListDecisions(admin_ctx().get(), {}, &decisions));
  EXPECT_EQ(decisions.decisions_size(), 0);

  auto inventory = v1::InventoryService::NewStub(client::MakeChannel(b_store));
  v1::GetInventoryLevelRequest get_level;
  get_level.set_sku("TEE-M");
  v1::InventoryLevel level;
  walk("returns.v1.InventoryService/GetInventoryLevel", grpc::StatusCode::NOT_FOUND,
       inventory->GetInventoryLevel(ctx().get(), get_level, &level));
  v1::ListInventoryLevelsResponse levels;
  walk("returns.v1.InventoryService/ListInventoryLevels", grpc::StatusCode::OK,
       inventory->ListInventoryLevels(ctx().get(), {}, &levels));
  EXPECT_EQ(levels.levels_size(), 0);
  v1::SetInventoryLevelsRequest set_levels;
  set_levels.set_request_id("b-stock");
  auto* b_level = set_levels.add_levels();
  b_level->set_sku("TEE-M");
  b_level->set_on_hand(1);
  b_level->mutable_unit_price()->set_currency_code("EUR");
  v1::SetInventoryLevelsResponse set_response;
  walk("returns.v1.InventoryService/SetInventoryLevels", grpc::StatusCode::OK,
       inventory->SetInventoryLevels(ctx().get(), set_levels, &set_response));
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT on_hand FROM inventory_levels WHERE merchant_id = '" +
                                       merchant_id_ + "' AND sku = 'TEE-M'"),
            "9");  // A's stock is untouched: B set its own

  auto exchange = v1::ExchangeService::NewStub(client::MakeChannel(b_store));
  v1::IssueExchangeTokenResponse issued;
  walk("returns.v1.ExchangeService/IssueExchangeToken", grpc::StatusCode::NOT_FOUND,
       exchange->IssueExchangeToken(ctx().get(), IssueRequest(a_exchange_return.return_id()),
                                    &issued));
  v1::GetExchangeTokenRequest get_token;
  get_token.set_exchange_token_id(a_token_id);
  v1::ExchangeToken token;
  walk("returns.v1.ExchangeService/GetExchangeToken", grpc::StatusCode::NOT_FOUND,
       exchange->GetExchangeToken(ctx().get(), get_token, &token));
  v1::ListExchangeTokensResponse tokens;
  walk("returns.v1.ExchangeService/ListExchangeTokens", grpc::StatusCode::OK,
       exchange->ListExchangeTokens(ctx().get(), {}, &tokens));
  EXPECT_EQ(tokens.exchange_tokens_size(), 0);
  // A's token string under B's key is refused exactly as an unknown token is.
  v1::RedeemExchangeTokenRequest redeem;
  redeem.set_request_id("b-redeem");
  redeem.set_token(a_token.token());
  grpc::Status redeemed = exchange->RedeemExchangeToken(ctx().get(), redeem, &token);
  walk("returns.v1.ExchangeService/RedeemExchangeToken", grpc::StatusCode::INVALID_ARGUMENT,
       redeemed);
  EXPECT_EQ(Reason(redeemed), "EXCHANGE_TOKEN_INVALID");
  v1::RevokeExchangeTokenRequest revoke_token;
  revoke_token.set_request_id("b-revoke-token");
  revoke_token.set_exchange_token_id(a_token_id);
  walk("returns.v1.ExchangeService/RevokeExchangeToken", grpc::StatusCode::NOT_FOUND,
       exchange->RevokeExchangeToken(ctx().get(), revoke_token, &token));
  v1::ReportChargeOutcomeRequest outcome;
  outcome.set_request_id("b-charge");
  outcome.set_exchange_token_id(a_token_id);
  outcome.set_outcome(v1::CHARGE_OUTCOME_CHARGED);
  walk("returns.v1.ExchangeService/ReportChargeOutcome", grpc::StatusCode::NOT_FOUND,
       exchange->ReportChargeOutcome(ctx().get(), outcome, &token));
  v1::RetryExchangeTokenChargeRequest retry_charge;
  retry_charge.set_request_id("b-retry-charge");
  retry_charge.set_exchange_token_id(a_token_id);
  walk("returns.v1.ExchangeService/RetryExchangeTokenCharge", grpc::StatusCode::NOT_FOUND,
       exchange->RetryExchangeTokenCharge(ctx().get(), retry_charge, &token));
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT state FROM exchange_tokens"), "ISSUED");

  // Orchestration: A's approved return has a label (a shipment) and jobs; B reaches none.
  {
    client::ClientOptions a_admin = options_;
    a_admin.api_key = admin_key_;
    v1::ApproveReturnRequest approve;
    approve.set_request_id("a-approve");
    approve.set_return_id(a_exchange_return.return_id());
    v1::Return approved;
    ASSERT_TRUE(v1::ReturnService::NewStub(client::MakeChannel(a_admin))
                    ->ApproveReturn(client::MakeContext(a_admin).get(), approve, &approved)
                    .ok());
  }
  const std::string a_shipment_id = QueryScalar(db_.url(), "SELECT shipment_id FROM shipments");
  std::string a_tracking;
  for (int i = 0; i < 100 && a_tracking.empty(); ++i) {
    a_tracking = QueryScalar(db_.url(), "SELECT tracking_number FROM shipments");
    if (a_tracking.empty()) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_FALSE(a_tracking.empty()) << "the label job never ran";
  const std::string a_job_id = QueryScalar(db_.url(), "SELECT job_id FROM jobs LIMIT 1");
  QueryScalar(
      db_.url(),
      "UPDATE jobs SET state = 'DEAD', last_error = 'dead-lettered by the test' WHERE job_id = '" +
          a_job_id + "'");

  v1::ApproveReturnRequest b_approve;
  b_approve.set_request_id("b-approve");
  b_approve.set_return_id(a_return.return_id());
  client::ClientOptions b_support = options_;
  b_support.api_key = CreateTestApiKey(db_.url(), b.merchant_id, v1::API_KEY_ROLE_SUPPORT);
  auto b_returns = v1::ReturnService::NewStub(client::MakeChannel(b_support));
  walk("returns.v1.ReturnService/ApproveReturn", grpc::StatusCode::NOT_FOUND,
       b_returns->ApproveReturn(client::MakeContext(b_support).get(), b_approve, &ret));
  v1::RejectReturnRequest b_reject;
  b_reject.set_request_id("b-reject");
  b_reject.set_return_id(a_return.return_id());
  b_reject.set_reason("not ours");
  walk("returns.v1.ReturnService/RejectReturn", grpc::StatusCode::NOT_FOUND,
       b_returns->RejectReturn(client::MakeContext(b_support).get(), b_reject, &ret));
  v1::ResolveReturnRequest b_resolve;
  b_resolve.set_request_id("b-resolve");
  b_resolve.set_return_id(a_return.return_id());
  b_resolve.set_note("not ours");
  walk("returns.v1.ReturnService/ResolveReturn", grpc::StatusCode::NOT_FOUND,
       b_returns->ResolveReturn(client::MakeContext(b_support).get(), b_resolve, &ret));

  auto b_logistics = v1::LogisticsService::NewStub(client::MakeChannel(b_admin));
  v1::Shipment shipment;
  v1::CreateReturnLabelRequest b_label;
  b_label.set_request_id("b-label");
  b_label.set_return_id(a_exchange_return.return_id());
  walk("returns.v1.LogisticsService/CreateReturnLabel", grpc::StatusCode::NOT_FOUND,
       b_logistics->CreateReturnLabel(admin_ctx().get(), b_label, &shipment));
  v1::VoidLabelRequest b_void;
  b_void.set_request_id("b-void");
  b_void.set_shipment_id(a_shipment_id);
  walk("returns.v1.LogisticsService/VoidLabel", grpc::StatusCode::NOT_FOUND,
       b_logistics->VoidLabel(admin_ctx().get(), b_void, &shipment));
  v1::ConfirmFulfillmentRequest b_confirm;
  b_confirm.set_request_id("b-confirm");
  b_confirm.set_shipment_id(a_shipment_id);
  b_confirm.set_carrier("sandbox");
  b_confirm.set_tracking_number("SBX-B");
  walk("returns.v1.LogisticsService/ConfirmFulfillment", grpc::StatusCode::NOT_FOUND,
       b_logistics->ConfirmFulfillment(admin_ctx().get(), b_confirm, &shipment));
  v1::GetShipmentRequest b_get_shipment;
  b_get_shipment.set_shipment_id(a_shipment_id);
  walk("returns.v1.LogisticsService/GetShipment", grpc::StatusCode::NOT_FOUND,
       b_logistics->GetShipment(admin_ctx().get(), b_get_shipment, &shipment));
  v1::ListShipmentsResponse b_shipments;
  walk("returns.v1.LogisticsService/ListShipments", grpc::StatusCode::OK,
       b_logistics->ListShipments(admin_ctx().get(), {}, &b_shipments));
  EXPECT_EQ(b_shipments.shipments_size(), 0);
  // B's carrier reporting A's tracking number finds no such parcel, and A's stays as it was.
  v1::RecordCarrierEventsRequest b_events;
  auto* b_event = b_events.add_events();
  b_event->set_carrier("sandbox");
  b_event->set_tracking_number(a_tracking);
  b_event->set_event_id("b-scan");
  b_event->set_code(v1::CARRIER_EVENT_CODE_DELIVERED);
  b_event->mutable_event_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  v1::RecordCarrierEventsResponse b_recorded;
  walk("returns.v1.LogisticsService/RecordCarrierEvents", grpc::StatusCode::OK,
       b_logistics->RecordCarrierEvents(admin_ctx().get(), b_events, &b_recorded));
  ASSERT_EQ(b_recorded.results_size(), 1);
  EXPECT_EQ(b_recorded.results(0).outcome(), v1::CARRIER_EVENT_OUTCOME_UNKNOWN_TRACKING_NUMBER);
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT state FROM shipments"), "LABEL_CREATED");

  v1::ListJobsResponse b_jobs;
  walk("returns.v1.AdminService/ListJobs", grpc::StatusCode::OK,
       admin->ListJobs(admin_ctx().get(), {}, &b_jobs));
  EXPECT_EQ(b_jobs.jobs_size(), 0);
  v1::RetryJobRequest b_retry;
  b_retry.set_request_id("b-retry");
  b_retry.set_job_id(a_job_id);
  v1::Job job;
  walk("returns.v1.AdminService/RetryJob", grpc::StatusCode::NOT_FOUND,
       admin->RetryJob(admin_ctx().get(), b_retry, &job));

  {
    client::ClientOptions watch_options = b_store;
    watch_options.timeout = absl::Seconds(5);
    auto watch_context = client::MakeContext(watch_options);
    v1::WatchTimelineRequest watch;
    watch.set_order_id("2002");
    auto reader = v1::TimelineService::NewStub(client::MakeChannel(b_store))
                      ->WatchTimeline(watch_context.get(), watch);
    v1::TimelineEvent event;
    int received = 0;
    while (reader->Read(&event)) ++received;
    walk("returns.v1.TimelineService/WatchTimeline", grpc::StatusCode::NOT_FOUND, reader->Finish());
    EXPECT_EQ(received, 0);
  }

  // Claims: A's order 3003 was delivered and A filed a damaged-item claim with a photo.
  std::string a_claim_id, a_evidence_id, a_decision_id;
  {
    client::ClientOptions a_admin = options_;
    a_admin.api_key = admin_key_;
    v1::UpsertOrderRequest with_parcel = SampleOrder("3003");
    v1::OrderShipment* parcel = with_parcel.add_shipments();
    parcel->set_carrier("sandbox");
    parcel->set_tracking_number("TRK-A-3003");
    parcel->mutable_promise_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    parcel->add_lines()->set_order_line_id("L1");
    parcel->mutable_lines(0)->set_quantity(1);
    ASSERT_TRUE(Upsert(with_parcel).ok());
    v1::RecordCarrierEventsRequest delivered;
    auto* scan = delivered.add_events();
    scan->set_carrier("sandbox");
    scan->set_tracking_number("TRK-A-3003");
    scan->set_event_id("a-delivered");
    scan->set_code(v1::CARRIER_EVENT_CODE_DELIVERED);
    scan->mutable_event_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 60);
    v1::RecordCarrierEventsResponse recorded;
    ASSERT_TRUE(v1::LogisticsService::NewStub(client::MakeChannel(a_admin))
                    ->RecordCarrierEvents(client::MakeContext(a_admin).get(), delivered, &recorded)
                    .ok());
    auto a_claims = v1::ClaimService::NewStub(client::MakeChannel(options_));
    v1::FileClaimRequest file;
    file.set_request_id("a-claim");
    file.set_order_id("3003");
    file.set_type(v1::CLAIM_TYPE_DAMAGED);
    file.add_lines()->set_order_line_id("L1");
    file.mutable_lines(0)->set_quantity(1);
    v1::Claim claim;
    grpc::Status filed = a_claims->FileClaim(Context().get(), file, &claim);
    ASSERT_TRUE(filed.ok()) << client::DescribeError(filed);
    a_claim_id = claim.claim_id();
    v1::AddClaimEvidenceRequest photo;
    photo.set_request_id("a-photo");
    photo.set_claim_id(a_claim_id);
    photo.set_file_name("a.png");
    photo.set_data(PhotoBytes(128));
    photo.set_last(true);
    v1::ClaimEvidence evidence;
    ASSERT_TRUE(a_claims->AddClaimEvidence(Context().get(), photo, &evidence).ok());
    a_evidence_id = evidence.evidence_id();
    a_decision_id = QueryScalar(
        db_.url(), "SELECT decision_id FROM decisions WHERE kind = 'claim_adjudication'");
    ASSERT_FALSE(a_decision_id.empty());
  }
  {
    auto b_claims = v1::ClaimService::NewStub(client::MakeChannel(b_store));
    auto b_claims_support = v1::ClaimService::NewStub(client::MakeChannel(b_support));
    v1::Claim claim;
    v1::FileClaimRequest file;
    file.set_request_id("b-claim");
    file.set_order_id("3003");
    file.set_type(v1::CLAIM_TYPE_DAMAGED);
    file.add_lines()->set_order_line_id("L1");
    file.mutable_lines(0)->set_quantity(1);
    walk("returns.v1.ClaimService/FileClaim", grpc::StatusCode::NOT_FOUND,
         b_claims->FileClaim(ctx().get(), file, &claim));
    v1::GetClaimRequest get;
    get.set_claim_id(a_claim_id);
    walk("returns.v1.ClaimService/GetClaim", grpc::StatusCode::NOT_FOUND,
         b_claims->GetClaim(ctx().get(), get, &claim));
    v1::ListClaimsResponse listed;
    walk("returns.v1.ClaimService/ListClaims", grpc::StatusCode::OK,
         b_claims->ListClaims(ctx().get(), {}, &listed));
    EXPECT_EQ(listed.claims_size(), 0);
    v1::AddClaimEvidenceRequest photo;
    photo.set_request_id("b-photo");
    photo.set_claim_id(a_claim_id);
    photo.set_data(PhotoBytes(128));
    photo.set_last(true);
    v1::ClaimEvidence evidence;
    walk("returns.v1.ClaimService/AddClaimEvidence", grpc::StatusCode::NOT_FOUND,
         b_claims->AddClaimEvidence(ctx().get(), photo, &evidence));
    // A's upload named under B's claim id space: also not found.
    photo.set_request_id("b-photo-2");
    photo.set_evidence_id(a_evidence_id);
    photo.set_offset(72);
    EXPECT_EQ(b_claims->AddClaimEvidence(ctx().get(), photo, &evidence).error_code(),
              grpc::StatusCode::NOT_FOUND);
    v1::DownloadClaimEvidenceRequest download;
    download.set_evidence_id(a_evidence_id);
    v1::DownloadClaimEvidenceResponse bytes;
    walk("returns.v1.ClaimService/DownloadClaimEvidence", grpc::StatusCode::NOT_FOUND,
         b_claims->DownloadClaimEvidence(ctx().get(), download, &bytes));
    EXPECT_TRUE(bytes.data().empty());
    v1::ReviewClaimRequest review;
    review.set_request_id("b-review");
    review.set_claim_id(a_claim_id);
    review.set_action(v1::REVIEW_ACTION_DENY);
    review.set_reason("not ours");
    walk("returns.v1.ClaimService/ReviewClaim", grpc::StatusCode::NOT_FOUND,
         b_claims_support->ReviewClaim(client::MakeContext(b_support).get(), review, &claim));
    v1::OverrideDecisionRequest override_request;
    override_request.set_request_id("b-override");
    override_request.set_decision_id(a_decision_id);
    override_request.set_outcome(v1::DECISION_OUTCOME_DENIED);
    override_request.set_reason("not ours");
    v1::Decision decision;
    walk("returns.v1.AdminService/OverrideDecision", grpc::StatusCode::NOT_FOUND,
         admin->OverrideDecision(admin_ctx().get(), override_request, &decision));
    EXPECT_EQ(
        QueryScalar(db_.url(), "SELECT count(*) FROM decisions WHERE override_outcome IS NOT NULL"),
        "0");
  }

  // A money movement: order 4004's return received in good condition resolves with a refund.
  std::string a_movement_id;
  {
    ASSERT_TRUE(Upsert(SampleOrder("4004", 1)).ok());
    v1::Return refunded;
    ASSERT_TRUE(Create(SampleReturn("4004", "L1", 1), &refunded).ok());
    client::ClientOptions a_carrier = options_;
    a_carrier.api_key = CreateTestApiKey(db_.url(), merchant_id_, v1::API_KEY_ROLE_CARRIER);
    v1::ReceiveReturnRequest receive;
    receive.set_request_id("a-receive-4004");
    receive.set_return_id(refunded.return_id());
    auto* item = receive.add_items();
    item->set_order_line_id("L1");
    item->set_condition(v1::ITEM_CONDITION_OK);
    grpc::Status received =
        v1::ReturnService::NewStub(client::MakeChannel(a_carrier))
            ->ReceiveReturn(client::MakeContext(a_carrier).get(), receive, &refunded);
    ASSERT_TRUE(received.ok()) << client::DescribeError(received);
    ASSERT_EQ(refunded.state(), v1::RETURN_STATE_RESOLVED);
    v1::ListMoneyMovementsRequest list;
    list.set_order_id("4004");
    v1::ListMoneyMovementsResponse movements;
    ASSERT_TRUE(v1::MoneyService::NewStub(client::MakeChannel(options_))
                    ->ListMoneyMovements(Context().get(), list, &movements)
                    .ok());
    ASSERT_EQ(movements.movements_size(), 1);
    EXPECT_EQ(movements.movements(0).kind(), v1::MONEY_MOVEMENT_KIND_REFUND);
    a_movement_id = movements.movements(0).movement_id();
  }

  // Money movements: B's keys reach none of A's; A's refund stays REQUESTED.
  {
    auto b_money = v1::MoneyService::NewStub(client::MakeChannel(b_store));
    auto b_money_support = v1::MoneyService::NewStub(client::MakeChannel(b_support));
    v1::MoneyMovement movement;
    v1::GetMoneyMovementRequest get;
    get.set_movement_id(a_movement_id);
    walk("returns.v1.MoneyService/GetMoneyMovement", grpc::StatusCode::NOT_FOUND,
         b_money->GetMoneyMovement(ctx().get(), get, &movement));
    v1::ListMoneyMovementsRequest list;
    list.set_order_id("4004");
    v1::ListMoneyMovementsResponse listed;
    walk("returns.v1.MoneyService/ListMoneyMovements", grpc::StatusCode::OK,
         b_money->ListMoneyMovements(ctx().get(), list, &listed));
    EXPECT_EQ(listed.movements_size(), 0);
    listed.Clear();
    ASSERT_TRUE(b_money->ListMoneyMovements(ctx().get(), {}, &listed).ok());
    EXPECT_EQ(listed.movements_size(), 0);
    v1::ReportMoneyMovementOutcomeRequest report;
    report.set_request_id("b-money-outcome");
    report.set_movement_id(a_movement_id);
    report.set_outcome(v1::MONEY_MOVEMENT_STATE_SUCCEEDED);
    walk("returns.v1.MoneyService/ReportMoneyMovementOutcome", grpc::StatusCode::NOT_FOUND,
         b_money->ReportMoneyMovementOutcome(ctx().get(), report, &movement));
    v1::RetryMoneyMovementRequest retry;
    retry.set_request_id("b-money-retry");
    retry.set_movement_id(a_movement_id);
    walk("returns.v1.MoneyService/RetryMoneyMovement", grpc::StatusCode::NOT_FOUND,
         b_money_support->RetryMoneyMovement(client::MakeContext(b_support).get(), retry,
                                             &movement));
    v1::CancelMoneyMovementRequest cancel_movement;
    cancel_movement.set_request_id("b-money-cancel");
    cancel_movement.set_movement_id(a_movement_id);
    cancel_movement.set_reason("not ours");
    walk("returns.v1.MoneyService/CancelMoneyMovement", grpc::StatusCode::NOT_FOUND,
         b_money_support->CancelMoneyMovement(client::MakeContext(b_support).get(), cancel_movement,
                                              &movement));
    v1::MoneyMovement a_movement;
    ASSERT_TRUE(v1::MoneyService::NewStub(client::MakeChannel(options_))
                    ->GetMoneyMovement(Context().get(), get, &a_movement)
                    .ok());
    EXPECT_EQ(a_movement.state(), v1::MONEY_MOVEMENT_STATE_REQUESTED);
    EXPECT_EQ(a_movement.attempt(), 1);
  }

  // Webhook endpoints: B's ADMIN key reaches none of A's; A's stays as it was.
  {
    client::ClientOptions a_admin = options_;
    a_admin.api_key = admin_key_;
    auto a_webhooks = v1::WebhookService::NewStub(client::MakeChannel(a_admin));
    v1::CreateWebhookEndpointRequest create;
    create.set_request_id("a-webhook");
    create.set_url("http://127.0.0.1:9/a-hooks");
    v1::CreateWebhookEndpointResponse a_created;
    ASSERT_TRUE(
        a_webhooks->CreateWebhookEndpoint(client::MakeContext(a_admin).get(), create, &a_created)
            .ok());
    const std::string a_endpoint_id = a_created.endpoint().endpoint_id();
    auto b_webhooks = v1::WebhookService::NewStub(client::MakeChannel(b_admin));
    v1::CreateWebhookEndpointRequest b_create;
    b_create.set_request_id("b-webhook");
    b_create.set_url("http://127.0.0.1:9/b-hooks");
    v1::CreateWebhookEndpointResponse b_created;
    walk("returns.v1.WebhookService/CreateWebhookEndpoint", grpc::StatusCode::OK,
         b_webhooks->CreateWebhookEndpoint(admin_ctx().get(), b_create, &b_created));
    EXPECT_NE(b_created.endpoint().endpoint_id(), a_endpoint_id);
    v1::ListWebhookEndpointsResponse listed;
    walk("returns.v1.WebhookService/ListWebhookEndpoints", grpc::StatusCode::OK,
         b_webhooks->ListWebhookEndpoints(admin_ctx().get(), {}, &listed));
    ASSERT_EQ(listed.endpoints_size(), 1);
    EXPECT_EQ(listed.endpoints(0).endpoint_id(), b_created.endpoint().endpoint_id());
    v1::WebhookEndpoint endpoint;
    v1::UpdateWebhookEndpointRequest update;
    update.set_request_id("b-webhook-update");
    update.mutable_endpoint()->set_endpoint_id(a_endpoint_id);
    update.mutable_endpoint()->set_enabled(false);
    update.mutable_update_mask()->add_paths("enabled");
    walk("returns.v1.WebhookService/UpdateWebhookEndpoint", grpc::StatusCode::NOT_FOUND,
         b_webhooks->UpdateWebhookEndpoint(admin_ctx().get(), update, &endpoint));
    v1::RotateWebhookSecretRequest rotate;
    rotate.set_request_id("b-webhook-rotate");
    rotate.set_endpoint_id(a_endpoint_id);
    v1::RotateWebhookSecretResponse rotated;
    walk("returns.v1.WebhookService/RotateWebhookSecret", grpc::StatusCode::NOT_FOUND,
         b_webhooks->RotateWebhookSecret(admin_ctx().get(), rotate, &rotated));
    v1::ListWebhookDeliveriesRequest deliveries;
    deliveries.set_endpoint_id(a_endpoint_id);
    v1::ListWebhookDeliveriesResponse delivered;
    walk("returns.v1.WebhookService/ListWebhookDeliveries", grpc::StatusCode::NOT_FOUND,
         b_webhooks->ListWebhookDeliveries(admin_ctx().get(), deliveries, &delivered));
    v1::ReplayWebhookEventsRequest replay;
    replay.set_request_id("b-webhook-replay");
    replay.set_endpoint_id(a_endpoint_id);
    replay.set_from_sequence(1);
    replay.set_to_sequence(100);
    v1::ReplayWebhookEventsResponse replayed;
    walk("returns.v1.WebhookService/ReplayWebhookEvents", grpc::StatusCode::NOT_FOUND,
         b_webhooks->ReplayWebhookEvents(admin_ctx().get(), replay, &replayed));
    v1::DeleteWebhookEndpointRequest remove;
    remove.set_request_id("b-webhook-delete");
    remove.set_endpoint_id(a_endpoint_id);
    walk("returns.v1.WebhookService/DeleteWebhookEndpoint", grpc::StatusCode::NOT_FOUND,
         b_webhooks->DeleteWebhookEndpoint(admin_ctx().get(), remove, &endpoint));
    v1::ListWebhookEndpointsResponse a_listed;
    ASSERT_TRUE(
        a_webhooks->ListWebhookEndpoints(client::MakeContext(a_admin).get(), {}, &a_listed).ok());
    ASSERT_EQ(a_listed.endpoints_size(), 1);
    EXPECT_TRUE(a_listed.endpoints(0).enabled());
    EXPECT_EQ(a_listed.endpoints(0).previous_secret_expire_time().seconds(), 0);
  }

  // Carrier accounts: B sees and deletes none of A's.
  {
    client::ClientOptions a_admin = options_;
    a_admin.api_key = admin_key_;
    auto a_logistics = v1::LogisticsService::NewStub(client::MakeChannel(a_admin));
    v1::SetCarrierAccountRequest set;
    set.set_request_id("a-carrier-account");
    v1::CarrierAccount* account = set.mutable_account();
    account->set_carrier("easypost");
    account->set_api_key("EZTKa-test-key-0001");
    account->mutable_return_address()->set_line1("1 Returns Way");
    account->mutable_return_address()->set_city("Springfield");
    account->mutable_return_address()->set_postal_code("12345");
    account->mutable_return_address()->set_country_code("US");
    account->mutable_parcel()->set_weight_oz(16);
    v1::CarrierAccount a_account;
    ASSERT_TRUE(
        a_logistics->SetCarrierAccount(client::MakeContext(a_admin).get(), set, &a_account).ok());
    EXPECT_TRUE(a_account.api_key().empty());
    EXPECT_EQ(a_account.api_key_hint(), "0001");
    auto b_accounts = v1::LogisticsService::NewStub(client::MakeChannel(b_admin));
    v1::ListCarrierAccountsResponse b_listed;
    walk("returns.v1.LogisticsService/ListCarrierAccounts", grpc::StatusCode::OK,
         b_accounts->ListCarrierAccounts(admin_ctx().get(), {}, &b_listed));
    EXPECT_EQ(b_listed.accounts_size(), 0);
    v1::DeleteCarrierAccountRequest remove;
    remove.set_request_id("b-carrier-delete");
    remove.set_carrier("easypost");
    v1::CarrierAccount removed;
    walk("returns.v1.LogisticsService/DeleteCarrierAccount", grpc::StatusCode::NOT_FOUND,
         b_accounts->DeleteCarrierAccount(admin_ctx().get(), remove, &removed));
    v1::SetCarrierAccountRequest b_set = set;
    b_set.set_request_id("b-carrier-account");
    b_set.mutable_account()->set_api_key("EZTKb-test-key-0002");
    v1::CarrierAccount b_account;
    walk("returns.v1.LogisticsService/SetCarrierAccount", grpc::StatusCode::OK,
         b_accounts->SetCarrierAccount(admin_ctx().get(), b_set, &b_account));
    v1::ListCarrierAccountsResponse a_listed;
    ASSERT_TRUE(
        a_logistics->ListCarrierAccounts(client::MakeContext(a_admin).get(), {}, &a_listed).ok());
    ASSERT_EQ(a_listed.accounts_size(), 1);
    EXPECT_EQ(a_listed.accounts(0).api_key_hint(), "0001");
    EXPECT_NE(a_listed.accounts(0).webhook_path(), b_account.webhook_path());
  }

  // Policy: B reads, changes and lists only its own; A's stays as it was.
  {
    client::ClientOptions a_admin = options_;
    a_admin.api_key = admin_key_;
    v1::UpdatePolicyRequest a_update;
    a_update.set_request_id("a-policy");
    a_update.mutable_policy()->set_return_window_days(60);
    a_update.mutable_update_mask()->add_paths("return_window_days");
    v1::Policy a_policy;
    ASSERT_TRUE(v1::PolicyService::NewStub(client::MakeChannel(a_admin))
                    ->UpdatePolicy(client::MakeContext(a_admin).get(), a_update, &a_policy)
                    .ok());
    auto b_policies = v1::PolicyService::NewStub(client::MakeChannel(b_admin));
    v1::Policy policy;
    walk("returns.v1.PolicyService/GetPolicy", grpc::StatusCode::OK,
         b_policies->GetPolicy(admin_ctx().get(), {}, &policy));
    EXPECT_EQ(policy.return_window_days(), 30);
    EXPECT_EQ(policy.version(), 1);
    v1::GetPolicyRequest a_version;
    a_version.set_version(2);
    EXPECT_EQ(b_policies->GetPolicy(admin_ctx().get(), a_version, &policy).error_code(),
              grpc::StatusCode::NOT_FOUND);
    v1::ListPolicyVersionsResponse versions;
    walk("returns.v1.PolicyService/ListPolicyVersions", grpc::StatusCode::OK,
         b_policies->ListPolicyVersions(admin_ctx().get(), {}, &versions));
    ASSERT_EQ(versions.versions_size(), 1);
    EXPECT_EQ(versions.versions(0).actor(), "default");
    v1::UpdatePolicyRequest b_update;
    b_update.set_request_id("b-policy");
    b_update.mutable_policy()->set_return_window_days(7);
    b_update.mutable_update_mask()->add_paths("return_window_days");
    walk("returns.v1.PolicyService/UpdatePolicy", grpc::StatusCode::OK,
         b_policies->UpdatePolicy(admin_ctx().get(), b_update, &policy));
    EXPECT_EQ(
        QueryScalar(db_.url(), "SELECT return_window_days FROM policies WHERE merchant_id = '" +
                                   merchant_id_ + "'"),
        "60");
  }

  // KPIs: B's figures count nothing of A's (which has orders, returns and claims by now).
  {
    client::ClientOptions a_admin = options_;
    a_admin.api_key = admin_key_;
    v1::Kpis a_kpis;
    ASSERT_TRUE(v1::AnalyticsService::NewStub(client::MakeChannel(a_admin))
                    ->GetKpis(client::MakeContext(a_admin).get(), {}, &a_kpis)
                    .ok());
    EXPECT_GT(a_kpis.totals().orders(), 0);
    EXPECT_GT(a_kpis.totals().returns(), 0);
    v1::Kpis kpis;
    walk("returns.v1.AnalyticsService/GetKpis", grpc::StatusCode::OK,
         v1::AnalyticsService::NewStub(client::MakeChannel(b_admin))
             ->GetKpis(admin_ctx().get(), {}, &kpis));
    EXPECT_EQ(kpis.totals().orders(), 0);
    EXPECT_EQ(kpis.totals().returns(), 0);
    EXPECT_EQ(kpis.totals().claims_filed(), 0);
    EXPECT_EQ(kpis.daily_size(), 30);
  }

  // Writing an order with A's order_id makes B's own order; A's stays as it was.
  v1::UpsertOrderRequest b_order = SampleOrder("1001", 1);
  walk("returns.v1.OrderService/UpsertOrder", grpc::StatusCode::OK,
       stubs.orders->UpsertOrder(ctx().get(), b_order, &order));

  // A's data is untouched, and A still sees it all.
  v1::Order a_order;
  ASSERT_TRUE(stubs_.orders->GetOrder(Context().get(), get_order, &a_order).ok());
  EXPECT_EQ(a_order.lines(0).quantity(), 3);
  EXPECT_EQ(a_order.lines(0).returned_quantity(), 1);
  EXPECT_EQ(a_order.etag(), "\"1\"");
  get_return.set_return_id(a_return.return_id());
  ASSERT_TRUE(stubs_.returns->GetReturn(Context().get(), get_return, &ret).ok());
  EXPECT_EQ(ret.state(), v1::RETURN_STATE_REQUESTED);
  ASSERT_TRUE(stubs_.orders->ListOrders(Context().get(), {}, &orders).ok());  // A's key still works
  client::ClientOptions a_admin = options_;
  a_admin.api_key = admin_key_;
  decisions.Clear();
  ASSERT_TRUE(v1::AdminService::NewStub(client::MakeChannel(a_admin))
                  ->ListDecisions(client::MakeContext(a_admin).get(), {}, &decisions)
                  .ok());
  EXPECT_EQ(decisions.decisions_size(), 3);  // the inserted one, the token's approval, the claim's

  // Every method the server offers was walked (or only ever creates the caller's own data).
  // (RETURNS_SERVICE_PROTOS lists proto/returns/v1/*_service.proto, so a new service counts too.)
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (absl::string_view file_name : absl::StrSplit(RETURNS_SERVICE_PROTOS, ',')) {
    const auto* file = pool->FindFileByName(std::string(file_name));
    ASSERT_NE(file, nullptr) << file_name << ": include its .grpc.pb.h here and walk its methods";
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const std::string method = service->full_name() + "/" + service->method(m)->name();
        EXPECT_TRUE(walked.count(method) || kCreateOnly.count(method))
            << method << " is not covered by the isolation walk";
      }
    }
  }
}

}  // namespace
}  // namespace returns::testing
