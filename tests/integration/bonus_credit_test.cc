// Bonus credit end to end in the use cases (docs/policy.md, "Bonus credit"): quoted per line by
// CheckEligibility and the plan, given at resolution only for lines received OK and not
// withheld - on store credit as more credit, on an exchange off the upsell with the rest
// forfeited, never in cash - and never on a refund. Against a real PostgreSQL.
#include <thread>

#include "invariants.h"
#include "orchestration_fixture.h"

namespace returns::testing {
namespace {

class BonusCreditTest : public OrchestrationTest {
 protected:
  BonusCreditTest() {
    // 5 EUR plus 10 % on store credit, 2 EUR plus 5 % on an exchange.
    Scalar(
        "UPDATE policies SET store_credit_bonus_minor = 500, store_credit_bonus_basis_points = "
        "1000, exchange_bonus_minor = 200, exchange_bonus_basis_points = 500");
    // An exchange of TEE-BLUE-S (25.00) for TEE-BLUE-M costs 4.00 more.
    Scalar(
        "INSERT INTO inventory_levels (merchant_id, sku, on_hand, currency_code, unit_price_minor) "
        "VALUES ('" +
        merchant_id_ + "', 'TEE-BLUE-M', 100, 'EUR', 2900) RETURNING 1");
    auto call = Call("order-1");
    v1::Order order;
    v1::UpsertOrderRequest upsert = SampleOrder("1001", 2);
    upsert.mutable_order()->mutable_lines(1)->set_category("hats");
    EXPECT_TRUE(app::UpsertOrder(app_, call, upsert, &order).ok());
  }

  // A return of `lines` (line id, units, resolution), approved; its plan is in the answer.
  v1::Return Approved(const std::vector<std::tuple<std::string, int, v1::Resolution>>& lines,
                      const std::string& order_id = "1001") {
    v1::CreateReturnRequest create;
    create.set_request_id("create-" + std::to_string(++requests_));
    create.set_order_id(order_id);
    for (const auto& [line_id, quantity, resolution] : lines) {
      v1::ReturnLine* line = create.add_lines();
      line->set_order_line_id(line_id);
      line->set_quantity(quantity);
      line->set_reason(v1::RETURN_REASON_TOO_SMALL);
      line->set_resolution(resolution);
      if (resolution == v1::RESOLUTION_EXCHANGE) line->set_replacement_sku("TEE-BLUE-M");
    }
    v1::PreviewReturnRequest preview;
    preview.set_order_id(order_id);
    *preview.mutable_lines() = create.lines();
    v1::SettlementPlan previewed;
    EXPECT_TRUE(app::PreviewReturn(app_, Call(), preview, &previewed).ok());
    auto call = Call(create.request_id());
    v1::Return ret;
    const absl::Status created = app::CreateReturn(app_, call, create, &ret);
    EXPECT_TRUE(created.ok()) << created;
    EXPECT_EQ(previewed.DebugString(), ret.plan().DebugString()) << "the preview is the commit";
    v1::ApproveReturnRequest approve;
    approve.set_request_id("approve-" + std::to_string(++requests_));
    approve.set_return_id(ret.return_id());
    call = Call(approve.request_id());
    const absl::Status approved = app::ApproveReturn(app_, call, approve, &ret);
    EXPECT_TRUE(approved.ok()) << approved;
    return ret;
  }

  v1::Return Receive(const std::string& return_id,
                     const std::vector<std::pair<std::string, v1::ItemCondition>>& items) {
    v1::ReceiveReturnRequest receive;
    receive.set_request_id("receive-" + std::to_string(++requests_));
    receive.set_return_id(return_id);
    for (const auto& [line_id, condition] : items) {
      v1::ReceivedItem* item = receive.add_items();
      item->set_order_line_id(line_id);
      item->set_condition(condition);
    }
    auto call = Call(receive.request_id());
    v1::Return received;
    const absl::Status status = app::ReceiveReturn(app_, call, receive, &received);
    EXPECT_TRUE(status.ok()) << status;
    return received;
  }

  v1::Return Resolve(const std::string& return_id, const std::vector<std::string>& withheld) {
    v1::ResolveReturnRequest resolve;
    resolve.set_request_id("resolve-" + std::to_string(++requests_));
    resolve.set_return_id(return_id);
    for (const auto& line_id : withheld) resolve.add_withheld_order_line_ids(line_id);
    resolve.set_note("checked by an agent");
    auto call = Call(resolve.request_id());
    v1::Return resolved;
    const absl::Status status = app::ResolveReturn(app_, call, resolve, &resolved);
    EXPECT_TRUE(status.ok()) << status;
    return resolved;
  }

  std::string Movement(const std::string& kind) {
    return Scalar("SELECT coalesce(sum(amount_minor), 0) FROM money_movements WHERE kind = '" +
                  kind + "'");
  }
  // The bonus given in store credit, then off the exchanges' upsell.
  std::string BonusGiven(const std::string& return_id) {
    return Scalar(
        "SELECT bonus_credit_minor || ' ' || exchange_bonus_minor FROM returns WHERE "
        "return_id = '" +
        return_id + "'");
  }

  // OverrideDecision on the return's bonus_credit decision, as a support agent.
  absl::Status OverrideBonus(const std::string& return_id, v1::DecisionOutcome outcome,
                             v1::Decision* decision) {
    v1::OverrideDecisionRequest request;
    request.set_request_id("override-" + return_id);
    request.set_decision_id(Scalar(
        "SELECT decision_id FROM decisions WHERE kind = 'bonus_credit' AND subject = 'returns/" +
        return_id + "'"));
    request.set_outcome(outcome);
    request.set_reason("bonus abuse on this account");
    auto call = Call(request.request_id());
    call.principal.key_id = "agent-key";
    return app::OverrideDecision(app_, call, request, decision);
  }

  int requests_ = 0;
};

TEST_F(BonusCreditTest, EligibilityQuotesTheBonusOfEachChoiceAndKeepsTheRefund) {
  v1::CheckEligibilityRequest request;
  request.set_order_id("1001");
  v1::CheckEligibilityResponse response;
  auto call = Call();
  ASSERT_TRUE(app::CheckEligibility(app_, call, request, &response).ok());
  ASSERT_EQ(response.lines_size(), 2);
  const v1::LineEligibility& tees = response.lines(0);                 // 2 x 25.00
  EXPECT_EQ(tees.store_credit_bonus().amount_minor(), 2 * 500 + 500);  // per unit, plus 10 %
  EXPECT_EQ(tees.exchange_bonus().amount_minor(), 2 * 200 + 250);
  EXPECT_EQ(tees.allowed_resolutions(0), v1::RESOLUTION_REFUND);
}

TEST_F(BonusCreditTest, StoreCreditReceivedOkIsPaidWithItsBonus) {
  const v1::Return ret = Approved({{"L1", 2, v1::RESOLUTION_STORE_CREDIT}});
  EXPECT_EQ(ret.plan().lines(0).bonus_credit().amount_minor(), 1500);
  EXPECT_EQ(ret.plan().store_credit_total().amount_minor(), 5000 + 1500);
  const v1::Return resolved = Receive(ret.return_id(), {{"L1", v1::ITEM_CONDITION_OK}});
  EXPECT_EQ(resolved.state(), v1::RETURN_STATE_RESOLVED);
  EXPECT_EQ(resolved.store_credit_total().amount_minor(), 6500);
  EXPECT_EQ(Movement("STORE_CREDIT"), "6500");
  EXPECT_EQ(BonusGiven(ret.return_id()), "1500 0");
}

TEST_F(BonusCreditTest, ALineNotReceivedOkGetsNoBonusEvenWhenPaid) {
  const v1::Return ret =
      Approved({{"L1", 1, v1::RESOLUTION_STORE_CREDIT}, {"L2", 1, v1::RESOLUTION_STORE_CREDIT}});
  Receive(ret.return_id(), {{"L1", v1::ITEM_CONDITION_OK}, {"L2", v1::ITEM_CONDITION_DAMAGED}});
  // The agent pays the damaged cap all the same: its value, without the bonus.
  const v1::Return resolved = Resolve(ret.return_id(), {});
  EXPECT_EQ(resolved.lines(0).store_credit_amount().amount_minor(), 2500 + 500 + 250);
  EXPECT_EQ(resolved.lines(1).store_credit_amount().amount_minor(), 1500);
  EXPECT_EQ(BonusGiven(ret.return_id()), "750 0");
}

TEST_F(BonusCreditTest, AWithheldLineGetsNothing) {
  const v1::Return ret = Approved({{"L1", 2, v1::RESOLUTION_STORE_CREDIT}});
  Receive(ret.return_id(), {{"L1", v1::ITEM_CONDITION_WRONG_ITEM}});
  const v1::Return resolved = Resolve(ret.return_id(), {"L1"});
  EXPECT_EQ(resolved.store_credit_total().amount_minor(), 0);
  EXPECT_EQ(Movement("STORE_CREDIT"), "0");
  EXPECT_EQ(BonusGiven(ret.return_id()), "0 0");
}

TEST_F(BonusCreditTest, AnExchangesBonusLowersTheUpsellAndTheRestIsForfeited) {
  // Upsell 2 x 4.00 = 800; the bonus 2 x 200 + 5 % of 5000 = 650 takes 650 off.
  const v1::Return ret = Approved({{"L1", 2, v1::RESOLUTION_EXCHANGE}});
  EXPECT_EQ(ret.plan().lines(0).bonus_credit().amount_minor(), 650);
  EXPECT_EQ(ret.plan().upsell_total().amount_minor(), 150);
  Receive(ret.return_id(), {{"L1", v1::ITEM_CONDITION_OK}});
  EXPECT_EQ(Movement("UPSELL_CHARGE"), "150");
  EXPECT_EQ(BonusGiven(ret.return_id()), "0 650");
}

TEST_F(BonusCreditTest, ABonusAboveTheUpsellIsForfeitedNotPaid) {
  Scalar("UPDATE policies SET exchange_bonus_minor = 5000 RETURNING 1");
  const v1::Return ret = Approved({{"L1", 1, v1::RESOLUTION_EXCHANGE}});
  EXPECT_EQ(ret.plan().lines(0).bonus_credit().amount_minor(), 400);
  EXPECT_EQ(ret.plan().upsell_total().amount_minor(), 0);
  Receive(ret.return_id(), {{"L1", v1::ITEM_CONDITION_OK}});
  EXPECT_EQ(Movement("UPSELL_CHARGE"), "0");
  EXPECT_EQ(Movement("STORE_CREDIT"), "0");
  EXPECT_EQ(Movement("REFUND"), "0");
  EXPECT_EQ(BonusGiven(ret.return_id()), "0 400");
}

TEST_F(BonusCreditTest, ADamagedExchangeOwesTheWholeUpsell) {
  const v1::Return ret = Approved({{"L1", 2, v1::RESOLUTION_EXCHANGE}});
  Receive(ret.return_id(), {{"L1", v1::ITEM_CONDITION_DAMAGED}});
  Resolve(ret.return_id(), {});
  EXPECT_EQ(Movement("UPSELL_CHARGE"), "800");
  EXPECT_EQ(BonusGiven(ret.return_id()), "0 0");
}

TEST_F(BonusCreditTest, ARefundNeverEarnsABonusAndExcludedCategoriesNone) {
  Scalar("UPDATE policies SET bonus_excluded_categories = '{hats}' RETURNING 1");
  const v1::Return ret =
      Approved({{"L1", 1, v1::RESOLUTION_REFUND}, {"L2", 1, v1::RESOLUTION_STORE_CREDIT}});
  EXPECT_EQ(ret.plan().lines(0).bonus_credit().amount_minor(), 0);
  EXPECT_EQ(ret.plan().lines(1).bonus_credit().amount_minor(), 0);
  EXPECT_EQ(ret.plan().bonus_credit_total().amount_minor(), 0);
}

TEST_F(BonusCreditTest, TheCapIsSharedOverTheReturnsLinesAndFeesCanBeWaived) {
  Scalar(
      "UPDATE policies SET bonus_cap_per_return_minor = 800, store_credit_restocking_fee_minor = "
      "300, bonus_waives_fees = true RETURNING 1");
  const v1::Return ret =
      Approved({{"L1", 1, v1::RESOLUTION_STORE_CREDIT}, {"L2", 1, v1::RESOLUTION_STORE_CREDIT}});
  EXPECT_EQ(ret.plan().lines(0).bonus_credit().amount_minor(), 750);
  EXPECT_EQ(ret.plan().lines(1).bonus_credit().amount_minor(), 50);
  EXPECT_EQ(ret.plan().lines(0).restocking_fee().amount_minor(), 0);
  EXPECT_EQ(ret.plan().store_credit_total().amount_minor(), 2500 + 1500 + 800);
}

TEST_F(BonusCreditTest, TheKpisCountTheBonusGivenAndTheRevenueRetained) {
  // One tee for store credit (bonus 500 + 10 % = 750), one exchanged (200 + 5 % = 325, all of it
  // off the 400 upsell), the cap refunded: 5000 of the 6500 settled kept as credit or exchange.
  const v1::Return credit = Approved({{"L1", 1, v1::RESOLUTION_STORE_CREDIT}});
  Receive(credit.return_id(), {{"L1", v1::ITEM_CONDITION_OK}});
  const v1::Return exchange = Approved({{"L1", 1, v1::RESOLUTION_EXCHANGE}});
  Receive(exchange.return_id(), {{"L1", v1::ITEM_CONDITION_OK}});
  const v1::Return refund = Approved({{"L2", 1, v1::RESOLUTION_REFUND}});
  Receive(refund.return_id(), {{"L2", v1::ITEM_CONDITION_OK}});
  EXPECT_EQ(BonusGiven(credit.return_id()), "750 0");
  EXPECT_EQ(BonusGiven(exchange.return_id()), "0 325");

  auto kpis_of = [&](const std::string& sku) {
    v1::GetKpisRequest request;
    request.set_sku(sku);
    v1::Kpis kpis;
    const absl::Status status = app::GetKpis(app_, Call(), request, &kpis);
    EXPECT_TRUE(status.ok()) << status;
    return kpis;
  };
  const v1::Kpis all = kpis_of("");
  EXPECT_EQ(all.totals().bonus_credit_issued().amount_minor(), 750 + 325);
  EXPECT_EQ(all.totals().bonus_credit_issued().currency_code(), "EUR");
  EXPECT_EQ(all.totals().retained_revenue().amount_minor(), 5000);
  EXPECT_DOUBLE_EQ(all.totals().retained_revenue_share(), 5000.0 / 6500.0);
  ASSERT_GT(all.daily_size(), 1);
  // Today holds it all; the day before, nothing (but its money figures still name the currency).
  const v1::KpiFigures& today = all.daily(all.daily_size() - 1).figures();
  EXPECT_EQ(today.bonus_credit_issued().amount_minor(), 1075);
  EXPECT_DOUBLE_EQ(today.retained_revenue_share(), 5000.0 / 6500.0);
  const v1::KpiFigures& yesterday = all.daily(all.daily_size() - 2).figures();
  EXPECT_EQ(yesterday.bonus_credit_issued().amount_minor(), 0);
  EXPECT_EQ(yesterday.retained_revenue().currency_code(), "EUR");
  EXPECT_EQ(yesterday.retained_revenue_share(), 0.0);

  // A SKU counts its own lines only.
  const v1::Kpis tees = kpis_of("TEE-BLUE-S");
  EXPECT_EQ(tees.totals().bonus_credit_issued().amount_minor(), 1075);
  EXPECT_DOUBLE_EQ(tees.totals().retained_revenue_share(), 1.0);
  const v1::Kpis caps = kpis_of("CAP-RED");
  EXPECT_EQ(caps.totals().bonus_credit_issued().amount_minor(), 0);
  EXPECT_EQ(caps.totals().retained_revenue().amount_minor(), 0);
  EXPECT_EQ(caps.totals().retained_revenue_share(), 0.0);
}

TEST_F(BonusCreditTest, TheBonusIsAnAuditedDecisionRecordedWithTheReturn) {
  const v1::Return credit = Approved({{"L1", 2, v1::RESOLUTION_STORE_CREDIT}});
  EXPECT_EQ(
      Scalar(
          "SELECT outcome || ' ' || rule_version || ' ' || (inputs->>'bonus_credit_total_minor') "
          "|| ' ' || jsonb_array_length(reasons) FROM decisions WHERE kind = "
          "'bonus_credit' AND subject = 'returns/" +
          credit.return_id() + "'"),
      "APPROVED bonus-credit/1 1500 1");
  EXPECT_NE(Scalar("SELECT reasons->>0 FROM decisions WHERE kind = 'bonus_credit'")
                .find("line L1: 1500 EUR minor units of bonus in store credit"),
            std::string::npos);
  // A return whose plan adds no bonus has no such decision.
  const v1::Return refund = Approved({{"L2", 1, v1::RESOLUTION_REFUND}});
  EXPECT_EQ(Scalar("SELECT count(*) FROM decisions WHERE kind = 'bonus_credit' AND subject = "
                   "'returns/" +
                   refund.return_id() + "'"),
            "0");
}

TEST_F(BonusCreditTest, APersonWithdrawsTheBonusBeforeTheReturnResolves) {
  const v1::Return ret =
      Approved({{"L1", 1, v1::RESOLUTION_STORE_CREDIT}, {"L2", 1, v1::RESOLUTION_STORE_CREDIT}});
  v1::Decision decision;
  const absl::Status status =
      OverrideBonus(ret.return_id(), v1::DECISION_OUTCOME_DENIED, &decision);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(decision.override_outcome(), v1::DECISION_OUTCOME_DENIED);
  EXPECT_EQ(Scalar("SELECT count(*) FROM timeline_events WHERE event_type = "
                   "'return.bonus_withdrawn' AND resource_id = '" +
                   ret.return_id() + "'"),
            "1");
  const v1::Return resolved =
      Receive(ret.return_id(), {{"L1", v1::ITEM_CONDITION_OK}, {"L2", v1::ITEM_CONDITION_OK}});
  EXPECT_EQ(resolved.state(), v1::RETURN_STATE_RESOLVED);
  EXPECT_TRUE(resolved.bonus_withdrawn());
  EXPECT_EQ(resolved.bonus_credit_given().amount_minor(), 0);
  EXPECT_EQ(resolved.store_credit_total().amount_minor(), 2500 + 1500);
  EXPECT_EQ(Movement("STORE_CREDIT"), "4000");
  EXPECT_EQ(BonusGiven(ret.return_id()), "0 0");
  // The plan still shows what it quoted when the return was created.
  EXPECT_EQ(resolved.plan().bonus_credit_total().amount_minor(), 750 + 650);
}

TEST_F(BonusCreditTest, AResolvedReturnsBonusCannotBeWithdrawn) {
  const v1::Return ret = Approved({{"L1", 1, v1::RESOLUTION_STORE_CREDIT}});
  const v1::Return resolved = Receive(ret.return_id(), {{"L1", v1::ITEM_CONDITION_OK}});
  EXPECT_EQ(resolved.bonus_credit_given().amount_minor(), 750);
  EXPECT_FALSE(resolved.bonus_withdrawn());
  v1::Decision decision;
  const absl::Status status =
      OverrideBonus(ret.return_id(), v1::DECISION_OUTCOME_DENIED, &decision);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find("RESOLVED"), std::string::npos) << status;
  // Refused whole: the decision is not marked overridden.
  EXPECT_EQ(Scalar("SELECT coalesce(override_outcome, 'none') FROM decisions WHERE kind = "
                   "'bonus_credit'"),
            "none");
}

TEST_F(BonusCreditTest, AWithdrawRacingTheReceiptEitherWithdrawsOrIsRefusedNeverBoth) {
  // Each round: a person withdraws the bonus while the warehouse receives the return. Whichever
  // commits first decides: withdrawn and no bonus, or given and the override refused.
  int withdrawn = 0, given = 0;
  for (int round = 0; round < 12; ++round) {
    const std::string order_id = "race-" + std::to_string(round);
    auto sync = Call("sync-" + order_id);
    v1::Order order;
    ASSERT_TRUE(app::UpsertOrder(app_, sync, SampleOrder(order_id, 1), &order).ok());
    const v1::Return ret = Approved({{"L1", 1, v1::RESOLUTION_STORE_CREDIT}}, order_id);
    absl::Status override_status;
    v1::Decision decision;
    std::thread withdraw([&] {
      override_status = OverrideBonus(ret.return_id(), v1::DECISION_OUTCOME_DENIED, &decision);
    });
    std::thread receive([&] { Receive(ret.return_id(), {{"L1", v1::ITEM_CONDITION_OK}}); });
    withdraw.join();
    receive.join();
    const std::string bonus = BonusGiven(ret.return_id());
    if (override_status.ok()) {
      ++withdrawn;
      EXPECT_EQ(bonus, "0 0") << "round " << round;
    } else {
      ++given;
      EXPECT_EQ(override_status.code(), absl::StatusCode::kFailedPrecondition) << override_status;
      EXPECT_EQ(bonus, "750 0") << "round " << round;
    }
  }
  EXPECT_EQ(withdrawn + given, 12);
  EXPECT_EQ(Describe(CheckInvariants(db_.url())), "");
}

}  // namespace
}  // namespace returns::testing
