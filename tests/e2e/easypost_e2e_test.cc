// Carrier accounts and the EasyPost adapter end to end (docs/integrations.md): the real returnsd
// against tests/easypost/fake_easypost.js, which answers like EasyPost's v2 API from EasyPost's
// own recorded traffic (../shared/fixtures/easypost). A merchant without an account cannot use
// the carrier; with one, approving a return buys the label through a durable job; EasyPost's
// signed tracker webhook, posted to --http_listen, moves the parcel (once, however often it is
// delivered); voiding the label refunds it at EasyPost.

#include <filesystem>

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "integrations/http_client.h"
#include "journey_fixture.h"
#include "script_process.h"
#include "returns/v1/policy_service.grpc.pb.h"

namespace returns::testing {
namespace {

constexpr char kFixtures[] = "/work/shared/fixtures/easypost";
constexpr char kWebhookSecret[] = "ep-webhook-secret-for-tests";

// fake_easypost.js on a free port of 127.0.0.1.
class FakeEasyPost {
 public:
  FakeEasyPost()
      : process_({"node", std::string(RETURNS_SOURCE_DIR) + "/tests/easypost/fake_easypost.js",
                  "--fixtures", kFixtures, "--port", "0"}),
        port_(process_.port()) {}
  std::string BaseUrl() const { return absl::StrCat("http://127.0.0.1:", port_, "/v2"); }
  // The API requests it got whose path contains `part`.
  int CountRequests(const std::string& method, const std::string& part) const {
    integrations::HttpRequest request;
    request.method = "GET";
    request.url = absl::StrCat("http://127.0.0.1:", port_, "/control/requests");
    integrations::HttpLimits limits;
    limits.max_response_bytes = 16 << 20;
    auto response = integrations::SendHttp(request, limits,
                                           integrations::DestinationRule::kAllowHttpAndLoopback);
    if (!response.ok()) return -1;
    int count = 0;
    for (const auto& r : nlohmann::json::parse(response->body)) {
      if (r["method"] == method && absl::StrContains(r["path"].get<std::string>(), part)) ++count;
    }
    return count;
  }

 private:
  ScriptProcess process_;
  int port_ = 0;
};

class EasyPostE2ETest : public JourneyTest {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kFixtures))
      GTEST_SKIP() << "no EasyPost fixtures at " << kFixtures;
    JourneyTest::SetUp();
    fake_ = std::make_unique<FakeEasyPost>();
    server_.reset();
    server_ = std::make_unique<ServerProcess>(
        db_.url(),
        std::vector<std::string>{"--easypost_base_url", fake_->BaseUrl(),
                                 "--integrations_allow_insecure", "--http_listen", "127.0.0.1:0",
                                 "--job_poll_ms", "50", "--job_retry_base_ms", "100"});
    options_.address = server_->address();
    stubs_ = StubsFor(options_);
    admin_ = options_;
    admin_.api_key = admin_key_;
    const std::string logs = server_->logs();
    for (absl::string_view line : absl::StrSplit(logs, '\n')) {
      const auto parsed = nlohmann::json::parse(line, nullptr, false);
      if (parsed.is_object() && parsed.value("msg", "") == "http listening") {
        http_port_ = parsed["port"].get<int>();
      }
    }
    ASSERT_NE(http_port_, 0) << "no http listening line";
  }
  grpc::Status ApproveStatus(const std::string& return_id, v1::Return* approved) {
    v1::ApproveReturnRequest request;
    request.set_request_id("approve-try-" + return_id);
    request.set_return_id(return_id);
    return v1::ReturnService::NewStub(client::MakeChannel(At(support_)))
        ->ApproveReturn(client::MakeContext(At(support_)).get(), request, approved);
  }
  integrations::HttpResponse PostWebhook(const std::string& merchant_id, const std::string& body,
                                         const std::string& signature) {
    integrations::HttpRequest request;
    request.url = absl::StrCat("http://127.0.0.1:", http_port_, "/webhooks/easypost/", merchant_id);
    request.body = body;
    request.headers = {{"content-type", "application/json"}, {"x-hmac-signature", signature}};
    auto response =
        integrations::SendHttp(request, {}, integrations::DestinationRule::kAllowHttpAndLoopback);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : integrations::HttpResponse{};
  }
  static std::string Sign(const std::string& body) {
    return "hmac-sha256-hex=" + absl::BytesToHexString(crypto::HmacSha256(kWebhookSecret, body));
  }
  v1::SetCarrierAccountRequest Account() const {
    v1::SetCarrierAccountRequest set;
    set.set_request_id("easypost-account");
    v1::CarrierAccount* account = set.mutable_account();
    account->set_carrier("easypost");
    account->set_api_key("EZTKtest0000000000000000000000000000abcd");
    account->set_webhook_secret(kWebhookSecret);
    account->set_label_format("PDF");
    account->mutable_return_address()->set_name("Returns Dept");
    account->mutable_return_address()->set_line1("417 Montgomery Street");
    account->mutable_return_address()->set_city("San Francisco");
    account->mutable_return_address()->set_region("CA");
    account->mutable_return_address()->set_postal_code("94104");
    account->mutable_return_address()->set_country_code("US");
    account->mutable_parcel()->set_weight_oz(15.4);
    return set;
  }

  std::unique_ptr<FakeEasyPost> fake_;
  client::ClientOptions admin_;
  int http_port_ = 0;
};

TEST_F(EasyPostE2ETest, AccountLabelTrackingWebhookAndVoid) {
  // The policy's carrier is EasyPost; the merchant has no account there yet.
  v1::UpdatePolicyRequest policy;
  policy.set_request_id("policy-easypost");
  policy.mutable_policy()->set_default_carrier("easypost");
  policy.mutable_update_mask()->add_paths("default_carrier");
  v1::Policy updated;
  ASSERT_TRUE(v1::PolicyService::NewStub(client::MakeChannel(admin_))
                  ->UpdatePolicy(client::MakeContext(admin_).get(), policy, &updated)
                  .ok());
  ASSERT_TRUE(Upsert(SampleOrder("EP1")).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("EP1", "L1", 1), &ret).ok());
  ASSERT_EQ(ret.state(), v1::RETURN_STATE_REQUESTED) << "no account: not approved automatically";
  v1::Return approved;
  grpc::Status status = ApproveStatus(ret.return_id(), &approved);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "CARRIER_ACCOUNT_MISSING");
  EXPECT_TRUE(absl::StrContains(status.error_message(), "easypost"));

  // The account: credentials never come back.
  v1::CarrierAccount account;
  status =
      Logistics(admin_)->SetCarrierAccount(client::MakeContext(admin_).get(), Account(), &account);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_TRUE(account.api_key().empty());
  EXPECT_TRUE(account.webhook_secret().empty());
  EXPECT_EQ(account.api_key_hint(), "abcd");
  EXPECT_TRUE(account.has_webhook_secret());
  EXPECT_EQ(account.webhook_path(), "/webhooks/easypost/" + merchant_id_);
  EXPECT_FALSE(absl::StrContains(server_->logs(), Account().account().api_key()));
  EXPECT_EQ(QueryScalar(db_.url(),
                        "SELECT count(*) FROM carrier_accounts WHERE api_key_sealed "
                        "LIKE '%EZTKtest%' OR settings::text LIKE '%EZTKtest%'"),
            "0");

  // Settings change without the key: the stored key stays (its hint too).
  v1::SetCarrierAccountRequest settings_only = Account();
  settings_only.set_request_id("easypost-settings");
  settings_only.mutable_account()->clear_api_key();
  settings_only.mutable_account()->clear_webhook_secret();
  settings_only.mutable_account()->set_preferred_service("Priority");
  v1::CarrierAccount changed;
  status = Logistics(admin_)->SetCarrierAccount(client::MakeContext(admin_).get(), settings_only,
                                                &changed);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_EQ(changed.api_key_hint(), "abcd");
  EXPECT_TRUE(changed.has_webhook_secret());
  EXPECT_EQ(changed.preferred_service(), "Priority");

  // Approved now: the label is bought at EasyPost by a durable job.
  approved = Approve(ret.return_id());
  EXPECT_EQ(approved.state(), v1::RETURN_STATE_APPROVED);
  const v1::Shipment label = WaitForLabel(ret.return_id());
  ASSERT_FALSE(label.tracking_number().empty());
  EXPECT_EQ(label.carrier(), "easypost");
  EXPECT_EQ(fake_->CountRequests("POST", "/buy"), 1);

  // EasyPost's tracker webhook: verified, kept once, the parcel in transit.
  const std::string body = nlohmann::json{{"id", "evt_e2e_1"},
                                          {"object", "Event"},
                                          {"description", "tracker.updated"},
                                          {"result",
                                           {{"object", "Tracker"},
                                            {"id", "trk_e2e"},
                                            {"tracking_code", label.tracking_number()},
                                            {"carrier", "USPS"},
                                            {"status", "in_transit"},
                                            {"status_detail", "arrived_at_facility"},
                                            {"updated_at", "2026-12-07T10:00:00Z"},
                                            {"tracking_details",
                                             {{{"datetime", "2026-12-07T10:00:00Z"},
                                               {"status", "in_transit"},
                                               {"message", "Arrived at facility"}}}}}}}
                               .dump();
  EXPECT_EQ(PostWebhook(merchant_id_, body, "hmac-sha256-hex=00").status, 401);
  EXPECT_EQ(PostWebhook(merchant_id_, body + " ", Sign(body)).status, 401);
  EXPECT_EQ(PostWebhook("00000000-0000-4000-8000-000000000000", body, Sign(body)).status, 404);
  integrations::HttpResponse first = PostWebhook(merchant_id_, body, Sign(body));
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(absl::StrContains(first.body, "kept")) << first.body;
  integrations::HttpResponse again = PostWebhook(merchant_id_, body, Sign(body));
  EXPECT_EQ(again.status, 200);
  EXPECT_TRUE(absl::StrContains(again.body, "duplicate")) << again.body;
  v1::GetShipmentRequest get;
  get.set_shipment_id(label.shipment_id());
  v1::Shipment moved;
  ASSERT_TRUE(Logistics(options_)->GetShipment(Context().get(), get, &moved).ok());
  EXPECT_EQ(moved.state(), v1::SHIPMENT_STATE_IN_TRANSIT);
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM carrier_webhook_events"), "1");

  // Health on the HTTP listener; nothing else is served there.
  integrations::HttpRequest health;
  health.method = "GET";
  health.url = absl::StrCat("http://127.0.0.1:", http_port_, "/healthz");
  auto healthy =
      integrations::SendHttp(health, {}, integrations::DestinationRule::kAllowHttpAndLoopback);
  ASSERT_TRUE(healthy.ok());
  EXPECT_EQ(healthy->status, 200);
  health.url = absl::StrCat("http://127.0.0.1:", http_port_, "/metrics");
  auto other =
      integrations::SendHttp(health, {}, integrations::DestinationRule::kAllowHttpAndLoopback);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 404);

  // A second return's label, voided: refunded at EasyPost by the void job.
  ASSERT_TRUE(Upsert(SampleOrder("EP2")).ok());
  v1::Return second;
  ASSERT_TRUE(Create(SampleReturn("EP2", "L1", 1), &second).ok());
  if (second.state() == v1::RETURN_STATE_REQUESTED) Approve(second.return_id());
  const v1::Shipment second_label = WaitForLabel(second.return_id());
  ASSERT_FALSE(second_label.tracking_number().empty());
  v1::VoidLabelRequest void_label;
  void_label.set_request_id("void-ep2");
  void_label.set_shipment_id(second_label.shipment_id());
  v1::Shipment voided;
  status =
      Logistics(support_)->VoidLabel(client::MakeContext(At(support_)).get(), void_label, &voided);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  int refunds = 0;
  for (int i = 0; i < 100 && refunds == 0; ++i) {
    refunds = fake_->CountRequests("POST", "/refund");
    if (refunds == 0) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(refunds, 1);

  // Deleting the account: the carrier cannot be used again.
  v1::DeleteCarrierAccountRequest remove;
  remove.set_request_id("delete-easypost");
  remove.set_carrier("easypost");
  v1::CarrierAccount removed;
  ASSERT_TRUE(Logistics(admin_)
                  ->DeleteCarrierAccount(client::MakeContext(admin_).get(), remove, &removed)
                  .ok());
  ASSERT_TRUE(Upsert(SampleOrder("EP3")).ok());
  v1::Return third;
  ASSERT_TRUE(Create(SampleReturn("EP3", "L1", 1), &third).ok());
  status = ApproveStatus(third.return_id(), &approved);
  EXPECT_EQ(Reason(status), "CARRIER_ACCOUNT_MISSING");
}

}  // namespace
}  // namespace returns::testing
