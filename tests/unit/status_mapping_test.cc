#include "api/status_mapping.h"

#include <gtest/gtest.h>

#include "client/returns_client.h"
#include "domain/errors.h"

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

TEST(StatusMappingTest, OkStaysOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

}  // namespace
}  // namespace returns::api
