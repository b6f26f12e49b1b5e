// Authentication, roles, key revocation across replicas, rate limits, and what the logs must
// never contain.
#include <string>

#include "absl/strings/str_split.h"
#include "e2e_fixture.h"
#include "returns/v1/admin_service.grpc.pb.h"

namespace returns::testing {
namespace {

using SecurityTest = E2ETest;

grpc::Status GetOrder(const client::ClientOptions& options, v1::Order* order = nullptr) {
  v1::GetOrderRequest request;
  request.set_order_id("1001");
  v1::Order unused;
  return v1::OrderService::NewStub(client::MakeChannel(options))
      ->GetOrder(client::MakeContext(options).get(), request, order ? order : &unused);
}

TEST_F(SecurityTest, EveryBadCredentialGetsTheSameUnauthenticatedAnswer) {
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  ASSERT_TRUE(GetOrder(options_).ok());
  const std::string real = storefront_key_;
  // The real key id with another secret, a malformed key, an unknown key, no key at all.
  std::string wrong_secret = real;
  wrong_secret.back() = wrong_secret.back() == 'A' ? 'B' : 'A';
  std::string unknown = "rk_0123456789abcdef_" + real.substr(20);
  std::string previous_message;
  for (const std::string& key : {wrong_secret, std::string("not-a-key"), unknown, std::string()}) {
    client::ClientOptions bad = options_;
    bad.api_key = key;
    grpc::Status status = GetOrder(bad);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << key;
    EXPECT_EQ(Reason(status), "UNAUTHENTICATED");
    if (!previous_message.empty()) {
      EXPECT_EQ(status.error_message(), previous_message);
    }
    previous_message = status.error_message();
  }
}

TEST_F(SecurityTest, RolesAreEnforcedPerMethod) {
  client::ClientOptions carrier = options_;
  carrier.api_key = CreateTestApiKey(db_.url(), merchant_id_, v1::API_KEY_ROLE_CARRIER);
  v1::Order order;
  grpc::Status status =
      v1::OrderService::NewStub(client::MakeChannel(carrier))
          ->UpsertOrder(client::MakeContext(carrier).get(), SampleOrder("1001"), &order);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(client::ParseErrorDetails(status).metadata["role"], "CARRIER");

  // A storefront key cannot mint keys; the merchant's ADMIN key can.
  v1::CreateApiKeyRequest create;
  create.set_request_id("key-1");
  create.set_role(v1::API_KEY_ROLE_SUPPORT);
  v1::CreateApiKeyResponse created;
  auto admin_stub = v1::AdminService::NewStub(client::MakeChannel(options_));
  EXPECT_EQ(admin_stub->CreateApiKey(Context().get(), create, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  client::ClientOptions admin = options_;
  admin.api_key = admin_key_;
  ASSERT_TRUE(admin_stub->CreateApiKey(client::MakeContext(admin).get(), create, &created).ok());
  EXPECT_EQ(created.api_key().role(), v1::API_KEY_ROLE_SUPPORT);
  client::ClientOptions support = options_;
  support.api_key = created.secret();
  EXPECT_EQ(GetOrder(support).error_code(), grpc::StatusCode::NOT_FOUND);  // authenticated

  // The secret is shown once: a replay answers the same key without it.
  v1::CreateApiKeyResponse replayed;
  ASSERT_TRUE(admin_stub->CreateApiKey(client::MakeContext(admin).get(), create, &replayed).ok());
  EXPECT_EQ(replayed.api_key().key_id(), created.api_key().key_id());
  EXPECT_EQ(replayed.secret(), "");
  // Only a hash of it is stored anywhere.
  const std::string secret_part = created.secret().substr(20);
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM api_keys WHERE secret_hash LIKE '%" +
                                       secret_part + "%'"),
            "0");
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM idempotency_keys WHERE position('" +
                                       secret_part + "' in encode(response, 'escape')) > 0"),
            "0");
}

TEST_F(SecurityTest, OnlyOperatorsCreateMerchants) {
  v1::CreateMerchantRequest request;
  request.set_request_id("m-1");
  request.set_display_name("New Shop");
  v1::CreateMerchantResponse response;
  client::ClientOptions admin = options_;
  admin.api_key = admin_key_;  // an ADMIN key of an ordinary merchant
  auto stub = v1::AdminService::NewStub(client::MakeChannel(admin));
  EXPECT_EQ(stub->CreateMerchant(client::MakeContext(admin).get(), request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  client::ClientOptions operator_admin = options_;
  operator_admin.api_key = CreateTestMerchant(db_.url(), "Operator", /*operator=*/true).admin_key;
  ASSERT_TRUE(
      stub->CreateMerchant(client::MakeContext(operator_admin).get(), request, &response).ok());
  client::ClientOptions new_admin = options_;
  new_admin.api_key = response.admin_key_secret();
  v1::ListApiKeysResponse keys;
  ASSERT_TRUE(stub->ListApiKeys(client::MakeContext(new_admin).get(), {}, &keys).ok());
  ASSERT_EQ(keys.api_keys_size(), 1);
  EXPECT_EQ(keys.api_keys(0).key_id(), response.admin_key().key_id());
}

TEST_F(SecurityTest, RevocationTakesEffectAtOnceOnEveryReplica) {
  ServerProcess second(db_.url());
  client::ClientOptions on_second = options_;
  on_second.address = second.address();
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  ASSERT_TRUE(GetOrder(on_second).ok());

  client::ClientOptions admin = options_;
  admin.api_key = admin_key_;
  v1::RevokeApiKeyRequest revoke;
  revoke.set_request_id("revoke-1");
  revoke.set_key_id(storefront_key_.substr(3, 16));
  v1::ApiKey revoked;
  ASSERT_TRUE(v1::AdminService::NewStub(client::MakeChannel(admin))
                  ->RevokeApiKey(client::MakeContext(admin).get(), revoke, &revoked)
                  .ok());
  EXPECT_TRUE(revoked.has_revoke_time());
  EXPECT_EQ(GetOrder(on_second).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(GetOrder(options_).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST(RateLimitTest, CallsBeyondTheLimitAreRefusedWithRetryAdvice) {
  TestDatabase db;
  TestMerchant merchant = CreateTestMerchant(db.url());
  ServerProcess server(db.url(), {"--rate_limit_per_second", "2", "--rate_limit_burst", "3"});
  client::ClientOptions options;
  options.address = server.address();
  options.api_key = merchant.admin_key;
  int ok = 0, limited = 0;
  int64_t retry_ms = 0;
  for (int i = 0; i < 10; ++i) {
    grpc::Status status = GetOrder(options);
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++limited;
      retry_ms = client::ParseErrorDetails(status).retry_delay_ms;
    } else {
      ++ok;
    }
  }
  EXPECT_GE(ok, 3);
  EXPECT_GE(limited, 5);
  EXPECT_GT(retry_ms, 0);
  EXPECT_LE(retry_ms, 500);
}

TEST_F(SecurityTest, OversizedMessagesAreRefusedBeforeAnyHandler) {
  v1::UpsertOrderRequest huge = SampleOrder("1001");
  huge.mutable_order()->mutable_lines(0)->set_title(std::string(5 * 1024 * 1024, 'x'));
  EXPECT_EQ(Upsert(huge).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(SecurityTest, LogsNeverHoldKeysTokensOrAddresses) {
  v1::UpsertOrderRequest order = SampleOrder("1001");
  ASSERT_TRUE(Upsert(order).ok());
  v1::CreateReturnRequest ret = SampleReturn("1001");
  ASSERT_TRUE(Create(ret).ok());
  v1::ListReturnsRequest list;
  list.set_page_size(1);
  v1::ListReturnsResponse page;
  ASSERT_TRUE(Create(SampleReturn("1001", "L2", 1)).ok());
  ASSERT_TRUE(stubs_.returns->ListReturns(Context().get(), list, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());
  client::ClientOptions bad = options_;
  bad.api_key = storefront_key_.substr(0, 20) + std::string(43, 'A');
  EXPECT_EQ(GetOrder(bad).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_EQ(server_->Terminate(), 0);

  const std::string logs = server_->logs();
  ASSERT_NE(logs.find(ret.request_id()), std::string::npos);  // the logs are there
  for (const std::string& secret :
       {storefront_key_.substr(20), admin_key_.substr(20), std::string(43, 'A'),
        page.next_page_token(), order.order().customer_email(),
        order.order().shipping_address().line1(), order.order().shipping_address().name()}) {
    EXPECT_EQ(logs.find(secret), std::string::npos) << "found in logs: " << secret;
  }
  // The public key id is logged, so operators can tell callers apart.
  EXPECT_NE(logs.find(storefront_key_.substr(3, 16)), std::string::npos);
}

}  // namespace
}  // namespace returns::testing
