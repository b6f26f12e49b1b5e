// Regression tests for the money and stock findings of the integrity review: each scenario took or
// gave the wrong amount before its fix. Use cases on real PostgreSQL.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/except>

#include "app/common/idempotency.h"
#include "exchange_token_fixture.h"

namespace returns::testing {
namespace {

class MoneyIntegrityTest : public ExchangeSettlementTest {
 protected:
  absl::Status Resolve(const std::string& return_id, const std::vector<std::string>& withheld,
                       v1::Return* out) {
    v1::ResolveReturnRequest request;
    request.set_request_id(client::NewRequestId());
    request.set_return_id(return_id);
    for (const auto& line : withheld) request.add_withheld_order_line_ids(line);
    request.set_note("inspected");
    auto call = Call(request.request_id());
    return app::ResolveReturn(app_, call, request, out);
  }
  int Events(const std::string& type) {
    return std::stoi(Scalar("SELECT count(*) FROM outbox_events WHERE type = '" + type + "'"));
  }
  // An order of one line of `quantity` units at `unit_minor` (`currency`), delivered 3 days ago.
  absl::Status Order(const std::string& order_id, int quantity, int64_t unit_minor,
                     const std::string& currency = "EUR") {
    v1::UpsertOrderRequest request = ExchangeOrder(order_id, 1);
    request.mutable_order()->set_currency_code(currency);
    auto* line = request.mutable_order()->mutable_lines(0);
    line->set_quantity(quantity);
    line->mutable_unit_price()->set_currency_code(currency);
    line->mutable_unit_price()->set_amount_minor(unit_minor);
    auto call = Call(request.request_id());
    v1::Order order;
    return app::UpsertOrder(app_, call, request, &order);
  }
  absl::Status Stocked(const std::string& sku, int on_hand, int64_t unit_minor,
                       const std::string& currency = "EUR") {
    v1::SetInventoryLevelsRequest request = ReplacementStock(on_hand, unit_minor);
    request.mutable_levels(0)->set_sku(sku);
    request.mutable_levels(0)->mutable_unit_price()->set_currency_code(currency);
    auto call = Call(request.request_id());
    v1::SetInventoryLevelsResponse out;
    return app::SetInventoryLevels(app_, call, request, &out);
  }
  absl::StatusOr<v1::Return> Returned(const std::string& order_id, int quantity,
                                      v1::Resolution resolution,
                                      const std::string& replacement = "") {
    v1::CreateReturnRequest request = ExchangeReturn(order_id, 1);
    request.mutable_lines(0)->set_quantity(quantity);
    request.mutable_lines(0)->set_resolution(resolution);
    request.mutable_lines(0)->set_replacement_sku(replacement);
    auto call = Call(request.request_id());
    v1::Return ret;
    absl::Status s = app::CreateReturn(app_, call, request, &ret);
    if (!s.ok()) return s;
    return ret;
  }
};

// Finding 1: CHARGE_DUE -> CHARGED -> late scan -> DAMAGED -> withheld raised a second charge
// for the full amount, and the token stayed CHARGE_DUE for ever.
TEST_F(MoneyIntegrityTest, AChargedTokenWithheldAtResolutionIsNeverChargedAgain) {
  const std::string return_id = Prepare(1, 10);
  v1::ExchangeToken token = Redeemed(return_id);
  Advance(absl::Hours(24 * 15));
  ASSERT_EQ(Sweep()->charge_due, 1);
  ASSERT_TRUE(
      ReportOutcome(token.exchange_token_id(), v1::CHARGE_OUTCOME_CHARGED, "c1", &token).ok());
  ASSERT_EQ(Scan(return_id), 1);
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_DAMAGED).ok());
  v1::Return resolved;
  ASSERT_TRUE(Resolve(return_id, {"L0"}, &resolved).ok());
  EXPECT_EQ(Events("exchange_token.charge_due"), 1);
  EXPECT_EQ(Events("exchange_token.charge_refund_due"), 0);
  // The charge already collected stands: the token ends CHARGED, nothing awaits an outcome.
  EXPECT_EQ(TokenState(), "CHARGED");
}

// Finding 1, the charge still in flight: the earlier charge_due stands; no second one.
TEST_F(MoneyIntegrityTest, AChargeInFlightIsNotRaisedAgainWhenTheOriginalIsWithheld) {
  const std::string return_id = Prepare(1, 10);
  v1::ExchangeToken token = Redeemed(return_id);
  Advance(absl::Hours(24 * 15));
  ASSERT_EQ(Sweep()->charge_due, 1);
  ASSERT_EQ(Scan(return_id), 1);
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_WRONG_ITEM).ok());
  v1::Return resolved;
  ASSERT_TRUE(Resolve(return_id, {"L0"}, &resolved).ok());
  EXPECT_EQ(Events("exchange_token.charge_due"), 1);
  EXPECT_EQ(TokenState(), "CHARGE_DUE");
  // The outcome of that one charge is still accepted, once.
  ASSERT_TRUE(
      ReportOutcome(token.exchange_token_id(), v1::CHARGE_OUTCOME_CHARGED, "c1", &token).ok());
  EXPECT_EQ(TokenState(), "CHARGED");
  EXPECT_EQ(Events("exchange_token.charge_refund_due"), 0);
}

// Finding 2: the instant-exchange limit looked at the original's unit price (5 EUR) while the
// merchant risked 3 x 2,500 EUR of replacements.
TEST_F(MoneyIntegrityTest, TheInstantExchangeLimitCoversTheReplacementsValue) {
  ASSERT_TRUE(Order("socks", 3, 500).ok());
  ASSERT_TRUE(Stocked("JACKET-XL", 10, 250000).ok());
  auto ret = Returned("socks", 3, v1::RESOLUTION_EXCHANGE, "JACKET-XL");
  ASSERT_TRUE(ret.ok()) << ret.status();
  v1::IssueExchangeTokenResponse issued;
  absl::Status refused = Issue(IssueRequest(ret->return_id()), &issued);
  EXPECT_EQ(ReasonOf(refused), "ITEM_VALUE_ABOVE_LIMIT");  // 750,000 at risk, limit 50,000
  EXPECT_EQ(Scalar("SELECT sum(reserved) FROM inventory_levels"), "0");
  // Within the limit by value: three 100 EUR replacements (30,000 at risk) are fine.
  Scalar("UPDATE policies SET instant_exchange_max_item_minor = 30000");
  ASSERT_TRUE(Order("caps", 3, 500).ok());
  ASSERT_TRUE(Stocked("CAP", 10, 10000).ok());
  auto caps = Returned("caps", 3, v1::RESOLUTION_EXCHANGE, "CAP");
  ASSERT_TRUE(caps.ok());
  EXPECT_TRUE(Issue(IssueRequest(caps->return_id()), &issued).ok());
  EXPECT_EQ(issued.exchange_token().charge_amount().amount_minor(), 30000);
  EXPECT_EQ(issued.exchange_token().upsell_amount_due().amount_minor(), 28500);
}

// Finding 3: a standard exchange of 5 EUR socks for a 2,500 EUR jacket shipped the jacket with
// no upsell and no event for the payment system.
TEST_F(MoneyIntegrityTest, AStandardExchangeRequestsItsUpsellOnce) {
  ASSERT_TRUE(Order("socks", 1, 500).ok());
  ASSERT_TRUE(Stocked("JACKET-XL", 10, 250000).ok());
  auto ret = Returned("socks", 1, v1::RESOLUTION_EXCHANGE, "JACKET-XL");
  ASSERT_TRUE(ret.ok()) << ret.status();
  ASSERT_TRUE(Receive(ret->return_id(), v1::ITEM_CONDITION_OK).ok());
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "RESOLVED");
  EXPECT_EQ(Events("return.upsell_requested"), 1);
  EXPECT_EQ(Scalar("SELECT payload->'upsell_total'->>'amount_minor' FROM outbox_events "
                   "WHERE type = 'return.upsell_requested'"),
            "249500");
}

// Finding 3: the replacement must be priced in the order's currency.
TEST_F(MoneyIntegrityTest, AnExchangeToAReplacementInAnotherCurrencyIsRefused) {
  ASSERT_TRUE(Order("socks", 1, 500).ok());
  ASSERT_TRUE(Stocked("JACKET-US", 10, 250000, "USD").ok());
  auto ret = Returned("socks", 1, v1::RESOLUTION_EXCHANGE, "JACKET-US");
  EXPECT_EQ(ReasonOf(ret.status()), "CURRENCY_MISMATCH");
}

// Finding 4: re-syncing the order in USD at 99,999,999 rewrote a resolved EUR refund.
TEST_F(MoneyIntegrityTest, AnOrderResyncCannotRewriteMoneyAlreadyPromised) {
  ASSERT_TRUE(Order("shirt", 2, 2500).ok());
  auto resolved = Returned("shirt", 1, v1::RESOLUTION_REFUND);
  ASSERT_TRUE(resolved.ok());
  ASSERT_TRUE(Receive(resolved->return_id(), v1::ITEM_CONDITION_OK).ok());
  auto open = Returned("shirt", 1, v1::RESOLUTION_REFUND);
  ASSERT_TRUE(open.ok());
  // A currency change of an order with returns is refused.
  EXPECT_EQ(ReasonOf(Order("shirt", 2, 99999999, "USD")), "ORDER_CURRENCY_LOCKED");
  // A new price is taken, but what returns promised keeps the price they were created with.
  ASSERT_TRUE(Order("shirt", 2, 99999999).ok());
  ASSERT_TRUE(Receive(open->return_id(), v1::ITEM_CONDITION_OK).ok());
  for (const std::string& id : {resolved->return_id(), open->return_id()}) {
    auto row = Scalar(
        "SELECT refund_minor || ' ' || (SELECT currency_code FROM return_resources rr "
        "WHERE rr.return_id = r.return_id) FROM returns r WHERE return_id = '" +
        id + "'");
    EXPECT_EQ(row, "2500 EUR") << id;
  }
}

// Finding 5: once scanned, a lost parcel never reached a deadline and nobody was charged.
TEST_F(MoneyIntegrityTest, AnOriginalLostInTransitFallsDueAfterTheTransitWindow) {
  const std::string return_id = Prepare(1, 10);
  Redeemed(return_id);
  ASSERT_EQ(Scan(return_id), 1);
  Scalar("UPDATE returns SET state = 'IN_TRANSIT'");
  Advance(absl::Hours(24 * 30));
  ASSERT_TRUE(Sweep().ok());
  EXPECT_EQ(TokenState(), "CHARGE_DUE");
  EXPECT_EQ(Events("exchange_token.charge_due"), 1);
  ASSERT_TRUE(Sweep().ok());
  EXPECT_EQ(Events("exchange_token.charge_due"), 1);
}

// Finding 7: a retried transaction must not leave the first attempt's output in the stored
// response (SetInventoryLevels appended its levels twice).
TEST_F(MoneyIntegrityTest, ARetriedTransactionStoresOnlyItsLastAttemptsResponse) {
  v1::SetInventoryLevelsRequest request = ReplacementStock(5);
  auto call = Call("retried");
  v1::SetInventoryLevelsResponse response;
  int attempts = 0;
  absl::Status s = app::RunIdempotent(app_, call, request, &response, [&](storage::Tx&) {
    response.add_levels()->set_sku("TEE-BLUE-M");
    // What libpqxx 6.4 throws for SQLSTATE 40001.
    if (++attempts == 1) throw pqxx::serialization_failure("40001");
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(response.levels_size(), 1);
  v1::SetInventoryLevelsResponse replay;
  auto again = Call("retried");
  ASSERT_TRUE(app::RunIdempotent(app_, again, request, &replay, [](storage::Tx&) {
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(replay.levels_size(), 1);
}

// Finding 1, a failed charge: withholding does not raise it again on its own; only
// RetryExchangeTokenCharge does, as a second attempt, and only from CHARGE_FAILED.
TEST_F(MoneyIntegrityTest, AFailedChargeIsRaisedAgainOnlyExplicitly) {
  const std::string return_id = Prepare(1, 10);
  v1::ExchangeToken token = Redeemed(return_id);
  Advance(absl::Hours(24 * 15));
  ASSERT_EQ(Sweep()->charge_due, 1);
  v1::RetryExchangeTokenChargeRequest retry;
  retry.set_request_id("retry-1");
  retry.set_exchange_token_id(token.exchange_token_id());
  auto call = Call("retry-1");
  v1::ExchangeToken out;
  EXPECT_EQ(MetadataOf(app::RetryExchangeTokenCharge(app_, call, retry, &out))["state"],
            "CHARGE_DUE");
  ASSERT_TRUE(
      ReportOutcome(token.exchange_token_id(), v1::CHARGE_OUTCOME_FAILED, "f1", &token).ok());
  ASSERT_EQ(Scan(return_id), 1);  // the original shows up late...
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_MISSING).ok());
  v1::Return resolved;
  ASSERT_TRUE(Resolve(return_id, {"L0"}, &resolved).ok());  // ...empty: withheld
  EXPECT_EQ(TokenState(), "CHARGE_FAILED");
  EXPECT_EQ(Events("exchange_token.charge_due"), 1);
  EXPECT_EQ(Events("exchange_token.charge_reinstated"), 1);
  retry.set_request_id("retry-2");
  call = Call("retry-2");
  ASSERT_TRUE(app::RetryExchangeTokenCharge(app_, call, retry, &out).ok());
  EXPECT_EQ(out.state(), v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE);
  EXPECT_EQ(out.charge_attempt(), 2);
  EXPECT_EQ(Events("exchange_token.charge_due"), 2);
  // A replay of the retry is the same answer and no third charge.
  call = Call("retry-2");
  ASSERT_TRUE(app::RetryExchangeTokenCharge(app_, call, retry, &out).ok());
  EXPECT_EQ(Events("exchange_token.charge_due"), 2);
  ASSERT_TRUE(
      ReportOutcome(token.exchange_token_id(), v1::CHARGE_OUTCOME_CHARGED, "c2", &token).ok());
  EXPECT_EQ(TokenState(), "CHARGED");
}

// Finding 1: a charge refund is requested once, however the settlement and the outcome interleave.
TEST_F(MoneyIntegrityTest, AChargeRefundIsRequestedOnce) {
  const std::string return_id = Prepare(1, 10);
  v1::ExchangeToken token = Redeemed(return_id);
  Advance(absl::Hours(24 * 15));
  ASSERT_EQ(Sweep()->charge_due, 1);
  ASSERT_TRUE(
      ReportOutcome(token.exchange_token_id(), v1::CHARGE_OUTCOME_CHARGED, "c1", &token).ok());
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_OK).ok());
  EXPECT_EQ(TokenState(), "SETTLED");
  EXPECT_EQ(Events("exchange_token.charge_refund_due"), 1);
  EXPECT_EQ(Scalar("SELECT charge_refund_requested FROM exchange_tokens"), "t");
  v1::ExchangeToken again;
  EXPECT_EQ(
      ReasonOf(ReportOutcome(token.exchange_token_id(), v1::CHARGE_OUTCOME_CHARGED, "c2", &again)),
      "INVALID_STATE");
  EXPECT_EQ(Events("exchange_token.charge_refund_due"), 1);
}

// Finding 7: a retried IssueExchangeToken whose answer was lost gets a working token string
// for the same token; the lost one stops working.
TEST_F(MoneyIntegrityTest, ARetriedIssueHandsBackAFreshStringForTheSameToken) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenRequest request = IssueRequest(return_id);
  v1::IssueExchangeTokenResponse first;
  ASSERT_TRUE(Issue(request, &first).ok());
  v1::IssueExchangeTokenResponse retried;
  ASSERT_TRUE(Issue(request, &retried).ok());
  EXPECT_EQ(retried.exchange_token().exchange_token_id(),
            first.exchange_token().exchange_token_id());
  EXPECT_FALSE(retried.token().empty());
  EXPECT_NE(retried.token(), first.token());
  EXPECT_EQ(Stock("reserved"), "1");  // one reservation, one token
  EXPECT_EQ(Scalar("SELECT count(*) FROM exchange_tokens"), "1");
  v1::ExchangeToken out;
  EXPECT_EQ(ReasonOf(Redeem(first.token(), &out, "r1")), "EXCHANGE_TOKEN_INVALID");
  ASSERT_TRUE(Redeem(retried.token(), &out, "r2").ok());
  // Once redeemed, a replay answers as stored: no string, nothing rotated.
  v1::IssueExchangeTokenResponse late;
  ASSERT_TRUE(Issue(request, &late).ok());
  EXPECT_TRUE(late.token().empty());
  EXPECT_EQ(Events("exchange_token.reissued"), 1);
}

// Finding 6: deadlines are the database's: a token is issued for ttl days from the database's
// now(), and one past expire_time in the database is neither redeemable nor left unswept.
TEST_F(MoneyIntegrityTest, ExpiryIsJudgedByTheDatabasesClock) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(Issue(IssueRequest(return_id), &issued).ok());
  EXPECT_EQ(Scalar("SELECT expire_time - create_time FROM exchange_tokens"), "14 days");
  Scalar("UPDATE exchange_tokens SET expire_time = now() - interval '1 second'");
  v1::ExchangeToken out;
  EXPECT_EQ(ReasonOf(Redeem(issued.token(), &out)), "EXCHANGE_TOKEN_INVALID");
  EXPECT_EQ(Sweep()->expired, 1);
  EXPECT_EQ(Stock("reserved"), "0");
}

// Finding 7: one lock order (return -> tokens -> stock -> change feed). Issues, redemptions,
// revocations, receipts and sweeps on one SKU, concurrently: no deadlock is ever detected.
TEST_F(MoneyIntegrityTest, ConcurrentTokenAndReturnWritersNeverDeadlock) {
  const std::string return_id = Prepare(24, 1000);
  const std::string before =
      Scalar("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
  std::vector<std::thread> threads;
  std::atomic<int> unexpected{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 24; i += 6) {
        v1::IssueExchangeTokenResponse issued;
        absl::Status s = Issue(IssueRequest(return_id, i), &issued);
        if (!s.ok()) {
          ++unexpected;
          continue;
        }
        v1::ExchangeToken out;
        if (i % 3 == 0) s = Redeem(issued.token(), &out, absl::StrCat("redeem-", i));
        if (i % 3 == 1) {
          v1::RevokeExchangeTokenRequest revoke;
          revoke.set_request_id(absl::StrCat("revoke-", i));
          revoke.set_exchange_token_id(issued.exchange_token().exchange_token_id());
          auto call = Call(revoke.request_id());
          s = app::RevokeExchangeToken(app_, call, revoke, &out);
        }
        if (i % 3 == 2) {
          Scalar(absl::StrCat(
              "UPDATE exchange_tokens SET expire_time = now() WHERE exchange_token_id = '",
              issued.exchange_token().exchange_token_id(), "'"));
          s = Sweep().status();
        }
        if (!s.ok()) ++unexpected;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(unexpected.load(), 0);
  EXPECT_EQ(Scalar("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"),
            before);
  EXPECT_EQ(Stock("reserved"), "0");  // redeemed, revoked or expired: nothing stays reserved
  EXPECT_EQ(Stock("on_hand"), "992");
}

}  // namespace
}  // namespace returns::testing
