#include <optional>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "app/common/enqueue_job.h"
#include "common/enum_text.h"
#include "domain/decision_kind.h"
#include "google/protobuf/util/json_util.h"
#include "returns/v1/job.pb.h"

// The texts the kinds are stored and sent as: a changed one would orphan stored rows or break
// clients that filter on it.
namespace returns {
namespace {

TEST(JobKindTest, StoredAsItsShortName) {
  EXPECT_EQ(EnumText(v1::JOB_KIND_ISSUE_LABEL), "ISSUE_LABEL");
  EXPECT_EQ(EnumText(v1::JOB_KIND_VOID_LABEL), "VOID_LABEL");
  EXPECT_EQ(EnumText(v1::JOB_KIND_REQUEST_FULFILLMENT), "REQUEST_FULFILLMENT");
  EXPECT_EQ(EnumText(v1::JOB_KIND_NOTIFY_CUSTOMER), "NOTIFY_CUSTOMER");
  EXPECT_EQ(EnumText(v1::JOB_KIND_ASSESS_EVIDENCE), "ASSESS_EVIDENCE");
  std::set<int> listed;
  for (const v1::JobKind kind : app::kJobKinds) {
    EXPECT_EQ(ParseEnum<v1::JobKind>(EnumText(kind)), kind);
    listed.insert(kind);
  }
  EXPECT_EQ(listed.size(), 5u) << "app::kJobKinds lists every kind once";
}

// Releases before V0031 stored and printed REQUEST_FULFILMENT: rows they wrote, and JSON that
// carries the old name, read as the same kind; JSON prints the new name.
TEST(JobKindTest, BothSpellingsOfFulfillmentAreOneKind) {
  EXPECT_EQ(ParseEnum<v1::JobKind>("REQUEST_FULFILMENT"), v1::JOB_KIND_REQUEST_FULFILLMENT);
  EXPECT_EQ(ParseEnum<v1::JobKind>("REQUEST_FULFILLMENT"), v1::JOB_KIND_REQUEST_FULFILLMENT);
  EXPECT_EQ(ParseEnum<v1::JobKind>("JOB_KIND_REQUEST_FULFILMENT"),
            v1::JOB_KIND_REQUEST_FULFILLMENT);
  v1::Job job;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  R"({"kind": "JOB_KIND_REQUEST_FULFILMENT"})", &job)
                  .ok());
  EXPECT_EQ(job.kind(), v1::JOB_KIND_REQUEST_FULFILLMENT);
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(job, &json).ok());
  EXPECT_EQ(json, R"({"kind":"JOB_KIND_REQUEST_FULFILLMENT"})");
}

// A kind a newer release stores reads as no kind (the job runner dead-letters it), never throws.
TEST(JobKindTest, AnUnknownStoredKindIsNone) {
  EXPECT_EQ(ParseEnum<v1::JobKind>("SEND_PIGEON"), std::nullopt);
  EXPECT_EQ(ParseEnum<v1::JobKind>(""), std::nullopt);
  EXPECT_EQ(EnumText(static_cast<v1::JobKind>(99)), "UNKNOWN_99");
}

TEST(DecisionKindTest, TextsAreTheStoredAndWireOnes) {
  EXPECT_EQ(DecisionKindText(DecisionKind::kReturnEligibility), "return_eligibility");
  EXPECT_EQ(DecisionKindText(DecisionKind::kReturnApproval), "return_approval");
  EXPECT_EQ(DecisionKindText(DecisionKind::kReturnResolution), "return_resolution");
  EXPECT_EQ(DecisionKindText(DecisionKind::kInstantExchange), "instant_exchange");
  EXPECT_EQ(DecisionKindText(DecisionKind::kClaimAdjudication), "claim_adjudication");
  EXPECT_EQ(DecisionKindText(DecisionKind::kMoneyMovementFailure), "money_movement_failure");
  EXPECT_EQ(DecisionKindText(DecisionKind::kBonusCredit), "bonus_credit");
  std::set<std::string> texts;
  for (const DecisionKind kind : kAllDecisionKinds) {
    EXPECT_EQ(ParseDecisionKind(DecisionKindText(kind)), kind);
    texts.insert(std::string(DecisionKindText(kind)));
  }
  EXPECT_EQ(texts.size(), 7u);
  EXPECT_EQ(ParseDecisionKind("Return_Approval"), std::nullopt);  // exact text only
  EXPECT_EQ(ParseDecisionKind("refund_fraud_check"), std::nullopt);
}

}  // namespace
}  // namespace returns
