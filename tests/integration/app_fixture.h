#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/time/clock.h"
#include "absl/strings/match.h"
#include "app/common/app_context.h"
#include "app/use_cases.h"
#include "integrations/integrations.h"
#include "storage/connection_pool.h"
#include "invariants.h"
#include "test_database.h"

namespace returns::testing {

// Use cases against a real PostgreSQL: a fresh database and merchant per test.
class AppTest : public ::testing::Test {
 protected:
  AppTest() : pool_(db_.url(), 8), merchant_id_(CreateTestMerchant(db_.url()).merchant_id) {
    app_.pool = &pool_;
    app_.integrations = &default_integrations_;  // fixtures with adapters of their own replace it
    app_.page_token_secret = absl::HexStringToBytes(
        QueryScalar(db_.url(), "SELECT encode(secret, 'hex') FROM server_secrets"));
  }

  // A call of this test's merchant with a fresh deadline.
  app::CallContext Call(const std::string& request_id = "",
                        absl::Duration timeout = absl::Seconds(20)) const {
    app::CallContext call;
    call.merchant_id = merchant_id_;
    call.deadline = absl::Now() + timeout;
    call.request_id = request_id;
    return call;
  }

  // Reads one value. The change feed (outbox_events) is numbered after commit by the server's
  // sequencer, which these tests run without: a read of it runs a sequencer pass first, as the
  // server would have by then.
  std::string Scalar(const std::string& sql) {
    if (absl::StrContains(sql, "outbox_events")) SequenceFeed();
    return QueryScalar(db_.url(), sql);
  }
  void SequenceFeed() {
    absl::StatusOr<int> numbered = app::SequenceChangeFeed(pool_, 100000);
    ASSERT_TRUE(numbered.ok()) << numbered.status();
  }

  // Every test also leaves the database with every invariant of the service intact.
  void TearDown() override {
    const auto broken = CheckInvariants(db_.url());
    EXPECT_TRUE(broken.empty()) << Describe(broken);
  }

  TestDatabase db_;
  storage::ConnectionPool pool_;
  const integrations::Integrations default_integrations_ = integrations::SandboxIntegrations();
  app::AppContext app_;
  std::string merchant_id_;
};

}  // namespace returns::testing
