#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "client/returns_client.h"
#include "returns/v1/order_service.grpc.pb.h"
#include "returns/v1/return_service.grpc.pb.h"
#include "returns/v1/timeline_service.grpc.pb.h"
#include "sample_orders.h"
#include "server_process.h"
#include "invariants.h"
#include "test_database.h"

namespace returns::testing {

// The real returnsd on a free port against a fresh database, one merchant, and stubs over a
// real channel. Every call has a deadline (client::MakeContext).
class E2ETest : public ::testing::Test {
 protected:
  void SetUp() override;
  // Every test also leaves the database with every invariant of the service intact
  // (tests/support/invariants.h), checked while the server still runs.
  void TearDown() override;

  // Stubs bound to `options` (this test's server and merchant unless changed).
  struct Stubs {
    std::unique_ptr<v1::OrderService::Stub> orders;
    std::unique_ptr<v1::ReturnService::Stub> returns;
    std::unique_ptr<v1::TimelineService::Stub> timeline;
  };
  static Stubs StubsFor(const client::ClientOptions& options);

  std::unique_ptr<grpc::ClientContext> Context() const { return client::MakeContext(options_); }

  grpc::Status Upsert(const v1::UpsertOrderRequest& request, v1::Order* order = nullptr);
  grpc::Status Create(const v1::CreateReturnRequest& request, v1::Return* ret = nullptr);

  // Starts the server again on the same database (after Kill or Terminate); new stubs.
  void RestartServer();

  // Options and stubs for another merchant of the same database (with a STOREFRONT key).
  client::ClientOptions OtherMerchant(const std::string& name = "Other Shop");

  TestDatabase db_;
  std::unique_ptr<ServerProcess> server_;
  std::string merchant_id_;
  std::string admin_key_;       // this merchant's ADMIN key
  std::string storefront_key_;  // this merchant's STOREFRONT key: what options_ uses
  client::ClientOptions options_;
  Stubs stubs_;
};

// Runs the built returnsctl with `args` (and `input` on its standard input); its exit code and
// its output (stdout and stderr).
std::pair<int, std::string> RunReturnsctl(const std::vector<std::string>& args,
                                          const std::string& input = "");

// The reason in the error details (ErrorInfo.reason) of `status`.
inline std::string Reason(const grpc::Status& status) {
  return client::ParseErrorDetails(status).reason;
}
inline std::string Field(const grpc::Status& status) {
  return client::ParseErrorDetails(status).field;
}

}  // namespace returns::testing
