// The EasyPost carrier adapter against tests/easypost/fake_easypost.js (EasyPost's recorded
// answers, served from 127.0.0.1), and EasyPost's inbound webhooks on the recorded event.
#include "integrations/easypost_carrier.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "integrations/easypost_webhook.h"
#include "integrations/http_client.h"

namespace returns::integrations {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

constexpr char kFixtures[] = "/work/shared/fixtures/easypost";
constexpr char kApiKey[] = "EZTKtestkey0123456789abcdefSECRET";
constexpr char kMerchant[] = "merchant-1";

std::string FakeScript() {
#ifdef RETURNS_SOURCE_DIR
  return std::string(RETURNS_SOURCE_DIR) + "/tests/easypost/fake_easypost.js";
#else
  return (std::filesystem::path(__FILE__).parent_path().parent_path() / "easypost" /
          "fake_easypost.js")
      .string();
#endif
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// fake_easypost.js on a free port of 127.0.0.1, for the life of a test.
class FakeEasyPost {
 public:
  FakeEasyPost() = default;
  FakeEasyPost(const FakeEasyPost&) = delete;
  FakeEasyPost& operator=(const FakeEasyPost&) = delete;
  ~FakeEasyPost() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }

  // Starts node and waits for its "listening <port>" line; false when it does not come.
  bool Start() {
    int fds[2];
    if (pipe(fds) != 0) return false;
    const std::string script = FakeScript();
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);  // no fake left behind by a test that crashed
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execlp("node", "node", script.c_str(), "--fixtures", kFixtures, "--port", "0",
             static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    if (pid_ < 0) {
      close(fds[0]);
      return false;
    }
    std::string line;
    char c = 0;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(fds[0]);
    if (!absl::StartsWith(line, "listening ")) return false;
    port_ = std::stoi(line.substr(10));
    return true;
  }

  std::string BaseUrl() const { return absl::StrCat("http://127.0.0.1:", port_, "/v2"); }

  // A control call (or, with `api_key`, an API call); the answer's JSON.
  Json Call(const std::string& method, const std::string& path, const Json& body = nullptr,
            const std::string& api_key = "") const {
    HttpRequest request;
    request.method = method;
    request.url = absl::StrCat("http://127.0.0.1:", port_, path);
    request.basic_auth_user = api_key;
    if (!body.is_null()) {
      request.body = body.dump();
      request.headers = {{"Content-Type", "application/json"}};
    }
    auto response = SendHttp(request, {}, DestinationRule::kAllowHttpAndLoopback);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return nullptr;
    return Json::parse(response->body, nullptr, false);
  }

  void SetMode(const Json& mode) const { Call("POST", "/control/mode", mode); }
  Json Requests() const { return Call("GET", "/control/requests"); }
  // The recorded requests of `method` whose path ends with `suffix`.
  std::vector<Json> RequestsTo(const std::string& method, const std::string& suffix) const {
    std::vector<Json> found;
    for (const Json& request : Requests()) {
      if (request["method"] == method &&
          absl::EndsWith(request["path"].get<std::string>(), suffix)) {
        found.push_back(request);
      }
    }
    return found;
  }
  Json Shipment(const std::string& id) const {
    return Call("GET", "/v2/shipments/" + id, nullptr, kApiKey);
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// The memo's table, in memory.
class MemoryMemo : public CallMemo {
 public:
  absl::StatusOr<std::optional<std::string>> Get(const std::string& merchant_id,
                                                 const std::string& key) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = values_.find({merchant_id, key});
    if (it == values_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  absl::Status Put(const std::string& merchant_id, const std::string& key,
                   const std::string& value) override {
    std::lock_guard<std::mutex> lock(mutex_);
    values_[{merchant_id, key}] = value;
    return absl::OkStatus();
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::string> values_;
};

LabelRequest Request(const std::string& key) {
  return LabelRequest{key, kMerchant, "1001", "r-1",
                      R"({"name":"Ada Lovelace","line1":"1 Main St","line2":"Apt 2",)"
                      R"("city":"Redondo Beach","region":"CA","postal_code":"90277",)"
                      R"("country_code":"US"})"};
}

class EasyPostCarrierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(kFixtures)) {
      GTEST_SKIP() << "EasyPost's recorded traffic is not at " << kFixtures;
    }
    ASSERT_TRUE(fake_.Start()) << "node " << FakeScript() << " did not start";
    account_.api_key = kApiKey;
    account_.carrier = "USPS";
    account_.service = "Priority";
    account_.label_format = "PDF";
    account_.return_address_json =
        R"({"name":"Returns Dept","street1":"417 Montgomery Street","city":"San Francisco",)"
        R"("state":"CA","zip":"94104","country":"US"})";
    account_.parcel_json = R"({"length":10,"width":8,"height":4,"weight":15.4})";
  }

  std::unique_ptr<EasyPostCarrier> Carrier(HttpLimits limits = {}) {
    return std::make_unique<EasyPostCarrier>(
        fake_.BaseUrl(),
        [this](const std::string& merchant_id) -> absl::StatusOr<EasyPostAccount> {
          if (merchant_id != kMerchant) return absl::NotFoundError("no such merchant");
          return account_;
        },
        memo_, limits, DestinationRule::kAllowHttpAndLoopback);
  }

  FakeEasyPost fake_;
  EasyPostAccount account_;
  std::shared_ptr<MemoryMemo> memo_ = std::make_shared<MemoryMemo>();
};

TEST_F(EasyPostCarrierTest, BuysThePreferredRateAndDownloadsTheLabel) {
  auto label = Carrier()->CreateLabel(Request("shipment-1"));
  ASSERT_TRUE(label.ok()) << label.status();
  EXPECT_EQ(label->format, "PDF");
  EXPECT_TRUE(absl::StartsWith(label->document, "%PDF")) << label->document;
  EXPECT_THAT(label->document, HasSubstr(label->tracking_number));
  EXPECT_FALSE(label->tracking_number.empty());
  EXPECT_TRUE(absl::StartsWith(label->carrier_reference, "shp_"));

  const Json shipment = fake_.Shipment(label->carrier_reference);
  EXPECT_EQ(shipment["selected_rate"]["carrier"], "USPS");
  EXPECT_EQ(shipment["selected_rate"]["service"], "Priority");
  EXPECT_EQ(shipment["tracking_code"], label->tracking_number);

  const auto created = fake_.RequestsTo("POST", "/v2/shipments");
  ASSERT_EQ(created.size(), 1u);
  const Json& sent = created[0]["body"]["shipment"];
  EXPECT_EQ(sent["is_return"], true);
  EXPECT_EQ(sent["reference"], "shipment-1");
  EXPECT_EQ(sent["options"]["label_format"], "PDF");
  EXPECT_EQ(sent["parcel"]["weight"], 15.4);
  // EasyPost swaps the addresses of a return itself: described as the outbound shipment, the
  // label then runs from the customer to the merchant.
  EXPECT_EQ(sent["to_address"],
            Json::parse(R"({"name":"Ada Lovelace","street1":"1 Main St","street2":"Apt 2",)"
                        R"("city":"Redondo Beach","state":"CA","zip":"90277","country":"US"})"));
  EXPECT_EQ(sent["from_address"]["name"], "Returns Dept");
  EXPECT_EQ(shipment["to_address"]["name"], "Returns Dept");
  EXPECT_EQ(shipment["from_address"]["name"], "Ada Lovelace");

  // Every API call carries the key; the label file's host never gets it.
  for (const Json& request : fake_.Requests()) {
    const bool api = absl::StartsWith(request["path"].get<std::string>(), "/v2/");
    EXPECT_EQ(request["authorization"], api) << request.dump();
  }
  EXPECT_EQ(fake_.RequestsTo("GET", ".pdf").size(), 1u);
}

TEST_F(EasyPostCarrierTest, WithoutThePreferredServiceTakesTheCheapestRate) {
  account_.service = "Overnight";  // not offered: the lowest USPS rate
  auto label = Carrier()->CreateLabel(Request("shipment-1"));
  ASSERT_TRUE(label.ok()) << label.status();
  EXPECT_EQ(fake_.Shipment(label->carrier_reference)["selected_rate"]["service"],
            "GroundAdvantage");

  account_.carrier = "";
  account_.service = "";
  account_.label_format = "ZPL";
  label = Carrier()->CreateLabel(Request("shipment-2"));
  ASSERT_TRUE(label.ok()) << label.status();
  EXPECT_EQ(label->format, "ZPL");
  EXPECT_TRUE(absl::StartsWith(label->document, "^XA")) << label->document;
  EXPECT_EQ(fake_.Shipment(label->carrier_reference)["selected_rate"]["rate"], "5.93");
}

TEST_F(EasyPostCarrierTest, ARetriedCallBuysNoSecondLabel) {
  auto carrier = Carrier();
  auto first = carrier->CreateLabel(Request("shipment-1"));
  auto again = carrier->CreateLabel(Request("shipment-1"));
  ASSERT_TRUE(first.ok() && again.ok()) << first.status() << again.status();
  EXPECT_EQ(again->tracking_number, first->tracking_number);
  EXPECT_EQ(again->carrier_reference, first->carrier_reference);
  EXPECT_EQ(again->document, first->document);
  EXPECT_EQ(fake_.RequestsTo("POST", "/v2/shipments").size(), 1u);
  EXPECT_EQ(fake_.RequestsTo("POST", "/buy").size(), 1u);
}

TEST_F(EasyPostCarrierTest, AFailedPurchaseIsRetriedOnTheSameShipment) {
  fake_.SetMode({{"status", 500}, {"count", 1}, {"match", "/buy"}});
  auto carrier = Carrier();
  auto failed = carrier->CreateLabel(Request("shipment-1"));
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  auto label = carrier->CreateLabel(Request("shipment-1"));
  ASSERT_TRUE(label.ok()) << label.status();
  EXPECT_EQ(fake_.RequestsTo("POST", "/v2/shipments").size(), 1u);
  EXPECT_EQ(fake_.RequestsTo("POST", "/buy").size(), 2u);
}

TEST_F(EasyPostCarrierTest, APurchaseWhoseAnswerWasLostIsNotBoughtAgain) {
  // The fake buys at once and answers after 1.5 s, past the client's timeout.
  fake_.SetMode({{"delay_ms", 1500}, {"count", 1}, {"match", "/buy"}});
  HttpLimits limits;
  limits.total_timeout = absl::Milliseconds(500);
  auto carrier = Carrier(limits);
  auto lost = carrier->CreateLabel(Request("shipment-1"));
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kDeadlineExceeded) << lost.status();
  auto label = carrier->CreateLabel(Request("shipment-1"));
  ASSERT_TRUE(label.ok()) << label.status();
  EXPECT_EQ(fake_.RequestsTo("POST", "/buy").size(), 1u);
  EXPECT_EQ(fake_.RequestsTo("GET", "/shipments/" + label->carrier_reference).size(), 1u);
}

TEST_F(EasyPostCarrierTest, ARefusedKeyIsAFailedPreconditionWithoutTheKey) {
  fake_.SetMode({{"status", 401}});
  auto label = Carrier()->CreateLabel(Request("shipment-1"));
  EXPECT_EQ(label.status().code(), absl::StatusCode::kFailedPrecondition) << label.status();
  EXPECT_THAT(label.status().message(), HasSubstr("API key"));
  EXPECT_THAT(std::string(label.status().message()), Not(HasSubstr(kApiKey)));
}

TEST_F(EasyPostCarrierTest, ARejectedRequestIsInvalidWithEasyPostsMessage) {
  fake_.SetMode({{"status", 422}, {"count", 1}});
  auto label = Carrier()->CreateLabel(Request("shipment-1"));
  EXPECT_EQ(label.status().code(), absl::StatusCode::kInvalidArgument) << label.status();
  EXPECT_THAT(label.status().message(), HasSubstr("Missing required parameter."));
  EXPECT_THAT(label.status().message(), HasSubstr("shipment: cannot be blank"));
  EXPECT_THAT(std::string(label.status().message()), Not(HasSubstr(kApiKey)));
}

TEST_F(EasyPostCarrierTest, TheRateLimitIsResourceExhaustedWithRetryAfter) {
  fake_.SetMode({{"status", 429}, {"count", 1}, {"retry_after", 7}});
  auto label = Carrier()->CreateLabel(Request("shipment-1"));
  EXPECT_EQ(label.status().code(), absl::StatusCode::kResourceExhausted) << label.status();
  EXPECT_THAT(label.status().message(), HasSubstr("retry after 7 s"));
}

TEST_F(EasyPostCarrierTest, AServerErrorIsUnavailable) {
  fake_.SetMode({{"status", 500}, {"count", 1}});
  auto label = Carrier()->CreateLabel(Request("shipment-1"));
  EXPECT_EQ(label.status().code(), absl::StatusCode::kUnavailable) << label.status();
  EXPECT_FALSE(memo_->Get(kMerchant, "easypost_shipment:shipment-1")->has_value());
}

TEST_F(EasyPostCarrierTest, ASlowAnswerIsDeadlineExceeded) {
  fake_.SetMode({{"delay_ms", 2000}, {"count", 1}});
  HttpLimits limits;
  limits.total_timeout = absl::Milliseconds(300);
  auto label = Carrier(limits)->CreateLabel(Request("shipment-1"));
  EXPECT_EQ(label.status().code(), absl::StatusCode::kDeadlineExceeded) << label.status();
}

TEST_F(EasyPostCarrierTest, BadSettingsAreRefusedBeforeAnyCall) {
  account_.label_format = "GIF";
  EXPECT_EQ(Carrier()->CreateLabel(Request("shipment-1")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  account_.label_format = "PDF";
  account_.api_key = "";
  EXPECT_EQ(Carrier()->CreateLabel(Request("shipment-1")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  LabelRequest no_address = Request("shipment-1");
  no_address.ship_from_json = "";
  account_.api_key = kApiKey;
  EXPECT_EQ(Carrier()->CreateLabel(no_address).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(fake_.Requests().empty());
}

TEST_F(EasyPostCarrierTest, VoidLabelOfRefundsTheShipment) {
  auto carrier = Carrier();
  auto label = carrier->CreateLabel(Request("shipment-1"));
  ASSERT_TRUE(label.ok()) << label.status();
  EXPECT_TRUE(carrier->VoidLabelOf(kMerchant, "shipment-1", label->carrier_reference).ok());
  EXPECT_EQ(fake_.Shipment(label->carrier_reference)["refund_status"], "submitted");
  ASSERT_EQ(fake_.RequestsTo("POST", "/refund").size(), 1u);

  // Voided again (the fake refuses a second refund, as EasyPost does) and through the memo.
  EXPECT_TRUE(carrier->VoidLabelOf(kMerchant, "shipment-1", label->carrier_reference).ok());
  EXPECT_TRUE(carrier->VoidLabelOf(kMerchant, "shipment-1", "").ok());
  EXPECT_EQ(fake_.RequestsTo("POST", "/refund").size(), 3u);

  // Nothing was made for this key: nothing to void, nothing asked.
  EXPECT_TRUE(carrier->VoidLabelOf(kMerchant, "shipment-2", "").ok());
  EXPECT_EQ(fake_.RequestsTo("POST", "/refund").size(), 3u);

  EXPECT_EQ(carrier->VoidLabel("shipment-1", label->tracking_number).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(EasyPostCarrierTest, CreateTrackerReturnsTheTrackerId) {
  auto tracker = Carrier()->CreateTracker(kMerchant, "EZ1000000001", "USPS");
  ASSERT_TRUE(tracker.ok()) << tracker.status();
  EXPECT_TRUE(absl::StartsWith(*tracker, "trk_")) << *tracker;
  const auto sent = fake_.RequestsTo("POST", "/v2/trackers");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["body"],
            Json::parse(R"({"tracker":{"tracking_code":"EZ1000000001","carrier":"USPS"}})"));
}

class EasyPostWebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(kFixtures)) {
      GTEST_SKIP() << "EasyPost's recorded traffic is not at " << kFixtures;
    }
    body_ = ReadFile(std::string(kFixtures) + "/fixtures/event-body.json");
    ASSERT_FALSE(body_.empty());
  }
  std::string body_;
};

TEST_F(EasyPostWebhookTest, VerifiesTheSignatureOfTheRecordedEvent) {
  // HMAC-SHA256 of the file under "whsec-fixture-secret", computed apart (Python's hmac).
  const std::string signature =
      "hmac-sha256-hex=bb0e9994e82efda970a22b636b55fb3328ddf39ee12c1bb77ba2dc3c9d25bb98";
  EXPECT_TRUE(VerifyEasyPostSignature("whsec-fixture-secret", body_, signature).ok());
  EXPECT_TRUE(
      VerifyEasyPostSignature("whsec-fixture-secret", body_, absl::AsciiStrToUpper(signature))
          .ok());

  std::string tampered = body_;
  tampered.replace(tampered.find("in_transit"), 10, "delivered!");
  EXPECT_EQ(VerifyEasyPostSignature("whsec-fixture-secret", tampered, signature).code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyEasyPostSignature("another-secret", body_, signature).code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyEasyPostSignature("whsec-fixture-secret", body_, signature.substr(16)).code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyEasyPostSignature("whsec-fixture-secret", body_, "").code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyEasyPostSignature("", body_, signature).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(EasyPostWebhookTest, ANonAsciiSecretIsUsedInItsNfkdForm) {
  // EasyPost signs with NFKD("sécret") = "se" U+0301 "cret" (computed apart).
  const std::string signature =
      "hmac-sha256-hex=2b77ab9f4435a56a39713f2fa735e3ece5b5ec64f109503233e17033efc7f486";
  EXPECT_TRUE(VerifyEasyPostSignature("se\xcc\x81"
                                      "cret",
                                      "{}", signature)
                  .ok());
  EXPECT_EQ(VerifyEasyPostSignature("s\xc3\xa9"
                                    "cret",
                                    "{}", signature)
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(EasyPostWebhookTest, ParsesTheRecordedTrackerEvent) {
  auto update = ParseEasyPostEvent(body_);
  ASSERT_TRUE(update.ok()) << update.status();
  ASSERT_TRUE(update->has_value());
  const EasyPostTrackerUpdate& u = **update;
  EXPECT_EQ(u.event_id, "evt_1");
  EXPECT_EQ(u.description, "tracker.updated");
  EXPECT_EQ(u.tracking_code, "1");
  EXPECT_EQ(u.carrier, "FedEx");
  EXPECT_EQ(u.status, "in_transit");
  EXPECT_EQ(u.status_detail, "arrived_at_facility");
  EXPECT_EQ(u.occurred_unix_seconds, 1722624600);  // the last entry, 2024-08-02T18:50:00Z
}

TEST_F(EasyPostWebhookTest, OtherEventsAndOtherBodies) {
  auto batch = ParseEasyPostEvent(R"({"object":"Event","id":"evt_2","description":"batch.updated",)"
                                  R"("result":{"object":"Batch"}})");
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_FALSE(batch->has_value());

  auto created = ParseEasyPostEvent(
      R"({"object":"Event","id":"evt_3","description":"tracker.created","result":)"
      R"({"object":"Tracker","tracking_code":"EZ1","carrier":"USPS","status":"new_status",)"
      R"("tracking_details":[],"updated_at":"2024-07-30T16:06:32Z"}})");
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_TRUE(created->has_value());
  EXPECT_EQ((*created)->status, "unknown");
  EXPECT_EQ((*created)->occurred_unix_seconds, 1722355592);

  for (const char* body : {"", "not json", "[]", R"({"object":"Tracker"})",
                           R"({"object":"Event","description":"tracker.updated"})"}) {
    EXPECT_EQ(ParseEasyPostEvent(body).status().code(), absl::StatusCode::kInvalidArgument) << body;
  }
}

}  // namespace
}  // namespace returns::integrations
