// The edge of the contract, where client code lives: strings a client may cut or garble, times a
// client checks for presence, logs a client never sees, and the audit log's resource names.
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/impl/codegen/client_unary_call.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "exchange_fixture.h"
#include "journey_fixture.h"
#include "returns/v1/admin_service.grpc.pb.h"
#include "returns/v1/exchange_service.grpc.pb.h"
#include "returns/v1/inventory_service.grpc.pb.h"

namespace returns::testing {
namespace {

class ContractHygieneTest : public JourneyTest {
 protected:
  static void ExpectFieldRefused(const grpc::Status& status, const std::string& field) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << client::DescribeError(status);
    EXPECT_EQ(Field(status), field) << client::DescribeError(status);
    EXPECT_EQ(Reason(status), "INVALID_FIELD") << client::DescribeError(status);
  }

  client::ClientOptions Admin() const {
    client::ClientOptions admin = options_;
    admin.api_key = admin_key_;
    return admin;
  }

  std::vector<v1::Decision> Decisions(const std::string& subject) {
    v1::ListDecisionsRequest request;
    request.set_subject(subject);
    v1::ListDecisionsResponse response;
    grpc::Status status =
        v1::AdminService::NewStub(client::MakeChannel(Admin()))
            ->ListDecisions(client::MakeContext(Admin()).get(), request, &response);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return {response.decisions().begin(), response.decisions().end()};
  }

  std::string KeyIdOf(v1::ApiKeyRole role) {
    return QueryScalar(db_.url(), "SELECT key_id FROM api_keys WHERE role = '" +
                                      v1::ApiKeyRole_Name(role).substr(13) + "' LIMIT 1");
  }

  v1::Return Get(const std::string& return_id) {
    v1::GetReturnRequest request;
    request.set_return_id(return_id);
    v1::Return ret;
    EXPECT_TRUE(stubs_.returns->GetReturn(Context().get(), request, &ret).ok());
    return ret;
  }
};

// Every Timestamp field set anywhere in `message` is a real time, not the epoch of an unset one.
void ExpectNoEpochTimes(const google::protobuf::Message& message, const std::string& path = "") {
  const auto* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      const auto& child = field->is_repeated() ? reflection->GetRepeatedMessage(message, field, i)
                                               : reflection->GetMessage(message, field);
      const std::string at = path + field->name();
      if (field->message_type()->full_name() == "google.protobuf.Timestamp") {
        const auto& t = static_cast<const google::protobuf::Timestamp&>(child);
        EXPECT_GT(t.seconds(), 1700000000)
            << message.GetTypeName() << "." << at << " is set to an unset time";
      } else {
        ExpectNoEpochTimes(child, at + ".");
      }
    }
  }
}

// --- 1. strings -----------------------------------------------------------------------------

TEST_F(ContractHygieneTest, NulInAnyStringIsRefusedNamingTheFieldAndNothingIsStored) {
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());

  v1::CreateReturnRequest note = SampleReturn("1001");
  note.mutable_lines(0)->set_reason_note(std::string("too\0small", 9));
  ExpectFieldRefused(Create(note), "lines[0].reason_note");

  v1::UpsertOrderRequest title = SampleOrder("1002");
  title.mutable_order()->mutable_lines(1)->set_title(std::string("Tee\0", 4));
  ExpectFieldRefused(Upsert(title), "order.lines[1].title");

  v1::UpsertOrderRequest address = SampleOrder("1003");
  address.mutable_order()->mutable_shipping_address()->set_line1(
      std::string("Hidden Lane 42\0x", 16));
  ExpectFieldRefused(Upsert(address), "order.shipping_address.line1");

  v1::UpsertOrderRequest attribute = SampleOrder("1004");
  (*attribute.mutable_order()->mutable_lines(0)->mutable_variant_attributes())["size"] =
      std::string("S\0", 2);
  ExpectFieldRefused(Upsert(attribute), "order.lines[0].variant_attributes.value");

  v1::UpsertOrderRequest email = SampleOrder("1005");
  email.mutable_order()->set_customer_email(std::string("nul\0@example.com", 16));
  ExpectFieldRefused(Upsert(email), "order.customer_email");

  v1::CreateApiKeyRequest key;
  key.set_request_id(client::NewRequestId());
  key.set_display_name(std::string("ops\0team", 8));
  key.set_role(v1::API_KEY_ROLE_SUPPORT);
  v1::CreateApiKeyResponse created;
  ExpectFieldRefused(v1::AdminService::NewStub(client::MakeChannel(Admin()))
                         ->CreateApiKey(client::MakeContext(Admin()).get(), key, &created),
                     "display_name");

  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM orders"), "1");
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns"), "0");
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM api_keys WHERE display_name LIKE 'ops%'"),
            "0");
}

TEST_F(ContractHygieneTest, InvalidUtf8IsRefusedNamingTheFieldWithErrorDetails) {
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  // What a JavaScript client sends after substring() cut an emoji in half (a lone surrogate),
  // and the same emoji cut by bytes.
  for (const std::string& broken : {std::string("too small \xed\xa0\xbd"),
                                    std::string("too small \xf0\x9f"), std::string("\xff")}) {
    v1::CreateReturnRequest request = SampleReturn("1001", "L1", 1);
    request.add_lines()->CopyFrom(request.lines(0));
    request.mutable_lines(1)->set_order_line_id("L2");
    request.mutable_lines(1)->set_reason_note(broken);
    ExpectFieldRefused(Create(request), "lines[1].reason_note");
  }

  v1::UpsertOrderRequest order = SampleOrder("1002");
  (*order.mutable_order()->mutable_lines(0)->mutable_variant_attributes())["\xc3"] = "S";
  ExpectFieldRefused(Upsert(order), "order.lines[0].variant_attributes.key");

  // A stream's request goes through the same decoding.
  v1::WatchTimelineRequest watch;
  watch.set_order_id("10\xfe");
  auto context = Context();
  auto reader = stubs_.timeline->WatchTimeline(context.get(), watch);
  v1::TimelineEvent event;
  EXPECT_FALSE(reader->Read(&event));
  ExpectFieldRefused(reader->Finish(), "order_id");
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns"), "0");
}

TEST_F(ContractHygieneTest, ControlCharactersAndMalformedEmailAddressesAreRefused) {
  v1::UpsertOrderRequest bell = SampleOrder("1001");
  bell.mutable_order()->mutable_shipping_address()->set_city("Lon\adon");
  ExpectFieldRefused(Upsert(bell), "order.shipping_address.city");

  for (const char* address :
       {"ada", "ada@", "@example.com", "ada@example", "ada lovelace@example.com",
        "ada@@example.com", "<ada@example.com>", "ada@example.com."}) {
    v1::UpsertOrderRequest order = SampleOrder("1002");
    order.mutable_order()->set_customer_email(address);
    ExpectFieldRefused(Upsert(order), "order.customer_email");
  }
  v1::UpsertOrderRequest fine = SampleOrder("1003");
  fine.mutable_order()->set_customer_email("jürgen.o'neil+returns@example.co.uk");
  EXPECT_TRUE(Upsert(fine).ok());
  // Free text keeps its line breaks and tabs.
  v1::CreateReturnRequest note = SampleReturn("1003");
  note.mutable_lines(0)->set_reason_note("Too small.\n\tOrdered M next time.\r\n");
  EXPECT_TRUE(Create(note).ok());
}

// --- 3. logs --------------------------------------------------------------------------------

TEST_F(ContractHygieneTest, EveryCallIsLoggedAsJsonRefusedOnesIncludedAndNeverAnAddress) {
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  v1::UpsertOrderRequest address = SampleOrder("1002");
  address.mutable_order()->mutable_shipping_address()->set_line1(
      std::string("Hidden Lane 42\0", 15));
  ExpectFieldRefused(Upsert(address), "order.shipping_address.line1");
  v1::CreateReturnRequest broken = SampleReturn("1001");
  broken.mutable_lines(0)->set_reason_note("\xed\xa0\xbd");
  ExpectFieldRefused(Create(broken), "lines[0].reason_note");

  // A method the contract does not have: gRPC refuses it before any handler runs.
  auto channel = client::MakeChannel(options_);
  grpc::Slice nothing("");
  grpc::ByteBuffer empty_request(&nothing, 1);
  grpc::ByteBuffer response;
  auto context = Context();
  grpc::Status unknown = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
      channel.get(),
      grpc::internal::RpcMethod("/returns.v1.ReturnService/Nonexistent",
                                grpc::internal::RpcMethod::NORMAL_RPC),
      context.get(), empty_request, &response);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  ASSERT_EQ(server_->Terminate(), 0);
  const std::string logs = server_->logs();
  std::map<std::string, std::vector<std::string>> statuses;  // method -> statuses of its rpc lines
  for (absl::string_view line : absl::StrSplit(logs, '\n', absl::SkipEmpty())) {
    auto json = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(json.is_object()) << "not a JSON object: " << line;
    if (json.value("msg", "") == "rpc") {
      statuses[json.value("method", "")].push_back(json.value("status", ""));
      EXPECT_TRUE(json.contains("latency_ms")) << line;
    }
  }
  EXPECT_EQ(statuses["returns.v1.OrderService/UpsertOrder"],
            (std::vector<std::string>{"OK", "INVALID_ARGUMENT"}));
  EXPECT_EQ(statuses["returns.v1.ReturnService/CreateReturn"],
            (std::vector<std::string>{"INVALID_ARGUMENT"}));
  EXPECT_EQ(statuses["returns.v1.ReturnService/Nonexistent"],
            (std::vector<std::string>{"UNIMPLEMENTED"}));
  EXPECT_EQ(logs.find("Hidden Lane"), std::string::npos);
  EXPECT_EQ(logs.find("[libprotobuf"), std::string::npos);
}

// --- 4. unset times -------------------------------------------------------------------------

TEST_F(ContractHygieneTest, UnsetTimesAreAbsentFromEveryResource) {
  v1::UpsertOrderRequest undelivered = SampleOrder("1001");
  undelivered.mutable_order()->clear_delivered_time();
  undelivered.mutable_order()->clear_order_time();
  v1::Order order;
  ASSERT_TRUE(Upsert(undelivered, &order).ok());
  EXPECT_FALSE(order.has_delivered_time());
  EXPECT_FALSE(order.has_order_time());
  v1::GetOrderRequest get_order;
  get_order.set_order_id("1001");
  ASSERT_TRUE(stubs_.orders->GetOrder(Context().get(), get_order, &order).ok());
  EXPECT_FALSE(order.has_delivered_time());
  EXPECT_FALSE(order.has_order_time());
  ExpectNoEpochTimes(order);

  // An exchange token just issued has no charge deadline yet; a label without carrier scans has
  // no last event time.
  QueryScalar(db_.url(), "UPDATE policies SET auto_approve_max_minor = 1000000");
  ASSERT_TRUE(Upsert(ExchangeOrder("2001")).ok());
  v1::SetInventoryLevelsResponse levels;
  auto inventory = v1::InventoryService::NewStub(client::MakeChannel(options_));
  ASSERT_TRUE(inventory->SetInventoryLevels(Context().get(), ReplacementStock(5), &levels).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(ExchangeReturn("2001"), &ret).ok());
  auto exchanges = v1::ExchangeService::NewStub(client::MakeChannel(options_));
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(
      exchanges->IssueExchangeToken(Context().get(), IssueRequest(ret.return_id()), &issued).ok());
  EXPECT_EQ(issued.exchange_token().state(), v1::EXCHANGE_TOKEN_STATE_ISSUED);
  EXPECT_FALSE(issued.exchange_token().has_charge_deadline());
  EXPECT_FALSE(issued.exchange_token().has_transit_deadline());
  v1::GetExchangeTokenRequest get_token;
  get_token.set_exchange_token_id(issued.exchange_token().exchange_token_id());
  v1::ExchangeToken token;
  ASSERT_TRUE(exchanges->GetExchangeToken(Context().get(), get_token, &token).ok());
  EXPECT_FALSE(token.has_charge_deadline());
  ExpectNoEpochTimes(issued);
  ExpectNoEpochTimes(token);

  const v1::Shipment label = WaitForLabel(ret.return_id());
  EXPECT_FALSE(label.has_last_event_time());
  ExpectNoEpochTimes(label);
  ExpectNoEpochTimes(Get(ret.return_id()));
  EXPECT_FALSE(Get(ret.return_id()).has_resolve_time());
  ExpectNoEpochTimes(levels);
  for (const auto& event : Timeline("2001")) ExpectNoEpochTimes(event);
  for (const auto& decision : Decisions("")) ExpectNoEpochTimes(decision);

  auto admin = v1::AdminService::NewStub(client::MakeChannel(Admin()));
  v1::ListApiKeysResponse keys;
  ASSERT_TRUE(
      admin->ListApiKeys(client::MakeContext(Admin()).get(), v1::ListApiKeysRequest(), &keys).ok());
  for (const auto& key : keys.api_keys()) EXPECT_FALSE(key.has_revoke_time()) << key.key_id();
  ExpectNoEpochTimes(keys);
  v1::ListJobsResponse jobs;
  ASSERT_TRUE(
      admin->ListJobs(client::MakeContext(Admin()).get(), v1::ListJobsRequest(), &jobs).ok());
  ExpectNoEpochTimes(jobs);
}

// --- 5. audit names -------------------------------------------------------------------------

TEST_F(ContractHygieneTest, AnAutomaticApprovalIsFoundUnderTheReturnsResourceName) {
  QueryScalar(db_.url(), "UPDATE policies SET auto_approve_max_minor = 1000000");
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("1001"), &ret).ok());
  auto decisions = Decisions("returns/" + ret.return_id());
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].kind(), "return_approval");
  EXPECT_EQ(decisions[0].subject(), "returns/" + ret.return_id());
  EXPECT_EQ(decisions[0].outcome(), v1::DECISION_OUTCOME_APPROVED);
  EXPECT_EQ(decisions[0].override_outcome(), v1::DECISION_OUTCOME_UNSPECIFIED);
}

TEST_F(ContractHygieneTest, ApprovingAnEscalatedReturnRecordsTheOverrideOnItsDecision) {
  QueryScalar(db_.url(), "UPDATE policies SET auto_approve_max_minor = 1");
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("1001"), &ret).ok());
  auto decisions = Decisions("returns/" + ret.return_id());
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].outcome(), v1::DECISION_OUTCOME_ESCALATED);

  v1::ApproveReturnRequest approve;
  approve.set_request_id(client::NewRequestId());
  approve.set_return_id(ret.return_id());
  approve.set_note("loyal customer");
  v1::Return approved;
  ASSERT_TRUE(v1::ReturnService::NewStub(client::MakeChannel(At(support_)))
                  ->ApproveReturn(client::MakeContext(At(support_)).get(), approve, &approved)
                  .ok());
  decisions = Decisions("returns/" + ret.return_id());
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].outcome(), v1::DECISION_OUTCOME_ESCALATED);
  EXPECT_EQ(decisions[0].override_outcome(), v1::DECISION_OUTCOME_APPROVED);
  EXPECT_EQ(decisions[0].override_actor(), "api_keys/" + KeyIdOf(v1::API_KEY_ROLE_SUPPORT));
  EXPECT_EQ(decisions[0].override_note(), "loyal customer");
}

TEST_F(ContractHygieneTest, RejectingAnEscalatedReturnRecordsADenialOnItsDecision) {
  QueryScalar(db_.url(), "UPDATE policies SET auto_approve_max_minor = 1");
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("1001"), &ret).ok());
  v1::RejectReturnRequest reject;
  reject.set_request_id(client::NewRequestId());
  reject.set_return_id(ret.return_id());
  reject.set_reason("worn");
  v1::Return rejected;
  ASSERT_TRUE(v1::ReturnService::NewStub(client::MakeChannel(At(support_)))
                  ->RejectReturn(client::MakeContext(At(support_)).get(), reject, &rejected)
                  .ok());
  auto decisions = Decisions("returns/" + ret.return_id());
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].override_outcome(), v1::DECISION_OUTCOME_DENIED);
  EXPECT_EQ(decisions[0].override_note(), "worn");
}

TEST_F(ContractHygieneTest, AReceiptEscalationAndItsResolutionAreFoundUnderTheReturnsName) {
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("1001"), &ret).ok());
  Approve(ret.return_id());
  Receive(ret.return_id(), "L1", v1::ITEM_CONDITION_DAMAGED);
  auto decisions = Decisions("returns/" + ret.return_id());
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].kind(), "return_resolution");
  EXPECT_EQ(decisions[0].outcome(), v1::DECISION_OUTCOME_ESCALATED);

  v1::ResolveReturnRequest resolve;
  resolve.set_request_id(client::NewRequestId());
  resolve.set_return_id(ret.return_id());
  resolve.set_note("refund anyway");
  v1::Return resolved;
  grpc::Status status =
      v1::ReturnService::NewStub(client::MakeChannel(At(support_)))
          ->ResolveReturn(client::MakeContext(At(support_)).get(), resolve, &resolved);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  decisions = Decisions("returns/" + ret.return_id());
  ASSERT_EQ(decisions.size(), 2u);  // newest first: the person's resolution, then the escalation
  EXPECT_EQ(decisions[0].rule_version(), "manual");
  EXPECT_EQ(decisions[1].outcome(), v1::DECISION_OUTCOME_ESCALATED);
  EXPECT_EQ(decisions[1].override_outcome(), v1::DECISION_OUTCOME_APPROVED);
  EXPECT_EQ(decisions[1].override_note(), "refund anyway");
}

TEST_F(ContractHygieneTest, AnInstantExchangeIsFoundUnderTheTokensResourceName) {
  ASSERT_TRUE(Upsert(ExchangeOrder("2001")).ok());
  v1::SetInventoryLevelsResponse levels;
  ASSERT_TRUE(v1::InventoryService::NewStub(client::MakeChannel(options_))
                  ->SetInventoryLevels(Context().get(), ReplacementStock(5), &levels)
                  .ok());
  v1::Return ret;
  ASSERT_TRUE(Create(ExchangeReturn("2001"), &ret).ok());
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(v1::ExchangeService::NewStub(client::MakeChannel(options_))
                  ->IssueExchangeToken(Context().get(), IssueRequest(ret.return_id()), &issued)
                  .ok());
  auto decisions = Decisions("exchange_tokens/" + issued.exchange_token().exchange_token_id());
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].kind(), "instant_exchange");
}

TEST_F(ContractHygieneTest, ASubjectThatIsNotAResourceNameIsRefused) {
  v1::ListDecisionsRequest request;
  request.set_subject("4f1c2b9e-0000-4000-8000-000000000000");
  v1::ListDecisionsResponse response;
  ExpectFieldRefused(v1::AdminService::NewStub(client::MakeChannel(Admin()))
                         ->ListDecisions(client::MakeContext(Admin()).get(), request, &response),
                     "subject");
}

TEST_F(ContractHygieneTest, TheMigrationRenamesReturnDecisionsWrittenUnderTheBareId) {
  QueryScalar(
      db_.url(),
      "INSERT INTO decisions (merchant_id, kind, subject, rule_version, outcome) VALUES ('" +
          merchant_id_ + "', 'return_approval', 'abc', 'r', 'ESCALATED'), ('" + merchant_id_ +
          "', 'instant_exchange', 'exchange_tokens/t1', 'r', 'APPROVED')");
  std::ifstream file(std::string(RETURNS_SOURCE_DIR) +
                     "/migrations/V0017__decision_subjects_as_resource_names.sql");
  std::stringstream sql;
  sql << file.rdbuf();
  ASSERT_FALSE(sql.str().empty());
  QueryScalar(db_.url(), sql.str());
  EXPECT_EQ(
      QueryScalar(db_.url(), "SELECT string_agg(subject, ',' ORDER BY subject) FROM decisions"),
      "exchange_tokens/t1,returns/abc");
}

// --- 6. what the docs promise ---------------------------------------------------------------

TEST_F(ContractHygieneTest, ADeliveryInTheFutureOrBeforeTheOrderIsRefused) {
  v1::UpsertOrderRequest future = SampleOrder("1001");
  future.mutable_order()->mutable_delivered_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) +
                                                                86400);
  ExpectFieldRefused(Upsert(future), "order.delivered_time");
  v1::UpsertOrderRequest ordered_later = SampleOrder("1002");
  ordered_later.mutable_order()->mutable_order_time()->set_seconds(
      ordered_later.order().delivered_time().seconds() + 60);
  ExpectFieldRefused(Upsert(ordered_later), "order.delivered_time");
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM orders"), "0");
}

TEST_F(ContractHygieneTest, DuplicatesInFlightWaitForTheFirstAndGetItsAnswer) {
  const v1::UpsertOrderRequest request = SampleOrder("1001");
  std::vector<std::string> etags(8);
  std::vector<grpc::Status> statuses(8);
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&, i] {
      auto stub = v1::OrderService::NewStub(client::MakeChannel(options_));
      v1::Order order;
      statuses[i] = stub->UpsertOrder(client::MakeContext(options_).get(), request, &order);
      etags[i] = order.etag();
    });
  }
  for (auto& t : clients) t.join();
  for (int i = 0; i < 8; ++i) {
    EXPECT_TRUE(statuses[i].ok()) << client::DescribeError(statuses[i]);
    EXPECT_EQ(etags[i], etags[0]);
  }
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM timeline_events"), "1");
}

TEST_F(ContractHygieneTest, ACarrierKeyMayReadOneReturnButNotListThem) {
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("1001"), &ret).ok());
  auto carrier = v1::ReturnService::NewStub(client::MakeChannel(At(carrier_)));
  v1::GetReturnRequest get;
  get.set_return_id(ret.return_id());
  v1::Return read;
  EXPECT_TRUE(carrier->GetReturn(client::MakeContext(At(carrier_)).get(), get, &read).ok());
  v1::ListReturnsResponse page;
  EXPECT_EQ(
      carrier->ListReturns(client::MakeContext(At(carrier_)).get(), v1::ListReturnsRequest(), &page)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ContractHygieneTest, LiveStreamsEndUnavailableWhenTheDatabaseGoesAway) {
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  v1::WatchTimelineRequest watch;
  watch.set_order_id("1001");
  auto context = Context();
  auto reader = stubs_.timeline->WatchTimeline(context.get(), watch);
  v1::TimelineEvent event;
  ASSERT_TRUE(reader->Read(&event));  // order.created: the stream is live
  // The database goes away for this server: no new connection, every open one cut.
  QueryScalar(ClusterUrl(), "ALTER DATABASE \"" + db_.name() + "\" ALLOW_CONNECTIONS false");
  QueryScalar(ClusterUrl(),
              "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" +
                  db_.name() + "'");
  const absl::Time start = absl::Now();
  while (reader->Read(&event)) {
  }
  grpc::Status status = reader->Finish();
  QueryScalar(ClusterUrl(), "ALTER DATABASE \"" + db_.name() + "\" ALLOW_CONNECTIONS true");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << client::DescribeError(status);
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

}  // namespace
}  // namespace returns::testing
