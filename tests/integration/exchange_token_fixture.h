#pragma once

// The exchange-token fixtures: use cases on real PostgreSQL with helpers to prepare an exchange
// return, issue, redeem, scan, receive and report charge outcomes.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/use_cases.h"
#include "storage/transaction.h"
#include "app_fixture.h"
#include "domain/errors.h"
#include "client/returns_client.h"
#include "exchange_fixture.h"

namespace returns::testing {

class ExchangeTokenTest : public AppTest {
 protected:
  void SetUp() override {
    codec_ = std::make_unique<ExchangeTokenCodec>(
        *ExchangeTokenCodec::Create({{"t1", std::string(32, 'k')}}));
    app_.token_codec = codec_.get();
  }
  // Time passes for the rules: every deadline is the database's (now() in SQL), so the tokens'
  // and request ids' deadlines move back by `d` instead of the clock moving forward.
  void Advance(absl::Duration d) {
    const std::string interval = absl::StrCat("interval '", absl::ToInt64Seconds(d), " seconds'");
    Scalar("UPDATE exchange_tokens SET expire_time = expire_time - " + interval +
           ", charge_deadline = charge_deadline - " + interval +
           ", transit_deadline = transit_deadline - " + interval);
    Scalar("UPDATE idempotency_keys SET expire_time = expire_time - " + interval);
  }
  absl::StatusOr<app::SweepResult> Sweep() { return app::SweepExchangeTokens(app_); }
  // An order of `lines` lines, a return exchanging all of them, and `stock` replacements.
  std::string Prepare(int lines, int stock) {
    auto call = Call("prep-order");
    v1::Order order;
    EXPECT_TRUE(app::UpsertOrder(app_, call, ExchangeOrder("1001", lines), &order).ok());
    auto stock_call = Call("prep-stock");
    v1::SetInventoryLevelsResponse levels;
    EXPECT_TRUE(app::SetInventoryLevels(app_, stock_call, ReplacementStock(stock), &levels).ok());
    auto return_call = Call("prep-return");
    v1::Return ret;
    EXPECT_TRUE(app::CreateReturn(app_, return_call, ExchangeReturn("1001", lines), &ret).ok());
    return ret.return_id();
  }
  absl::Status Issue(const v1::IssueExchangeTokenRequest& request,
                     v1::IssueExchangeTokenResponse* out) {
    auto call = Call(request.request_id());
    return app::IssueExchangeToken(app_, call, request, out);
  }
  absl::Status Redeem(const std::string& token, v1::ExchangeToken* out,
                      const std::string& request_id = "redeem-1") {
    v1::RedeemExchangeTokenRequest request;
    request.set_request_id(request_id);
    request.set_token(token);
    auto call = Call(request_id);
    return app::RedeemExchangeToken(app_, call, request, out);
  }
  absl::Status ReportOutcome(const std::string& token_id, v1::ChargeOutcome outcome,
                             const std::string& request_id, v1::ExchangeToken* out) {
    v1::ReportChargeOutcomeRequest request;
    request.set_request_id(request_id);
    request.set_exchange_token_id(token_id);
    request.set_outcome(outcome);
    auto call = Call(request_id);
    return app::ReportChargeOutcome(app_, call, request, out);
  }
  std::string Stock(const std::string& column) {
    return Scalar("SELECT " + column + " FROM inventory_levels WHERE sku = 'TEE-BLUE-M'");
  }

  std::unique_ptr<ExchangeTokenCodec> codec_;
};

class ExchangeSettlementTest : public ExchangeTokenTest {
 protected:
  // Issue and redeem a token for the return's single line; the replacement ships.
  v1::ExchangeToken Redeemed(const std::string& return_id) {
    v1::IssueExchangeTokenResponse issued;
    EXPECT_TRUE(Issue(IssueRequest(return_id), &issued).ok());
    v1::ExchangeToken redeemed;
    EXPECT_TRUE(Redeem(issued.token(), &redeemed).ok());
    Scalar("UPDATE shipments SET state = 'LABEL_CREATED'");
    return redeemed;
  }
  absl::Status Receive(const std::string& return_id, v1::ItemCondition condition) {
    v1::ReceiveReturnRequest request;
    request.set_request_id(client::NewRequestId());
    request.set_return_id(return_id);
    auto* item = request.add_items();
    item->set_order_line_id("L0");
    item->set_condition(condition);
    auto call = Call(request.request_id());
    v1::Return ret;
    return app::ReceiveReturn(app_, call, request, &ret);
  }
  int Scan(const std::string& return_id) {
    int moved = -1;
    auto call = Call("scan");
    EXPECT_TRUE(storage::RunTransaction(pool_, "scan", absl::Now() + absl::Seconds(5),
                                        [&](storage::Tx& tx) {
                                          moved = app::MarkOriginalsInTransit(tx, call, return_id);
                                          return absl::OkStatus();
                                        })
                    .ok());
    return moved;
  }
  std::string TokenState() { return Scalar("SELECT state FROM exchange_tokens"); }
};

}  // namespace returns::testing
