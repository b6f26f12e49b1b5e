// The policy as versioned data: updates with a mask and an etag, validation naming the field,
// every version kept with who and why, the change on the feed, and what returns, tokens and
// claims record of the version they were decided under.
#include <functional>

#include "app_fixture.h"
#include "domain/errors.h"
#include "integrations/integrations.h"
#include "sample_orders.h"

namespace returns::testing {
namespace {

class PolicyTest : public AppTest {
 protected:
  absl::StatusOr<v1::Policy> Update(const std::string& request_id, const v1::Policy& policy,
                                    std::vector<std::string> paths,
                                    const std::string& reason = "") {
    v1::UpdatePolicyRequest request;
    request.set_request_id(request_id);
    *request.mutable_policy() = policy;
    for (const auto& path : paths) request.mutable_update_mask()->add_paths(path);
    request.set_reason(reason);
    auto call = Call(request_id);
    call.principal.key_id = "admin-key";
    v1::Policy response;
    absl::Status status = app::UpdatePolicy(app_, call, request, &response);
    if (!status.ok()) return status;
    return response;
  }
  std::string Count(const std::string& sql) { return Scalar("SELECT count(*) FROM " + sql); }
  v1::Policy Current(int64_t version = 0) {
    v1::GetPolicyRequest request;
    request.set_version(version);
    v1::Policy policy;
    EXPECT_TRUE(app::GetPolicy(app_, Call(), request, &policy).ok());
    return policy;
  }
};

TEST_F(PolicyTest, AnUpdateMakesANewVersionAndKeepsTheOldOne) {
  const v1::Policy first = Current();
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.return_window_days(), 30);
  EXPECT_EQ(first.default_carrier(), "sandbox");
  EXPECT_EQ(first.claim_resolution_preference(), "RESHIP");

  v1::Policy change;
  change.set_return_window_days(45);
  change.set_currency_code("EUR");
  change.mutable_restocking_fee()->set_currency_code("EUR");
  change.mutable_restocking_fee()->set_amount_minor(300);
  change.set_etag(first.etag());
  auto second = Update("u1", change, {"return_window_days", "currency_code", "restocking_fee"},
                       "holiday season");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->version(), 2);
  EXPECT_EQ(second->return_window_days(), 45);
  EXPECT_EQ(second->restocking_fee().amount_minor(), 300);
  EXPECT_EQ(second->charge_window_days(), first.charge_window_days());  // untouched by the mask
  // A retry is the same answer and no third version.
  auto again = Update("u1", change, {"return_window_days", "currency_code", "restocking_fee"},
                      "holiday season");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version(), 2);
  // The old etag is stale now.
  change.set_return_window_days(50);
  EXPECT_EQ(Update("u2", change, {"return_window_days"}).status().code(),
            absl::StatusCode::kAborted);

  EXPECT_EQ(Current(1).return_window_days(), 30);
  EXPECT_EQ(Current(2).return_window_days(), 45);
  v1::ListPolicyVersionsResponse versions;
  ASSERT_TRUE(app::ListPolicyVersions(app_, Call(), {}, &versions).ok());
  ASSERT_EQ(versions.versions_size(), 2);
  EXPECT_EQ(versions.versions(0).version(), 2);
  EXPECT_EQ(versions.versions(0).actor(), "api_keys/admin-key");
  EXPECT_EQ(versions.versions(0).reason(), "holiday season");
  EXPECT_EQ(versions.versions(1).actor(), "default");
  EXPECT_EQ(Count("outbox_events WHERE type = 'policy.updated'"), "1");
  EXPECT_EQ(
      Scalar(
          "SELECT payload->>'return_window_days' FROM outbox_events WHERE type = 'policy.updated'"),
      "45");
}

TEST_F(PolicyTest, EveryFieldIsValidatedByName) {
  const struct {
    std::string path;
    std::function<void(v1::Policy*)> set;
    std::string field;
  } cases[] = {
      {"return_window_days", [](v1::Policy* p) { p->set_return_window_days(0); },
       "policy.return_window_days"},
      {"exchange_token_ttl_days", [](v1::Policy* p) { p->set_exchange_token_ttl_days(400); },
       "policy.exchange_token_ttl_days"},
      {"claim_lost_grace_days", [](v1::Policy* p) { p->set_claim_lost_grace_days(-1); },
       "policy.claim_lost_grace_days"},
      {"claim_resolution_preference",
       [](v1::Policy* p) { p->set_claim_resolution_preference("SHRUG"); },
       "policy.claim_resolution_preference"},
      {"restocking_fee", [](v1::Policy* p) { p->mutable_restocking_fee()->set_amount_minor(-1); },
       "policy.restocking_fee.amount_minor"},
      {"final_sale_skus",
       [](v1::Policy* p) {
         p->add_final_sale_skus("A");
         p->add_final_sale_skus("A");
       },
       "policy.final_sale_skus[1]"},
      {"default_carrier", [](v1::Policy* p) { p->set_default_carrier(""); },
       "policy.default_carrier"},
      {"store_credit_bonus_basis_points",
       [](v1::Policy* p) { p->set_store_credit_bonus_basis_points(10001); },
       "policy.store_credit_bonus_basis_points"},
      {"exchange_bonus_basis_points", [](v1::Policy* p) { p->set_exchange_bonus_basis_points(-1); },
       "policy.exchange_bonus_basis_points"},
      {"exchange_bonus", [](v1::Policy* p) { p->mutable_exchange_bonus()->set_amount_minor(-5); },
       "policy.exchange_bonus.amount_minor"},
      {"bonus_cap_per_return",
       [](v1::Policy* p) { p->mutable_bonus_cap_per_return()->set_amount_minor(-1); },
       "policy.bonus_cap_per_return.amount_minor"},
      {"store_credit_bonus",
       [](v1::Policy* p) { p->mutable_store_credit_bonus()->set_amount_minor(2'000'000'000); },
       "policy.store_credit_bonus.amount_minor"},
      {"bonus_excluded_categories",
       [](v1::Policy* p) { p->add_bonus_excluded_categories("has space"); },
       "policy.bonus_excluded_categories[0]"},
  };
  int n = 0;
  for (const auto& c : cases) {
    v1::Policy policy;
    c.set(&policy);
    const absl::Status status = Update("bad-" + std::to_string(++n), policy, {c.path}).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.path << ": " << status;
    EXPECT_EQ(FieldOf(status).value_or(""), c.field) << c.path << ": " << status;
  }
  EXPECT_EQ(Current().version(), 1);  // nothing stored
}

TEST_F(PolicyTest, ReturnsRecordTheVersionTheyWereDecidedUnder) {
  auto call = Call("order-1");
  v1::Order order;
  ASSERT_TRUE(app::UpsertOrder(app_, call, SampleOrder("1001"), &order).ok());
  call = Call("return-1");
  v1::Return before;
  ASSERT_TRUE(app::CreateReturn(app_, call, SampleReturn("1001", "L1", 1), &before).ok());
  EXPECT_EQ(before.policy_version(), 1);
  v1::Policy change;
  change.set_return_window_days(90);
  ASSERT_TRUE(Update("u1", change, {"return_window_days"}).ok());
  call = Call("return-2");
  v1::Return after;
  ASSERT_TRUE(app::CreateReturn(app_, call, SampleReturn("1001", "L2", 1), &after).ok());
  EXPECT_EQ(after.policy_version(), 2);
  // The new window applies: an order delivered 60 days ago is still returnable.
  call = Call("order-2");
  ASSERT_TRUE(app::UpsertOrder(app_, call, SampleOrder("1002", 2, 60), &order).ok());
  call = Call("return-3");
  EXPECT_TRUE(app::CreateReturn(app_, call, SampleReturn("1002", "L1", 1), &after).ok());
}

TEST_F(PolicyTest, AnUnknownCarrierIsRefused) {
  integrations::Integrations none;
  app_.integrations = &none;
  v1::Policy change;
  change.set_default_carrier("pigeon");
  EXPECT_EQ(ReasonOf(Update("c1", change, {"default_carrier"}).status()), "UNKNOWN_CARRIER");
}

}  // namespace
}  // namespace returns::testing
