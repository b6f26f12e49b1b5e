// GetKpis (docs/kpis.md) on a fixture whose every figure is computed by hand below: orders,
// returns of each resolution, resolutions with known request-to-resolution times, fees, a
// written-off line, labels, tokens and claims; over a range whose earlier days come from the
// rollups and whose current day is computed at the call, for the whole merchant and for a SKU.
#include <cmath>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/background/roll_up_kpis.h"
#include "app_fixture.h"
#include "common/embedded_sql.h"
#include "domain/calendar_day.h"
#include "domain/errors.h"
#include "google/protobuf/util/time_util.h"
#include "sample_orders.h"

namespace returns::testing {
namespace {

using google::protobuf::util::TimeUtil;

class KpisTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    Scalar(
        "UPDATE policies SET restocking_fee_minor = 300, return_shipping_fee_minor = 200, "
        "return_label_cost_minor = 400, handling_cost_minor = 250, currency_code = 'EUR'");
    v1::SetInventoryLevelsRequest stock;
    stock.set_request_id("stock");
    v1::InventoryLevel* level = stock.add_levels();
    level->set_sku("TEE-BLUE-M");
    level->set_on_hand(10);
    level->mutable_unit_price()->set_currency_code("EUR");
    level->mutable_unit_price()->set_amount_minor(2500);
    auto call = Call("stock");
    v1::SetInventoryLevelsResponse levels;
    ASSERT_TRUE(app::SetInventoryLevels(app_, call, stock, &levels).ok());
    // Eight orders (each: 2 x TEE-BLUE-S at 25.00 and 1 x CAP-RED at 15.00).
    for (int i = 1; i <= 8; ++i) {
      auto order_call = Call(absl::StrCat("order-", i));
      v1::Order order;
      ASSERT_TRUE(
          app::UpsertOrder(app_, order_call, SampleOrder(absl::StrCat("o", i), 2, 3), &order).ok());
    }
    // o1..o5: one tee refunded each, received in good condition: resolved.
    for (int i = 1; i <= 5; ++i) {
      const std::string id = Create(absl::StrCat("o", i), "L1", 1, v1::RESOLUTION_REFUND);
      v1::ReceiveReturnRequest receive;
      receive.set_request_id(absl::StrCat("receive-", i));
      receive.set_return_id(id);
      auto* item = receive.add_items();
      item->set_order_line_id("L1");
      item->set_condition(v1::ITEM_CONDITION_OK);
      auto receive_call = Call(receive.request_id());
      v1::Return ret;
      ASSERT_TRUE(app::ReceiveReturn(app_, receive_call, receive, &ret).ok());
      ASSERT_EQ(ret.state(), v1::RETURN_STATE_RESOLVED);
      resolved_.push_back(id);
    }
    // o6: the cap for store credit; o7: both tees for an exchange; o8: nothing returned.
    credit_ = Create("o6", "L2", 1, v1::RESOLUTION_STORE_CREDIT);
    exchange_ = Create("o7", "L1", 2, v1::RESOLUTION_EXCHANGE, "TEE-BLUE-M");
    // Request-to-resolution times of 1, 2, 3, 10 and 100 hours (the requests move back in time:
    // the 100-hour one to four days ago, a day the rollups cover).
    const int hours[] = {1, 2, 3, 10, 100};
    for (int i = 0; i < 5; ++i) {
      Scalar(absl::StrCat("UPDATE returns SET create_time = resolve_time - interval '", hours[i],
                          " hours' WHERE return_id = '", resolved_[i], "' RETURNING 1"));
    }
    // An agent accepted o1's tee although it was damaged: written off.
    Scalar(absl::StrCat("UPDATE return_lines SET condition = 'DAMAGED' WHERE return_id = '",
                        resolved_[0], "' RETURNING 1"));
    // Two return labels issued.
    for (const std::string& id : {resolved_[1], resolved_[2]}) {
      Scalar(
          absl::StrCat("INSERT INTO shipments (merchant_id, order_id, return_id, direction, state, "
                       "label_format) "
                       "SELECT merchant_id, order_id, return_id, 'INBOUND', 'LABEL_CREATED', 'PDF' "
                       "FROM returns WHERE return_id = '",
                       id, "' RETURNING 1"));
    }
    // Two exchange tokens issued, one settled.
    Token(exchange_, "L1", "SETTLED", "now()");
    Token(credit_, "L2", "ISSUED", "NULL");
    // Three claims filed: one open, one approved and carried out, one denied.
    Claim("o8", "FILED", "NULL");
    Claim("o8", "RESOLVED", "now()");
    Claim("o8", "DENIED", "now()");
  }

  // The tokens and claims written as rows (to fix their states and times) have none of the
  // events, reservations or decisions the service keeps with real ones: removed before the
  // invariants are checked.
  void TearDown() override {
    Scalar(
        "WITH t AS (DELETE FROM exchange_tokens RETURNING 1), l AS (DELETE FROM claim_lines "
        "RETURNING 1) "
        "SELECT count(*) FROM t");
    Scalar("WITH c AS (DELETE FROM claims RETURNING 1) SELECT count(*) FROM c");
    AppTest::TearDown();
  }

  std::string Create(const std::string& order_id, const std::string& line_id, int quantity,
                     v1::Resolution resolution, const std::string& replacement = "") {
    v1::CreateReturnRequest request = SampleReturn(order_id, line_id, quantity);
    request.mutable_lines(0)->set_resolution(resolution);
    request.mutable_lines(0)->set_replacement_sku(replacement);
    auto call = Call(request.request_id());
    v1::Return ret;
    const absl::Status status = app::CreateReturn(app_, call, request, &ret);
    EXPECT_TRUE(status.ok()) << status;
    return ret.return_id();
  }
  void Token(const std::string& return_id, const std::string& line_id, const std::string& state,
             const std::string& settle_time) {
    Scalar(absl::StrCat(
        "INSERT INTO exchange_tokens (merchant_id, token_hash, return_id, order_id, order_line_id, "
        "replacement_sku, quantity, state, currency_code, charge_minor, expire_time, "
        "charge_window_days, "
        "settle_time) SELECT merchant_id, gen_random_uuid()::text, return_id, order_id, '",
        line_id, "', 'TEE-BLUE-M', 1, '", state, "', 'EUR', 2500, now() + interval '1 day', 14, ",
        settle_time, " FROM returns WHERE return_id = '", return_id, "' RETURNING 1"));
  }
  void Claim(const std::string& order_id, const std::string& state,
             const std::string& resolve_time) {
    Scalar(
        absl::StrCat("WITH c AS (INSERT INTO claims (merchant_id, order_id, shipment_id, type, "
                     "state, currency_code, "
                     "claim_value_minor, resolve_time) VALUES ('",
                     merchant_id_, "', '", order_id, "', gen_random_uuid(), 'LOST', '", state,
                     "', 'EUR', 1500, ", resolve_time,
                     ") RETURNING merchant_id, claim_id) INSERT INTO claim_lines (merchant_id, "
                     "claim_id, position, "
                     "order_line_id, sku, quantity, unit_price_minor) SELECT merchant_id, "
                     "claim_id, 0, 'L2', 'CAP-RED', 1, 1500 "
                     "FROM c RETURNING 1"));
  }
  v1::Kpis Kpis(const std::string& sku = "") {
    v1::GetKpisRequest request;
    request.set_start_date(
        Scalar("SELECT to_char((now() AT TIME ZONE 'UTC')::date - 6, 'YYYY-MM-DD')"));
    request.set_sku(sku);
    v1::Kpis kpis;
    const absl::Status status = app::GetKpis(app_, Call(), request, &kpis);
    EXPECT_TRUE(status.ok()) << status;
    return kpis;
  }
  static double Hours(const google::protobuf::Duration& d) {
    return static_cast<double>(TimeUtil::DurationToMilliseconds(d)) / 3.6e6;
  }

  std::vector<std::string> resolved_;
  std::string credit_, exchange_;
};

TEST_F(KpisTest, EveryFigureIsWhatTheFormulaGivesByHand) {
  const v1::Kpis kpis = Kpis();
  const v1::KpiFigures& t = kpis.totals();
  EXPECT_EQ(kpis.currency_code(), "EUR");
  EXPECT_EQ(kpis.daily_size(), 7);
  EXPECT_EQ(t.orders(), 8);
  EXPECT_EQ(t.items_sold(), 8 * 3);
  EXPECT_EQ(t.revenue().amount_minor(), 8 * (2 * 2500 + 1500));
  EXPECT_EQ(t.returns(), 7);
  EXPECT_EQ(t.orders_returned(), 7);
  EXPECT_EQ(t.items_returned(), 5 + 1 + 2);
  EXPECT_EQ(t.returned_revenue().amount_minor(), 5 * 2500 + 1500 + 2 * 2500);
  EXPECT_DOUBLE_EQ(t.return_rate_by_orders(), 7.0 / 8);
  EXPECT_DOUBLE_EQ(t.return_rate_by_items(), 8.0 / 24);
  EXPECT_DOUBLE_EQ(t.return_rate_by_revenue(), 19000.0 / 52000);
  EXPECT_EQ(t.refund_items(), 5);
  EXPECT_EQ(t.store_credit_items(), 1);
  EXPECT_EQ(t.exchange_items(), 2);
  EXPECT_DOUBLE_EQ(t.refund_share(), 5.0 / 8);
  EXPECT_DOUBLE_EQ(t.store_credit_share(), 1.0 / 8);
  EXPECT_DOUBLE_EQ(t.exchange_share(), 2.0 / 8);
  EXPECT_EQ(t.tokens_issued(), 2);
  EXPECT_EQ(t.tokens_settled(), 1);
  EXPECT_DOUBLE_EQ(t.exchange_completion_rate(), 0.5);
  EXPECT_EQ(t.returns_resolved(), 5);
  // Nearest rank of 1, 2, 3, 10, 100 hours: the 3rd (p50) and the 5th (p90), within 4.5%.
  EXPECT_NEAR(Hours(t.resolution_time_p50()), 3, 3 * 0.045);
  EXPECT_NEAR(Hours(t.resolution_time_p90()), 100, 100 * 0.045);
  // Each resolution refunds 2500 - 300 restocking - 200 shipping and keeps 500 in fees.
  EXPECT_EQ(t.refunded().amount_minor(), 5 * 2000);
  EXPECT_EQ(t.store_credit_issued().amount_minor(), 0);
  EXPECT_EQ(t.fees_collected().amount_minor(), 5 * 500);
  EXPECT_EQ(t.label_cost().amount_minor(), 2 * 400);
  EXPECT_EQ(t.handling_cost().amount_minor(), 5 * 250);
  EXPECT_EQ(t.written_off().amount_minor(), 2500);
  EXPECT_EQ(t.cost_per_return().amount_minor(), (800 + 1250 + 2500 - 2500) / 5);
  EXPECT_EQ(t.claims_filed(), 3);
  EXPECT_EQ(t.claims_decided(), 2);
  EXPECT_EQ(t.claims_approved(), 1);
  EXPECT_DOUBLE_EQ(t.claims_rate(), 3.0 / 8);
  EXPECT_DOUBLE_EQ(t.claim_approval_rate(), 0.5);

  // The daily series adds up to the totals, and the 100-hour return was requested four or five
  // days ago (a rolled-up day).
  int64_t returns = 0, orders = 0, resolved = 0;
  for (const auto& day : kpis.daily()) {
    returns += day.figures().returns();
    orders += day.figures().orders();
    resolved += day.figures().returns_resolved();
  }
  EXPECT_EQ(returns, 7);
  EXPECT_EQ(orders, 8);
  EXPECT_EQ(resolved, 5);
  EXPECT_EQ(kpis.daily(6).figures().orders(), 8);  // today
  EXPECT_EQ(kpis.daily(1).figures().returns() + kpis.daily(2).figures().returns(), 1);
  EXPECT_NE(Scalar("SELECT count(*) FROM kpi_rollup_days"), "0");
}

TEST_F(KpisTest, RolledUpDaysReadTheSameAsComputedOnes) {
  const v1::Kpis first = Kpis();
  const std::string rolled = Scalar("SELECT count(*) FROM kpi_rollup_days");
  const v1::Kpis second = Kpis();  // every closed day now read from kpi_daily
  EXPECT_EQ(Scalar("SELECT count(*) FROM kpi_rollup_days"), rolled);
  EXPECT_EQ(first.totals().SerializeAsString(), second.totals().SerializeAsString());
  // What was written for the closed days is what the base tables give for them now.
  const std::string closed = "day <= ((now() - interval '1 hour') AT TIME ZONE 'UTC')::date - 1";
  for (const char* column :
       {"returns", "orders_returned", "returns_resolved", "refunded_minor", "items_returned"}) {
    EXPECT_EQ(Scalar(absl::StrCat("SELECT coalesce(sum(", column,
                                  "), 0) FROM kpi_daily WHERE sku = '' AND ", closed)),
              Scalar(absl::StrCat(
                  "SELECT coalesce(sum(", column, "), 0) FROM kpi_figures('", merchant_id_,
                  "', (now() AT TIME ZONE 'UTC')::date - 6, (now() AT TIME ZONE 'UTC')::date + 1) "
                  "WHERE sku = '' AND ",
                  closed)))
        << column;
  }
  EXPECT_NE(Scalar(absl::StrCat(
                "SELECT coalesce(sum(returns), 0) FROM kpi_daily WHERE sku = '' AND ", closed)),
            "0");
  for (int i = 0; i < first.daily_size(); ++i) {
    EXPECT_EQ(first.daily(i).SerializeAsString(), second.daily(i).SerializeAsString()) << i;
  }
}

TEST_F(KpisTest, ASkuCountsOnlyWhatConcernsIt) {
  const v1::KpiFigures t = Kpis("CAP-RED").totals();
  EXPECT_EQ(t.orders(), 8);  // every order has a cap
  EXPECT_EQ(t.items_sold(), 8);
  EXPECT_EQ(t.revenue().amount_minor(), 8 * 1500);
  EXPECT_EQ(t.returns(), 1);
  EXPECT_EQ(t.orders_returned(), 1);
  EXPECT_EQ(t.items_returned(), 1);
  EXPECT_EQ(t.store_credit_items(), 1);
  EXPECT_EQ(t.returns_resolved(), 0);
  EXPECT_EQ(t.tokens_issued(), 1);  // the token on o6's cap line
  EXPECT_EQ(t.claims_filed(), 3);
  const v1::KpiFigures tee = Kpis("TEE-BLUE-S").totals();
  EXPECT_EQ(tee.returns(), 6);
  EXPECT_EQ(tee.items_returned(), 7);
  EXPECT_EQ(tee.returns_resolved(), 5);
  EXPECT_EQ(tee.claims_filed(), 0);
}

// The sweeper's step: a week of final days, newest first, from the merchant's first order; then
// GetKpis has nothing left to write for them.
TEST_F(KpisTest, TheSweeperRollsUpFinalDaysInTheBackground) {
  Scalar(
      "UPDATE orders SET create_time = now() - interval '20 days' WHERE order_id = 'o8' RETURNING "
      "1");
  const std::string mine =
      absl::StrCat("SELECT count(*) FROM kpi_rollup_days WHERE merchant_id = '", merchant_id_, "'");
  EXPECT_EQ(Scalar(mine), "0");
  auto rolled = app::RollUpMissingKpiDays(app_, 100, absl::Now() + absl::Seconds(30));
  ASSERT_TRUE(rolled.ok()) << rolled.status();
  EXPECT_EQ(*rolled, 1);
  EXPECT_EQ(Scalar(mine), "7");
  // Step by step, back to the first order's day, and then nothing is left to do.
  for (int i = 0; i < 5 && *rolled > 0; ++i)
    rolled = app::RollUpMissingKpiDays(app_, 100, absl::Now() + absl::Seconds(30));
  ASSERT_TRUE(rolled.ok());
  EXPECT_EQ(*rolled, 0);
  const std::string days = Scalar(mine);
  EXPECT_GE(std::stoi(days), 19);
  EXPECT_EQ(Kpis().totals().returns(), 7);
  EXPECT_EQ(Scalar(mine), days);  // GetKpis found every final day of its range written
}

TEST_F(KpisTest, ARangeIsCheckedBeforeAnythingIsRead) {
  v1::GetKpisRequest request;
  request.set_start_date("2026-03-01");
  request.set_end_date("2026-02-01");
  v1::Kpis kpis;
  EXPECT_EQ(app::GetKpis(app_, Call(), request, &kpis).code(), absl::StatusCode::kInvalidArgument);
  request.set_start_date("2024-01-01");
  request.set_end_date("2026-02-01");
  EXPECT_EQ(app::GetKpis(app_, Call(), request, &kpis).code(), absl::StatusCode::kInvalidArgument);
}

// Days are strict YYYY-MM-DD from 2000-01-01 to 2999-12-31. Year 1 was once printed "1-01-01",
// which PostgreSQL reads as 2001-01-01, and rolled up (and froze) days up to 2031; year 0 failed
// in SQL (INTERNAL). Both are refused, naming the field, before anything is read or written.
TEST_F(KpisTest, DaysOutsideTheRangeAreRefusedNamingTheField) {
  const std::string mine =
      absl::StrCat("SELECT count(*) FROM kpi_rollup_days WHERE merchant_id = '", merchant_id_, "'");
  struct Case {
    const char* start;
    const char* end;
    const char* field;
  };
  for (const Case& c :
       {Case{"0001-01-01", "0001-12-31", "start_date"}, Case{"0000-01-01", "", "start_date"},
        Case{"", "0001-12-31", "end_date"}, Case{"1999-12-31", "2000-01-31", "start_date"},
        Case{"2024-02-30", "", "start_date"}, Case{"+2024-01-01", "", "start_date"},
        Case{"2024-01-01", "2024-1-31", "end_date"}}) {
    v1::GetKpisRequest request;
    request.set_start_date(c.start);
    request.set_end_date(c.end);
    v1::Kpis kpis;
    const absl::Status status = app::GetKpis(app_, Call(), request, &kpis);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
        << c.start << " " << c.end << ": " << status;
    EXPECT_EQ(FieldOf(status).value_or("<none>"), c.field) << c.start << " " << c.end;
  }
  EXPECT_EQ(Scalar(mine), "0");
}

// Only days that are over are rolled up (final: an hour after they end, by the database's UTC
// clock): a day marked rolled up is never computed again, so today, written at a call, would
// keep its partial figures for good.
TEST_F(KpisTest, OnlyDaysThatAreOverAreRolledUp) {
  const std::string today =
      Scalar("SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')");
  const std::optional<absl::CivilDay> today_day = ParseIsoDay(today);
  ASSERT_TRUE(today_day.has_value()) << today;
  const std::string not_over =
      absl::StrCat(" WHERE merchant_id = '", merchant_id_,
                   "' AND day > ((now() - interval '1 hour') AT TIME ZONE 'UTC')::date - 1");
  auto expect_nothing_of_days_not_over = [&](const std::string& after) {
    EXPECT_EQ(Scalar("SELECT count(*) FROM kpi_rollup_days" + not_over), "0") << after;
    EXPECT_EQ(Scalar("SELECT count(*) FROM kpi_daily" + not_over), "0") << after;
    EXPECT_EQ(Scalar("SELECT count(*) FROM kpi_resolution_days" + not_over), "0") << after;
  };

  // A range from a week ago to a week ahead, today included: its past days are rolled up, today
  // and later are computed at the call (today's eight orders).
  v1::GetKpisRequest request;
  request.set_start_date(IsoDay(*today_day - 7));
  request.set_end_date(IsoDay(*today_day + 7));
  v1::Kpis kpis;
  ASSERT_TRUE(app::GetKpis(app_, Call(), request, &kpis).ok());
  ASSERT_EQ(kpis.daily_size(), 15);
  EXPECT_EQ(kpis.daily(7).date(), today);
  EXPECT_EQ(kpis.daily(7).figures().orders(), 8);
  EXPECT_EQ(kpis.totals().orders(), 8);
  EXPECT_NE(Scalar(absl::StrCat("SELECT count(*) FROM kpi_rollup_days WHERE merchant_id = '",
                                merchant_id_, "'")),
            "0");
  expect_nothing_of_days_not_over("GetKpis");

  // So an order synced later today still counts.
  auto order_call = Call("order-9");
  v1::Order order;
  ASSERT_TRUE(app::UpsertOrder(app_, order_call, SampleOrder("o9", 2, 3), &order).ok());
  kpis.Clear();  // a fresh response, as every call gets
  ASSERT_TRUE(app::GetKpis(app_, Call(), request, &kpis).ok());
  EXPECT_EQ(kpis.daily(7).figures().orders(), 9);
  EXPECT_EQ(kpis.totals().orders(), 9);

  // The rollup itself, asked for days that are not over (as a caller with a wrong range would),
  // leaves them alone.
  ASSERT_TRUE(app::RollUpKpiDays(app_, merchant_id_, *today_day - 3, *today_day + 30,
                                 absl::Now() + absl::Seconds(20))
                  .ok());
  expect_nothing_of_days_not_over("RollUpKpiDays");
  EXPECT_EQ(Scalar(absl::StrCat(
                "SELECT count(*) FROM kpi_rollup_days WHERE merchant_id = '", merchant_id_,
                "' AND day = ((now() - interval '1 hour') AT TIME ZONE 'UTC')::date - 1")),
            "1");  // the newest final day is
}

// Migration V0029 repairs databases the bug reached: it drops the rollups of every day marked
// before it was over (today, later days, and a day marked on its own date by an earlier call) or
// outside the accepted range, and the rollup rows of days left without a mark; it keeps days
// marked once final, down to the boundary (an hour after the day ended).
TEST_F(KpisTest, TheRepairMigrationDropsRollupsOfDaysThatWereNotOver) {
  const std::string today = "(now() AT TIME ZONE 'UTC')::date";
  const std::string final_day = "((now() - interval '1 hour') AT TIME ZONE 'UTC')::date - 1";
  auto end_of = [&](const std::string& day) {
    return absl::StrCat("((", day, " + 1)::timestamp AT TIME ZONE 'UTC')");
  };
  struct Rollup {
    const char* sku;  // names the case in kpi_daily
    std::string day;
    std::string compute_time;  // empty: not marked
  };
  const std::vector<Rollup> rollups = {
      {"final", final_day, "now()"},
      {"boundary", today + " - 11", end_of(today + " - 11") + " + interval '1 hour'"},
      {"today", today, "now()"},
      {"future", today + " + 5", "now()"},
      {"early", today + " - 10", end_of(today + " - 10") + " - interval '12 hours'"},
      {"unfinal", today + " - 9", end_of(today + " - 9") + " + interval '59 minutes'"},
      {"before-range", "DATE '1999-12-31'", "now()"},
      {"after-range", "DATE '3000-01-01'", "now()"},
      {"orphan", today + " - 12", ""},
  };
  for (const Rollup& r : rollups) {
    if (!r.compute_time.empty()) {
      Scalar(absl::StrCat("INSERT INTO kpi_rollup_days (merchant_id, day, compute_time) VALUES ('",
                          merchant_id_, "', ", r.day, ", ", r.compute_time, ") RETURNING 1"));
    }
    Scalar(absl::StrCat(
        "INSERT INTO kpi_daily (merchant_id, day, sku, currency_code, orders) VALUES ('",
        merchant_id_, "', ", r.day, ", '", r.sku, "', 'EUR', 1) RETURNING 1"));
    Scalar(absl::StrCat(
        "INSERT INTO kpi_resolution_days (merchant_id, day, sku, currency_code, bucket, returns) "
        "VALUES ('",
        merchant_id_, "', ", r.day, ", '", r.sku, "', 'EUR', 100, 1) RETURNING 1"));
  }
  const EmbeddedSql* repair = nullptr;
  for (const EmbeddedSql& migration : embedded::kMigrations) {
    if (migration.name == "V0029__drop_unfinished_kpi_rollups") repair = &migration;
  }
  ASSERT_NE(repair, nullptr);
  Scalar(repair->sql);
  EXPECT_EQ(Scalar("SELECT string_agg(sku, ',' ORDER BY sku) FROM kpi_daily"), "boundary,final");
  EXPECT_EQ(Scalar("SELECT string_agg(sku, ',' ORDER BY sku) FROM kpi_resolution_days"),
            "boundary,final");
  EXPECT_EQ(Scalar(absl::StrCat("SELECT count(*) FROM kpi_rollup_days WHERE day IN (", final_day,
                                ", ", today, " - 11)")),
            "2");
  EXPECT_EQ(Scalar("SELECT count(*) FROM kpi_rollup_days"), "2");
}

}  // namespace
}  // namespace returns::testing
