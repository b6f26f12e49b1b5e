// Claims through the real server over gRPC: every type ends in each resolution, and many clients
// on two replicas filing claims and returns on one line, with repeated request ids, never cover
// more units than were bought.
#include <mutex>
#include <random>
#include <thread>

#include "sample_images.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "e2e_fixture.h"
#include "returns/v1/claim_service.grpc.pb.h"
#include "returns/v1/logistics_service.grpc.pb.h"

namespace returns::testing {
namespace {

class ClaimsE2ETest : public E2ETest {
 protected:
  client::ClientOptions Admin() const {
    client::ClientOptions admin = options_;
    admin.api_key = admin_key_;
    return admin;
  }

  // Order `order_id` (L1 x `quantity`) with one parcel holding all of L1, promised `promised_ago`.
  void OrderWithParcel(const std::string& order_id, int quantity, absl::Duration promised_ago) {
    v1::UpsertOrderRequest request = SampleOrder(order_id, quantity);
    v1::OrderShipment* parcel = request.add_shipments();
    parcel->set_carrier("sandbox");
    parcel->set_tracking_number("TRK-" + order_id);
    parcel->mutable_promise_time()->set_seconds(absl::ToUnixSeconds(absl::Now() - promised_ago));
    parcel->add_lines()->set_order_line_id("L1");
    parcel->mutable_lines(0)->set_quantity(quantity);
    const grpc::Status status = Upsert(request);
    ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  }

  void Delivered(const std::string& order_id) {
    v1::RecordCarrierEventsRequest request;
    auto* scan = request.add_events();
    scan->set_carrier("sandbox");
    scan->set_tracking_number("TRK-" + order_id);
    scan->set_event_id("delivered-" + order_id);
    scan->set_code(v1::CARRIER_EVENT_CODE_DELIVERED);
    scan->mutable_event_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 3600);
    v1::RecordCarrierEventsResponse response;
    ASSERT_TRUE(v1::LogisticsService::NewStub(client::MakeChannel(Admin()))
                    ->RecordCarrierEvents(client::MakeContext(Admin()).get(), request, &response)
                    .ok());
    ASSERT_EQ(response.results(0).outcome(), v1::CARRIER_EVENT_OUTCOME_APPLIED);
  }
};

TEST_F(ClaimsE2ETest, EveryTypeEndsInEachResolution) {
  QueryScalar(db_.url(), "UPDATE policies SET claim_max_customer_claims = 100");
  QueryScalar(
      db_.url(),
      "INSERT INTO inventory_levels (merchant_id, sku, on_hand, currency_code, unit_price_minor) "
      "VALUES ('" +
          merchant_id_ + "', 'TEE-BLUE-S', 100, 'EUR', 2500)");
  auto claims = v1::ClaimService::NewStub(client::MakeChannel(options_));
  auto logistics = v1::LogisticsService::NewStub(client::MakeChannel(Admin()));
  int n = 0;
  for (v1::ClaimType type : {v1::CLAIM_TYPE_LOST, v1::CLAIM_TYPE_DAMAGED, v1::CLAIM_TYPE_STOLEN,
                             v1::CLAIM_TYPE_WRONG_ITEM}) {
    for (v1::ClaimResolution resolution :
         {v1::CLAIM_RESOLUTION_RESHIP, v1::CLAIM_RESOLUTION_REFUND}) {
      const std::string order_id = absl::StrCat("c-", ++n);
      SCOPED_TRACE(order_id + " " + v1::ClaimType_Name(type) + " " +
                   v1::ClaimResolution_Name(resolution));
      QueryScalar(
          db_.url(),
          absl::StrCat("UPDATE policies SET claim_resolution_preference = '",
                       resolution == v1::CLAIM_RESOLUTION_RESHIP ? "RESHIP" : "REFUND", "'"));
      OrderWithParcel(order_id, 2,
                      type == v1::CLAIM_TYPE_LOST ? absl::Hours(24 * 10) : absl::Hours(24));
      if (type != v1::CLAIM_TYPE_LOST) Delivered(order_id);

      v1::FileClaimRequest file;
      file.set_request_id("file-" + order_id);
      file.set_order_id(order_id);
      file.set_type(type);
      file.add_lines()->set_order_line_id("L1");
      file.mutable_lines(0)->set_quantity(1);
      v1::Claim claim;
      grpc::Status status = claims->FileClaim(Context().get(), file, &claim);
      ASSERT_TRUE(status.ok()) << client::DescribeError(status);
      if (type == v1::CLAIM_TYPE_DAMAGED || type == v1::CLAIM_TYPE_WRONG_ITEM) {
        ASSERT_EQ(claim.state(), v1::CLAIM_STATE_AWAITING_EVIDENCE);
        v1::AddClaimEvidenceRequest photo;
        photo.set_request_id("photo-" + order_id);
        photo.set_claim_id(claim.claim_id());
        photo.set_file_name("photo.png");
        photo.set_data(PhotoBytes(508));
        photo.set_last(true);
        v1::ClaimEvidence evidence;
        status = claims->AddClaimEvidence(Context().get(), photo, &evidence);
        ASSERT_TRUE(status.ok()) << client::DescribeError(status);
        v1::GetClaimRequest get;
        get.set_claim_id(claim.claim_id());
        ASSERT_TRUE(claims->GetClaim(Context().get(), get, &claim).ok());
      }
      EXPECT_EQ(claim.resolution(), resolution);
      if (resolution == v1::CLAIM_RESOLUTION_REFUND) {
        EXPECT_EQ(claim.state(), v1::CLAIM_STATE_RESOLVED);
        EXPECT_EQ(claim.refund_amount().amount_minor(), 2500);
        continue;
      }
      ASSERT_EQ(claim.state(), v1::CLAIM_STATE_APPROVED);
      ASSERT_EQ(claim.reship_shipment_ids_size(), 1);
      v1::ConfirmFulfillmentRequest confirm;
      confirm.set_request_id("confirm-" + order_id);
      confirm.set_shipment_id(claim.reship_shipment_ids(0));
      confirm.set_carrier("sandbox");
      confirm.set_tracking_number("RESHIP-" + order_id);
      v1::Shipment shipment;
      status =
          logistics->ConfirmFulfillment(client::MakeContext(Admin()).get(), confirm, &shipment);
      ASSERT_TRUE(status.ok()) << client::DescribeError(status);
      v1::GetClaimRequest get;
      get.set_claim_id(claim.claim_id());
      ASSERT_TRUE(claims->GetClaim(Context().get(), get, &claim).ok());
      EXPECT_EQ(claim.state(), v1::CLAIM_STATE_RESOLVED);
    }
  }
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM claims WHERE state = 'RESOLVED'"), "8");
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT on_hand FROM inventory_levels"), "96");
  EXPECT_EQ(QueryScalar(db_.url(),
                        "SELECT count(*) FROM decisions WHERE kind = 'claim_adjudication' "
                        "AND outcome = 'APPROVED' AND rule_version = 'claim-rules/1'"),
            "8");
}

// Seeded: RETURNS_CLAIMS_SEED picks the interleaving of requests (not of threads).
TEST_F(ClaimsE2ETest, ClaimsAndReturnsOnOneLineFromManyClientsNeverExceedIt) {
  constexpr int kBought = 5;
  OrderWithParcel("9009", kBought, absl::Hours(24));
  Delivered("9009");
  ServerProcess second(db_.url());
  const char* seed_env = std::getenv("RETURNS_CLAIMS_SEED");
  const uint64_t seed = seed_env ? std::strtoull(seed_env, nullptr, 10) : 7;
  // A request id always carries the same request: claims "c<k>" and returns "r<k>", k in 0..7,
  // each for 1 or 2 units, so repeated ids are retries of one request.
  auto quantity_of = [](int k) { return 1 + k % 2; };
  struct Outcome {
    std::string id;
    int quantity;
    bool ok;
    std::string reason;
  };
  std::mutex mu;
  std::vector<Outcome> outcomes;
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      std::mt19937_64 random(seed * 100 + t);
      client::ClientOptions options = options_;
      options.address = t % 2 == 0 ? server_->address() : second.address();
      auto claims = v1::ClaimService::NewStub(client::MakeChannel(options));
      auto returns = v1::ReturnService::NewStub(client::MakeChannel(options));
      for (int i = 0; i < 6; ++i) {
        const int k = std::uniform_int_distribution<int>(0, 7)(random);
        const bool claim = std::uniform_int_distribution<int>(0, 1)(random) == 0;
        const std::string id = absl::StrCat(claim ? "c" : "r", k);
        grpc::Status status;
        if (claim) {
          v1::FileClaimRequest file;
          file.set_request_id(id);
          file.set_order_id("9009");
          file.set_type(v1::CLAIM_TYPE_DAMAGED);
          file.add_lines()->set_order_line_id("L1");
          file.mutable_lines(0)->set_quantity(quantity_of(k));
          v1::Claim response;
          status = claims->FileClaim(client::MakeContext(options).get(), file, &response);
        } else {
          v1::CreateReturnRequest create = SampleReturn("9009", "L1", quantity_of(k));
          create.set_request_id(id);
          v1::Return response;
          status = returns->CreateReturn(client::MakeContext(options).get(), create, &response);
        }
        std::lock_guard<std::mutex> lock(mu);
        outcomes.push_back({id, quantity_of(k), status.ok(), status.ok() ? "" : Reason(status)});
      }
    });
  }
  for (auto& c : clients) c.join();

  // The model: each distinct id that succeeded covers its units once; a refusal is only ever
  // "not enough left" (and then, as units only grow here, not enough is left at the end either).
  std::map<std::string, int> covered_by;
  for (const Outcome& o : outcomes) {
    if (o.ok) {
      covered_by[o.id] = o.quantity;
    } else {
      EXPECT_TRUE(o.reason == "CLAIM_QUANTITY_EXCEEDED" || o.reason == "RETURN_QUANTITY_EXCEEDED" ||
                  o.reason == "REQUEST_IN_PROGRESS")
          << o.id << ": " << o.reason;
    }
  }
  int covered = 0;
  for (const auto& [id, quantity] : covered_by) covered += quantity;
  EXPECT_LE(covered, kBought);
  for (const Outcome& o : outcomes) {
    if (!o.ok && !covered_by.count(o.id) && o.reason != "REQUEST_IN_PROGRESS") {
      EXPECT_GT(covered + o.quantity, kBought) << o.id << " was refused with room left";
    }
  }
  const std::string in_db = QueryScalar(db_.url(),
                                        "SELECT returned_quantity + claimed_quantity FROM "
                                        "order_lines WHERE order_id = '9009' AND line_id = 'L1'");
  EXPECT_EQ(in_db, std::to_string(covered));
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM claims"),
            std::to_string(std::count_if(covered_by.begin(), covered_by.end(),
                                         [](auto& p) { return p.first[0] == 'c'; })));
}

}  // namespace
}  // namespace returns::testing
