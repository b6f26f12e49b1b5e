// Webhooks end to end (docs/integrations.md, "Webhooks"): the real returnsd sends the change feed
// to a Node receiver that checks every delivery with the `standardwebhooks` package, an
// implementation of the scheme the project did not write (tests/webhooks/receiver.js). Covered:
// every delivery verifies, in feed order per endpoint, at least once across a crash and restart,
// through an endpoint that answers 500 and then recovers, a failing endpoint that holds up no
// other, a secret rotation (both secrets sign during the overlap), a replay, a 410 that disables
// at once and the retry window that disables a failing endpoint.

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "e2e_fixture.h"
#include "script_process.h"
#include "integrations/http_client.h"
#include "returns/v1/webhook_service.grpc.pb.h"

namespace returns::testing {
namespace {

// tests/webhooks/receiver.js on a free port of 127.0.0.1.
class Receiver {
 public:
  Receiver()
      : process_({"node", std::string(RETURNS_SOURCE_DIR) + "/tests/webhooks/receiver.js", "--port",
                  "0"}),
        port_(process_.port()) {}
  std::string Url(const std::string& name) const {
    return absl::StrCat("http://127.0.0.1:", port_, "/hooks/", name);
  }
  void Control(const std::string& method, const std::string& path, const nlohmann::json& body) {
    integrations::HttpRequest request;
    request.method = method;
    request.url = absl::StrCat("http://127.0.0.1:", port_, "/control/", path);
    if (method == "POST") {
      request.body = body.dump();
      request.headers = {{"content-type", "application/json"}};
    }
    auto response =
        integrations::SendHttp(request, {}, integrations::DestinationRule::kAllowHttpAndLoopback);
    if (!response.ok() || response->status >= 300) throw std::runtime_error("control failed");
    last_body_ = response.ok() ? response->body : "";
  }
  void SetSecrets(const std::string& name, const std::vector<std::string>& secrets) {
    Control("POST", name + "/secrets", {{"secrets", secrets}});
  }
  void SetMode(const std::string& name, const nlohmann::json& mode) {
    Control("POST", name + "/mode", mode);
  }
  nlohmann::json Received(const std::string& name) {
    integrations::HttpRequest request;
    request.method = "GET";
    request.url = absl::StrCat("http://127.0.0.1:", port_, "/control/", name, "/received");
    integrations::HttpLimits limits;
    limits.max_response_bytes = 64 << 20;
    auto response = integrations::SendHttp(request, limits,
                                           integrations::DestinationRule::kAllowHttpAndLoopback);
    if (!response.ok()) throw std::runtime_error("received failed");
    return nlohmann::json::parse(response->body);
  }

 private:
  ScriptProcess process_;
  int port_ = 0;
  std::string last_body_;
};

class WebhookDeliveryTest : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    // Retries in milliseconds, and a 3-second retry window, so the schedule plays out in a test.
    StartServer();
    admin_options_ = options_;
    admin_options_.api_key = admin_key_;
    webhooks_ = v1::WebhookService::NewStub(client::MakeChannel(admin_options_));
  }
  void StartServer() {
    server_.reset();
    server_ = std::make_unique<ServerProcess>(
        db_.url(),
        std::vector<std::string>{"--webhook_retry_base_ms", "100", "--webhook_retry_max_ms", "400",
                                 "--webhook_poll_ms", "50", "--webhook_retry_window_seconds", "3",
                                 "--webhook_senders", "3"});
    options_.address = server_->address();
    admin_options_.address = server_->address();
    stubs_ = StubsFor(options_);
    webhooks_ = v1::WebhookService::NewStub(client::MakeChannel(admin_options_));
  }
  std::unique_ptr<grpc::ClientContext> Admin() const { return client::MakeContext(admin_options_); }
  v1::CreateWebhookEndpointResponse CreateEndpoint(const std::string& url) {
    v1::CreateWebhookEndpointRequest request;
    request.set_request_id("create-" + url);
    request.set_url(url);
    request.add_event_types("order.*");
    request.add_event_types("webhook_endpoint.disabled");
    v1::CreateWebhookEndpointResponse response;
    const grpc::Status status = webhooks_->CreateWebhookEndpoint(Admin().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  void UpsertOrders(const std::string& prefix, int count) {
    for (int i = 0; i < count; ++i) {
      ASSERT_TRUE(Upsert(SampleOrder(absl::StrCat(prefix, i))).ok());
    }
  }
  std::vector<v1::WebhookDelivery> Deliveries(const std::string& endpoint_id) {
    std::vector<v1::WebhookDelivery> all;
    v1::ListWebhookDeliveriesRequest request;
    request.set_endpoint_id(endpoint_id);
    request.set_page_size(200);
    for (;;) {
      v1::ListWebhookDeliveriesResponse page;
      const grpc::Status status = webhooks_->ListWebhookDeliveries(Admin().get(), request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      all.insert(all.end(), page.deliveries().begin(), page.deliveries().end());
      if (!status.ok() || page.next_page_token().empty()) return all;
      request.set_page_token(page.next_page_token());
    }
  }
  // Waits until the endpoint has `at_least` deliveries and none pending (up to 90 s: under the
  // sanitizers on a loaded machine a delivery pass is many times slower).
  std::vector<v1::WebhookDelivery> AwaitDelivered(const std::string& endpoint_id, size_t at_least,
                                                  absl::Duration timeout = absl::Seconds(90)) {
    const absl::Time give_up = absl::Now() + timeout;
    std::vector<v1::WebhookDelivery> deliveries;
    while (absl::Now() < give_up) {
      deliveries = Deliveries(endpoint_id);
      bool pending = false;
      for (const auto& d : deliveries) pending |= d.state() != v1::WEBHOOK_DELIVERY_STATE_SUCCEEDED;
      if (!pending && deliveries.size() >= at_least) return deliveries;
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "deliveries of " << endpoint_id << " still pending (" << deliveries.size()
                  << " queued)";
    return deliveries;
  }
  v1::WebhookEndpoint Endpoint(const std::string& endpoint_id) {
    v1::ListWebhookEndpointsResponse listed;
    EXPECT_TRUE(webhooks_->ListWebhookEndpoints(Admin().get(), {}, &listed).ok());
    for (const auto& endpoint : listed.endpoints()) {
      if (endpoint.endpoint_id() == endpoint_id) return endpoint;
    }
    ADD_FAILURE() << "no endpoint " << endpoint_id;
    return {};
  }

  client::ClientOptions admin_options_;
  std::unique_ptr<v1::WebhookService::Stub> webhooks_;
};

// What the receiver saw: every record verified; the first 2xx answer of each event id in the
// endpoint's feed order; every queued delivery among them.
void ExpectVerifiedInFeedOrder(const nlohmann::json& received,
                               const std::vector<v1::WebhookDelivery>& deliveries) {
  std::set<std::string> answered;
  int64_t last_sequence = 0;
  for (const auto& record : received) {
    ASSERT_TRUE(record["verified"].get<bool>()) << record.dump();
    if (record["status"].get<int>() >= 300) continue;
    const std::string id = record["id"].get<std::string>();
    // Proto JSON: an int64 is a string.
    const int64_t sequence = std::stoll(record["body"]["data"]["sequence"].get<std::string>());
    EXPECT_EQ(record["body"]["data"]["event_id"].get<std::string>(), id);
    if (answered.insert(id).second) {
      EXPECT_GT(sequence, last_sequence) << "event " << id << " out of feed order";
      last_sequence = std::max(last_sequence, sequence);
    }
  }
  for (const auto& delivery : deliveries) {
    EXPECT_TRUE(answered.count(delivery.event_id())) << "never answered: " << delivery.event_id();
  }
}

TEST_F(WebhookDeliveryTest, EveryDeliveryVerifiesInOrderThroughFailuresRestartRotationAndReplay) {
  Receiver receiver;
  const auto a = CreateEndpoint(receiver.Url("a"));
  const auto b = CreateEndpoint(receiver.Url("b"));
  ASSERT_TRUE(absl::StartsWith(a.secret(), "whsec_"));
  receiver.SetSecrets("a", {a.secret()});
  receiver.SetSecrets("b", {b.secret()});
  // b fails for good: it must hold up nothing of a's, and the retry window disables it.
  receiver.SetMode("b", {{"status", 500}});

  UpsertOrders("A", 5);
  auto deliveries = AwaitDelivered(a.endpoint().endpoint_id(), 5);
  ExpectVerifiedInFeedOrder(receiver.Received("a"), deliveries);
  for (const auto& d : deliveries) EXPECT_EQ(d.response_code(), 204);

  // a answers 500 three times, then recovers: the same event again, in order.
  receiver.SetMode("a", {{"status", 500}, {"count", 3}});
  UpsertOrders("B", 3);
  deliveries = AwaitDelivered(a.endpoint().endpoint_id(), 8);
  ExpectVerifiedInFeedOrder(receiver.Received("a"), deliveries);
  int retried = 0;
  for (const auto& d : deliveries) retried += d.attempts() > 1 ? 1 : 0;
  EXPECT_EQ(retried, 1) << "the first of the three events took four attempts";
  EXPECT_EQ(Endpoint(a.endpoint().endpoint_id()).consecutive_failures(), 0);

  // A crash: events committed just before it still go out after the restart.
  UpsertOrders("C", 4);
  server_->Kill();
  StartServer();
  // A sender killed while it held the endpoint keeps it until its lease (120 s) runs out; only
  // then does the new server take the endpoint over and send.
  deliveries = AwaitDelivered(a.endpoint().endpoint_id(), 12, absl::Seconds(150));
  ExpectVerifiedInFeedOrder(receiver.Received("a"), deliveries);

  // Rotation: the new secret alone verifies, and so does the old one during the overlap.
  v1::RotateWebhookSecretRequest rotate;
  rotate.set_request_id("rotate-a");
  rotate.set_endpoint_id(a.endpoint().endpoint_id());
  rotate.set_overlap_seconds(3600);
  v1::RotateWebhookSecretResponse rotated;
  ASSERT_TRUE(webhooks_->RotateWebhookSecret(Admin().get(), rotate, &rotated).ok());
  ASSERT_NE(rotated.secret(), a.secret());
  ASSERT_TRUE(rotated.endpoint().has_previous_secret_expire_time());
  receiver.SetSecrets("a", {rotated.secret()});
  UpsertOrders("D", 2);
  deliveries = AwaitDelivered(a.endpoint().endpoint_id(), 14);
  receiver.SetSecrets("a", {a.secret()});
  UpsertOrders("E", 2);
  deliveries = AwaitDelivered(a.endpoint().endpoint_id(), 16);
  receiver.SetSecrets("a", {rotated.secret()});
  ExpectVerifiedInFeedOrder(receiver.Received("a"), deliveries);
  // A replay of the rotation answers the current secret again (the first answer may be lost).
  v1::RotateWebhookSecretResponse replayed;
  ASSERT_TRUE(webhooks_->RotateWebhookSecret(Admin().get(), rotate, &replayed).ok());
  EXPECT_EQ(replayed.secret(), rotated.secret());

  // A replay of one event: the same webhook-id again, after what was queued.
  const std::string first_event = deliveries.back().event_id();  // newest first: the oldest
  v1::ReplayWebhookEventsRequest replay;
  replay.set_request_id("replay-1");
  replay.set_endpoint_id(a.endpoint().endpoint_id());
  replay.set_event_id(first_event);
  v1::ReplayWebhookEventsResponse replay_response;
  ASSERT_TRUE(webhooks_->ReplayWebhookEvents(Admin().get(), replay, &replay_response).ok());
  EXPECT_EQ(replay_response.queued(), 1);
  deliveries = AwaitDelivered(a.endpoint().endpoint_id(), 17);
  int seen = 0;
  for (const auto& record : receiver.Received("a")) {
    if (record["id"] == first_event && record["status"] == 204) ++seen;
  }
  EXPECT_EQ(seen, 2);

  // b failed all along and its retry window (3 s) is over: disabled, and the feed says so.
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (Endpoint(b.endpoint().endpoint_id()).enabled() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  const v1::WebhookEndpoint disabled_b = Endpoint(b.endpoint().endpoint_id());
  EXPECT_FALSE(disabled_b.enabled());
  EXPECT_TRUE(absl::StartsWith(disabled_b.disabled_reason(), "failing since"))
      << disabled_b.disabled_reason();
  bool disabled_event = false;
  const absl::Time wait_event = absl::Now() + absl::Seconds(10);
  while (!disabled_event && absl::Now() < wait_event) {
    for (const auto& record : receiver.Received("a")) {
      disabled_event |= record["type"] == "webhook_endpoint.disabled" &&
                        record["body"]["data"]["aggregate_id"] == b.endpoint().endpoint_id();
    }
    if (!disabled_event) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(disabled_event) << "a was not told that b was disabled";

  // 410 disables a at once; its queued deliveries wait, and go out when it is enabled again.
  receiver.SetMode("a", {{"status", 410}});
  UpsertOrders("F", 2);
  const absl::Time wait_gone = absl::Now() + absl::Seconds(20);
  while (Endpoint(a.endpoint().endpoint_id()).enabled() && absl::Now() < wait_gone) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(Endpoint(a.endpoint().endpoint_id()).disabled_reason(),
            "the endpoint answered 410 Gone");
  receiver.SetMode("a", {{"status", 204}});
  v1::UpdateWebhookEndpointRequest enable;
  enable.set_request_id("enable-a");
  enable.mutable_endpoint()->set_endpoint_id(a.endpoint().endpoint_id());
  enable.mutable_endpoint()->set_enabled(true);
  enable.mutable_update_mask()->add_paths("enabled");
  v1::WebhookEndpoint enabled;
  ASSERT_TRUE(webhooks_->UpdateWebhookEndpoint(Admin().get(), enable, &enabled).ok());
  EXPECT_TRUE(enabled.enabled());
  EXPECT_EQ(enabled.url(), receiver.Url("a"));  // the mask kept the rest
  deliveries = AwaitDelivered(a.endpoint().endpoint_id(), 20);
  ExpectVerifiedInFeedOrder(receiver.Received("a"), deliveries);
}

TEST_F(WebhookDeliveryTest, RefusesBadEndpointsAndSecretsNeverShowInLists) {
  v1::CreateWebhookEndpointRequest request;
  request.set_request_id("bad-1");
  request.set_url("ftp://example.com/x");
  v1::CreateWebhookEndpointResponse response;
  grpc::Status status = webhooks_->CreateWebhookEndpoint(Admin().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(status), "url");
  request.set_url("https://example.com/x");
  request.add_event_types("Return Approved");
  status = webhooks_->CreateWebhookEndpoint(Admin().get(), request, &response);
  EXPECT_EQ(Field(status), "event_types[0]");

  // A server without --webhook_allow_insecure refuses loopback and http.
  server_.reset();
  server_ = std::make_unique<ServerProcess>(
      db_.url(), std::vector<std::string>{"--webhook_allow_insecure=false"});
  admin_options_.address = server_->address();
  webhooks_ = v1::WebhookService::NewStub(client::MakeChannel(admin_options_));
  for (const char* url : {"http://example.com/hook", "https://127.0.0.1/hook", "https://[::1]/hook",
                          "https://169.254.169.254/latest"}) {
    v1::CreateWebhookEndpointRequest insecure;
    insecure.set_request_id(absl::StrCat("insecure-", url));
    insecure.set_url(url);
    status = webhooks_->CreateWebhookEndpoint(Admin().get(), insecure, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << url;
    EXPECT_EQ(Reason(status), "WEBHOOK_URL_REFUSED") << url;
  }

  // A server without --secret_keys keeps no secrets.
  server_.reset();
  server_ =
      std::make_unique<ServerProcess>(db_.url(), std::vector<std::string>{"--secret_keys", ""});
  admin_options_.address = server_->address();
  webhooks_ = v1::WebhookService::NewStub(client::MakeChannel(admin_options_));
  v1::CreateWebhookEndpointRequest no_keys;
  no_keys.set_request_id("no-keys");
  no_keys.set_url("http://127.0.0.1:9/hook");
  status = webhooks_->CreateWebhookEndpoint(Admin().get(), no_keys, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "SECRET_KEYS_NOT_CONFIGURED");

  // Back with keys: created; the list and the feed never show the secret; a STOREFRONT key may
  // not create one.
  StartServer();
  const auto created = CreateEndpoint("http://127.0.0.1:9/hook");
  v1::ListWebhookEndpointsResponse listed;
  ASSERT_TRUE(webhooks_->ListWebhookEndpoints(Admin().get(), {}, &listed).ok());
  ASSERT_EQ(listed.endpoints_size(), 1);
  EXPECT_FALSE(absl::StrContains(listed.DebugString(), created.secret()));
  EXPECT_FALSE(absl::StrContains(server_->logs(), created.secret()));
  auto storefront = v1::WebhookService::NewStub(client::MakeChannel(options_));
  v1::CreateWebhookEndpointRequest by_storefront;
  by_storefront.set_request_id("storefront");
  by_storefront.set_url("http://127.0.0.1:9/other");
  status = storefront->CreateWebhookEndpoint(Context().get(), by_storefront, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // The stored secret is sealed: its clear text is nowhere in the row.
  EXPECT_EQ(
      QueryScalar(db_.url(),
                  absl::StrCat("SELECT count(*) FROM webhook_endpoints WHERE secret_sealed LIKE '%",
                               created.secret().substr(6, 20), "%'")),
      "0");
}

}  // namespace
}  // namespace returns::testing
