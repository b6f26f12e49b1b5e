// The damage assessor over HTTP end to end (docs/integrations.md, "The damage assessor"): the
// real returnsd posts each photo to tests/assessor/fake_assessor.js from a durable job, the
// photo is "pending" until the answer comes, and the answer is recorded on the photo and decides
// the claim that waited for it. An assessor that fails is retried; one that breaks the contract,
// or never answers, leaves the photo unassessed and sends the claim to a person; a returnsd
// killed while asking asks again after its restart, and the claim is decided once.

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "e2e_fixture.h"
#include "integrations/http_client.h"
#include "returns/v1/claim_service.grpc.pb.h"
#include "returns/v1/logistics_service.grpc.pb.h"
#include "sample_images.h"
#include "script_process.h"

namespace returns::testing {
namespace {

constexpr char kToken[] = "assessor-token-for-tests";

// fake_assessor.js on a free port of 127.0.0.1.
class FakeAssessor {
 public:
  FakeAssessor()
      : process_({"node", std::string(RETURNS_SOURCE_DIR) + "/tests/assessor/fake_assessor.js",
                  "--port", "0"}) {}
  std::string Url() const { return absl::StrCat(Base(), "/assess"); }
  // The next `count` requests get `status` and, for a 2xx, `answer`.
  void SetMode(int status, int count, const nlohmann::json& answer = nullptr, int delay_ms = 0) {
    nlohmann::json mode = {{"status", status}, {"count", count}, {"delay_ms", delay_ms}};
    if (!answer.is_null()) mode["answer"] = answer;
    integrations::HttpRequest request;
    request.url = Base() + "/control/mode";
    request.body = mode.dump();
    ASSERT_TRUE(integrations::SendHttp(request, {}, kLoopback).ok());
  }
  nlohmann::json Requests() const {
    integrations::HttpRequest request;
    request.method = "GET";
    request.url = Base() + "/control/requests";
    integrations::HttpLimits limits;
    limits.max_response_bytes = 1 << 20;
    auto response = integrations::SendHttp(request, limits, kLoopback);
    return response.ok() ? nlohmann::json::parse(response->body) : nlohmann::json::array();
  }

 private:
  static constexpr integrations::DestinationRule kLoopback =
      integrations::DestinationRule::kAllowHttpAndLoopback;
  std::string Base() const { return absl::StrCat("http://127.0.0.1:", process_.port()); }
  ScriptProcess process_;
};

class DamageAssessorE2ETest : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    assessor_ = std::make_unique<FakeAssessor>();
    StartServer({});
  }

  // returnsd with the fake assessor (and no sandbox one), plus `more` flags.
  void StartServer(std::vector<std::string> more) {
    server_.reset();
    std::vector<std::string> args = {"--damage_assessor_url",
                                     assessor_->Url(),
                                     "--damage_assessor_token",
                                     kToken,
                                     "--integrations_allow_insecure",
                                     "--sandbox_damage_assessor=false",
                                     "--job_poll_ms",
                                     "50",
                                     "--job_retry_base_ms",
                                     "100"};
    args.insert(args.end(), more.begin(), more.end());
    server_ = std::make_unique<ServerProcess>(db_.url(), args);
    options_.address = server_->address();
    stubs_ = StubsFor(options_);
  }

  client::ClientOptions Admin() const {
    client::ClientOptions admin = options_;
    admin.api_key = admin_key_;
    return admin;
  }

  // A delivered order and a DAMAGED claim on it, waiting for its photo.
  v1::Claim DamagedClaim(const std::string& order_id) {
    v1::UpsertOrderRequest order = SampleOrder(order_id, 1);
    v1::OrderShipment* parcel = order.add_shipments();
    parcel->set_carrier("sandbox");
    parcel->set_tracking_number("TRK-" + order_id);
    parcel->mutable_promise_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 24 * 3600);
    parcel->add_lines()->set_order_line_id("L1");
    parcel->mutable_lines(0)->set_quantity(1);
    const grpc::Status upserted = Upsert(order);
    EXPECT_TRUE(upserted.ok()) << client::DescribeError(upserted);
    v1::RecordCarrierEventsRequest scans;
    auto* scan = scans.add_events();
    scan->set_carrier("sandbox");
    scan->set_tracking_number("TRK-" + order_id);
    scan->set_event_id("delivered-" + order_id);
    scan->set_code(v1::CARRIER_EVENT_CODE_DELIVERED);
    scan->mutable_event_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 3600);
    v1::RecordCarrierEventsResponse scanned;
    EXPECT_TRUE(v1::LogisticsService::NewStub(client::MakeChannel(Admin()))
                    ->RecordCarrierEvents(client::MakeContext(Admin()).get(), scans, &scanned)
                    .ok());
    v1::FileClaimRequest file;
    file.set_request_id("file-" + order_id);
    file.set_order_id(order_id);
    file.set_type(v1::CLAIM_TYPE_DAMAGED);
    file.add_lines()->set_order_line_id("L1");
    file.mutable_lines(0)->set_quantity(1);
    v1::Claim claim;
    const grpc::Status status = Claims()->FileClaim(Context().get(), file, &claim);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    EXPECT_EQ(claim.state(), v1::CLAIM_STATE_AWAITING_EVIDENCE);
    return claim;
  }

  v1::ClaimEvidence AddPhoto(const std::string& claim_id, const std::string& marker = "") {
    v1::AddClaimEvidenceRequest photo;
    photo.set_request_id("photo-" + claim_id + marker);
    photo.set_claim_id(claim_id);
    photo.set_file_name("photo.png");
    photo.set_data(PhotoBytes(2048, marker));
    photo.set_last(true);
    v1::ClaimEvidence evidence;
    const grpc::Status status = Claims()->AddClaimEvidence(Context().get(), photo, &evidence);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return evidence;
  }

  v1::Claim GetClaim(const std::string& claim_id) {
    v1::GetClaimRequest get;
    get.set_claim_id(claim_id);
    v1::Claim claim;
    EXPECT_TRUE(Claims()->GetClaim(Context().get(), get, &claim).ok());
    return claim;
  }

  // The claim once it no longer waits for evidence (or as it is after 30 s).
  v1::Claim Decided(const std::string& claim_id) {
    v1::Claim claim;
    const absl::Time until = absl::Now() + absl::Seconds(30);
    do {
      claim = GetClaim(claim_id);
      if (claim.state() != v1::CLAIM_STATE_AWAITING_EVIDENCE) break;
      absl::SleepFor(absl::Milliseconds(50));
    } while (absl::Now() < until);
    return claim;
  }

  std::unique_ptr<v1::ClaimService::Stub> Claims() const {
    return v1::ClaimService::NewStub(client::MakeChannel(options_));
  }

  std::string Count(const std::string& sql) { return QueryScalar(db_.url(), sql); }

  std::unique_ptr<FakeAssessor> assessor_;
};

TEST_F(DamageAssessorE2ETest, ThePhotoIsAssessedByAJobAndTheAnswerDecidesTheClaim) {
  const v1::Claim filed = DamagedClaim("da-1");
  const v1::ClaimEvidence added = AddPhoto(filed.claim_id());
  // The upload answers before the assessor is asked: the photo is pending, the claim waits.
  EXPECT_EQ(added.assessment().label(), "pending");

  const v1::Claim claim = Decided(filed.claim_id());
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_RESOLVED) << claim.DebugString();
  const nlohmann::json requests = assessor_->Requests();
  ASSERT_EQ(requests.size(), 1U) << requests.dump();
  const nlohmann::json& sent = requests[0];
  EXPECT_EQ(sent["authorization"], absl::StrCat("Bearer ", kToken));
  EXPECT_EQ(sent["idempotency_key"], added.evidence_id());
  EXPECT_EQ(sent["content_type"], "application/json");
  EXPECT_EQ(sent["evidence_id"], added.evidence_id());
  EXPECT_EQ(sent["claim_id"], filed.claim_id());
  EXPECT_EQ(sent["merchant_id"], merchant_id_);
  EXPECT_EQ(sent["claim_type"], "DAMAGED");
  EXPECT_EQ(sent["image_content_type"], "image/png");
  EXPECT_EQ(sent["size_bytes"], 2048);
  EXPECT_TRUE(sent["image_ok"].get<bool>()) << "the image does not match its size or SHA-256";

  // The answer is on the photo, on the timeline and among the decision's inputs.
  ASSERT_EQ(claim.evidence_size(), 1);
  EXPECT_EQ(claim.evidence(0).assessment().label(), "damage_visible");
  EXPECT_EQ(claim.evidence(0).assessment().confidence_milli(), 930);
  EXPECT_EQ(claim.evidence(0).assessment().model_version(), "fake-assessor/2");
  EXPECT_EQ(Count("SELECT count(*) FROM timeline_events WHERE event_type = "
                  "'claim.evidence_assessed'"),
            "1");
  EXPECT_EQ(Count("SELECT count(*) FROM decisions WHERE kind = 'claim_adjudication' AND outcome "
                  "= 'APPROVED' AND inputs::text LIKE '%damage_visible 930/1000 "
                  "(fake-assessor/2)%'"),
            "1");
  EXPECT_EQ(Count("SELECT state FROM jobs WHERE kind = 'ASSESS_EVIDENCE'"), "SUCCEEDED");
}

TEST_F(DamageAssessorE2ETest, AnAnswerOfNoDamageSendsTheClaimToAPerson) {
  const v1::Claim filed = DamagedClaim("da-2");
  AddPhoto(filed.claim_id(), "sandbox:no-damage");
  const v1::Claim claim = Decided(filed.claim_id());
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_IN_REVIEW);
  ASSERT_EQ(claim.evidence_size(), 1);
  EXPECT_EQ(claim.evidence(0).assessment().label(), "no_damage_visible");
  EXPECT_EQ(claim.evidence(0).assessment().confidence_milli(), 910);
}

TEST_F(DamageAssessorE2ETest, AFailingAssessorIsAskedAgainWithTheSameKey) {
  assessor_->SetMode(503, 2);
  const v1::Claim filed = DamagedClaim("da-3");
  const v1::ClaimEvidence added = AddPhoto(filed.claim_id());
  const v1::Claim claim = Decided(filed.claim_id());
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_RESOLVED);
  const nlohmann::json requests = assessor_->Requests();
  ASSERT_EQ(requests.size(), 3U);
  for (const nlohmann::json& sent : requests) {
    EXPECT_EQ(sent["idempotency_key"], added.evidence_id());
  }
  EXPECT_EQ(Count("SELECT attempts FROM jobs WHERE kind = 'ASSESS_EVIDENCE'"), "3");
}

TEST_F(DamageAssessorE2ETest, AnAnswerOutsideTheContractLeavesThePhotoToAPerson) {
  assessor_->SetMode(200, 1, {{"label", "probably_damaged"}, {"confidence", 0.99}});
  const v1::Claim filed = DamagedClaim("da-4");
  AddPhoto(filed.claim_id());
  const v1::Claim claim = Decided(filed.claim_id());
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_IN_REVIEW);
  ASSERT_EQ(claim.evidence_size(), 1);
  EXPECT_EQ(claim.evidence(0).assessment().label(), "unclear");
  EXPECT_EQ(claim.evidence(0).assessment().model_version(), "unavailable");
  // Final at once (no retry of a broken answer), and an operator sees the job dead-lettered.
  EXPECT_EQ(assessor_->Requests().size(), 1U);
  EXPECT_EQ(Count("SELECT state FROM jobs WHERE kind = 'ASSESS_EVIDENCE'"), "DEAD");
  EXPECT_EQ(Count("SELECT count(*) FROM timeline_events WHERE event_type = 'job.dead_lettered'"),
            "1");
}

TEST_F(DamageAssessorE2ETest, ARefusedTokenIsFinalAndNeverWrittenDown) {
  assessor_->SetMode(401, 5);  // the fake echoes the Authorization header in its error body
  const v1::Claim filed = DamagedClaim("da-7");
  AddPhoto(filed.claim_id());
  const v1::Claim claim = Decided(filed.claim_id());
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_IN_REVIEW);
  EXPECT_EQ(assessor_->Requests().size(), 1U);
  EXPECT_EQ(Count("SELECT state FROM jobs WHERE kind = 'ASSESS_EVIDENCE'"), "DEAD");
  EXPECT_EQ(Count("SELECT count(*) FROM jobs WHERE last_error LIKE '%HTTP 401%'"), "1");
  for (const char* sql : {"SELECT count(*) FROM jobs WHERE last_error LIKE '%assessor-token%'",
                          "SELECT count(*) FROM timeline_events WHERE summary LIKE "
                          "'%assessor-token%'"}) {
    EXPECT_EQ(Count(sql), "0") << sql;
  }
  EXPECT_EQ(server_->logs().find(kToken), std::string::npos);
}

TEST_F(DamageAssessorE2ETest, AnEchoedTokenIsCutFromAnError) {
  assessor_->SetMode(400, 1);
  const v1::Claim filed = DamagedClaim("da-8");
  AddPhoto(filed.claim_id());
  EXPECT_EQ(Decided(filed.claim_id()).state(), v1::CLAIM_STATE_IN_REVIEW);
  EXPECT_EQ(Count("SELECT count(*) FROM jobs WHERE last_error LIKE '%HTTP 400%[token]%'"), "1")
      << Count("SELECT last_error FROM jobs");
  EXPECT_EQ(Count("SELECT count(*) FROM jobs WHERE last_error LIKE '%assessor-token%'"), "0");
}

TEST_F(DamageAssessorE2ETest, TwoPhotosAreBothAnsweredBeforeTheClaimIsDecided) {
  // The first answer is slow: the claim must not be decided on the second photo alone.
  assessor_->SetMode(200, 1, {{"label", "unclear"}, {"confidence", 0.2}, {"model_version", "m/1"}},
                     3000);
  const v1::Claim filed = DamagedClaim("da-5");
  AddPhoto(filed.claim_id(), "first");
  AddPhoto(filed.claim_id(), "second");
  const v1::Claim claim = Decided(filed.claim_id());
  ASSERT_EQ(claim.evidence_size(), 2);
  for (const v1::ClaimEvidence& evidence : claim.evidence()) {
    EXPECT_NE(evidence.assessment().label(), "pending") << evidence.DebugString();
  }
  // One adjudication, with both answers among its inputs.
  EXPECT_EQ(
      Count("SELECT count(*) FROM decisions WHERE kind = 'claim_adjudication' AND inputs::text "
            "LIKE '%unclear 200/1000 (m/1)%' AND inputs::text LIKE '%damage_visible 930%'"),
      "1");
  EXPECT_EQ(Count("SELECT count(*) FROM decisions WHERE kind = 'claim_adjudication'"), "1");
}

TEST_F(DamageAssessorE2ETest, AServerKilledWhileAskingAsksAgainAfterItsRestart) {
  StartServer({"--job_lease_seconds", "2"});
  assessor_->SetMode(200, 1, nullptr, 4000);  // the first call outlives its server
  const v1::Claim filed = DamagedClaim("da-6");
  const v1::ClaimEvidence added = AddPhoto(filed.claim_id());
  const absl::Time until = absl::Now() + absl::Seconds(20);
  while (assessor_->Requests().empty() && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(assessor_->Requests().size(), 1U);
  server_->Kill();
  StartServer({"--job_lease_seconds", "2"});
  const v1::Claim claim = Decided(filed.claim_id());
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_RESOLVED);
  const nlohmann::json requests = assessor_->Requests();
  ASSERT_GE(requests.size(), 2U);
  for (const nlohmann::json& sent : requests) {
    EXPECT_EQ(sent["idempotency_key"], added.evidence_id());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM decisions WHERE kind = 'claim_adjudication'"), "1");
  EXPECT_EQ(Count("SELECT count(*) FROM money_movements"), "1");
}

TEST_F(DamageAssessorE2ETest, AnAssessorThatCannotBeUsedIsRefusedAtStart) {
  const struct {
    std::vector<std::string> flags;
    const char* says;
  } cases[] = {
      {{"--damage_assessor_url", "http://127.0.0.1:9/assess"}, "--integrations_allow_insecure"},
      {{"--damage_assessor_url", "https://10.1.2.3/assess"}, "--damage_assessor_url"},
      {{"--damage_assessor_url", "https://assessor.example/assess", "--damage_assessor_token",
        "token\n"},
       "control character"},
      {{"--damage_assessor_url", "https://assessor.example/assess", "--sandbox_damage_assessor"},
       "choose one"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--database_url", db_.url()};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    std::string output;
    const int code = ServerProcess::RunToCompletion(args, &output);
    EXPECT_NE(code, 0) << c.says;
    EXPECT_NE(output.find(c.says), std::string::npos) << output;
  }
}

}  // namespace
}  // namespace returns::testing
