#include "api/status_mapping.h"

#include <gtest/gtest.h>

#include "client/returns_client.h"
#include "domain/errors.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace returns::api {
namespace {

TEST(StatusMappingTest, BadFieldBecomesInvalidArgumentWithBadRequest) {
  grpc::Status status = ToGrpcStatus(InvalidField("lines[0].quantity", "must be positive"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  client::ErrorDetails details = client::ParseErrorDetails(status);
  EXPECT_EQ(details.reason, "INVALID_FIELD");
  EXPECT_EQ(details.field, "lines[0].quantity");
}

TEST(StatusMappingTest, PreconditionCarriesReasonAndMetadata) {
  grpc::Status status = ToGrpcStatus(
      PreconditionError("INVALID_STATE", "return is CANCELLED", {{"state", "CANCELLED"}}));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  client::ErrorDetails details = client::ParseErrorDetails(status);
  EXPECT_EQ(details.reason, "INVALID_STATE");
  EXPECT_EQ(details.metadata["state"], "CANCELLED");
  EXPECT_EQ(status.error_message(), "return is CANCELLED");
}

TEST(StatusMappingTest, StatusWithoutReasonUsesItsCodeName) {
  grpc::Status status = ToGrpcStatus(absl::UnavailableError("down"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(client::ParseErrorDetails(status).reason, "UNAVAILABLE");
}

TEST(StatusMappingTest, QuotaCarriesQuotaFailureWithItsSubject) {
  grpc::Status status = ToGrpcStatus(QuotaError(
      "EVIDENCE_QUOTA_EXCEEDED", "merchants/m1",
      "the merchant's evidence holds 10 bytes, its limit is 10", {{"quota", "stored_bytes"}}));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  client::ErrorDetails details = client::ParseErrorDetails(status);
  EXPECT_EQ(details.reason, "EVIDENCE_QUOTA_EXCEEDED");
  EXPECT_EQ(details.metadata["quota"], "stored_bytes");
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(status.error_details()));
  int quota_failures = 0;
  for (const auto& any : rpc.details()) {
    google::rpc::QuotaFailure failure;
    if (!any.Is<google::rpc::QuotaFailure>() || !any.UnpackTo(&failure)) continue;
    ++quota_failures;
    ASSERT_EQ(failure.violations_size(), 1);
    EXPECT_EQ(failure.violations(0).subject(), "merchants/m1");
    EXPECT_EQ(failure.violations(0).description(), status.error_message());
  }
  EXPECT_EQ(quota_failures, 1);
  // Load is not a quota: no QuotaFailure with RATE_LIMITED.
  grpc::Status limited = ToGrpcStatus(
      ErrorWithReason(absl::StatusCode::kResourceExhausted, "RATE_LIMITED", "slow down"));
  ASSERT_TRUE(rpc.ParseFromString(limited.error_details()));
  for (const auto& any : rpc.details()) EXPECT_FALSE(any.Is<google::rpc::QuotaFailure>());
}

TEST(StatusMappingTest, OkStaysOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

}  // namespace
}  // namespace returns::api
