// PRODUCT.md 4.6a as a property, over generated cases (seeded: RETURNS_PLAN_SEED, default 1):
// fixed and percentage fees on refunds and store credit, upsells, downsells, partial quantities,
// final-sale SKUs and categories, per-category windows, mixed resolutions and bonus credit
// (fixed and percentage, for store credit and exchange, capped per return, excluded categories,
// waiving fees). For every
// case, PreviewReturn and CreateReturn agree (the same plan, or the same refusal), and the
// receipt, with every line in good condition, pays exactly the plan - even when the policy's
// fees changed in between.
#include <cstdint>
#include <random>

#include "absl/strings/str_cat.h"
#include "app_fixture.h"
#include "domain/errors.h"
#include "google/protobuf/util/message_differencer.h"

namespace returns::testing {
namespace {

using PlanPropertyTest = AppTest;

TEST_F(PlanPropertyTest, EveryReturnIsWhatItsPreviewSaidAndPaysItsPlanAtReceipt) {
  const char* seed_env = std::getenv("RETURNS_PLAN_SEED");
  const uint64_t seed = seed_env ? std::strtoull(seed_env, nullptr, 10) : 1;
  std::mt19937_64 random(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  const std::vector<std::string> replacements = {"R-S", "R-M", "R-L"};
  for (const auto& sku : replacements) {
    Scalar(absl::StrCat(
        "INSERT INTO inventory_levels (merchant_id, sku, on_hand, currency_code, unit_price_minor) "
        "VALUES ('",
        merchant_id_, "', '", sku, "', 100000, 'EUR', ", pick(500, 6000), ") RETURNING 1"));
  }
  Scalar(
      "UPDATE policies SET final_sale_skus = '{FS-1}', final_sale_categories = '{clearance}', "
      "category_return_window_days = '{\"swim\": 2, \"shoes\": 60}'");
  const std::vector<std::string> categories = {"", "", "shoes", "swim", "clearance"};
  int created = 0, refused = 0;
  for (int n = 0; n < 120; ++n) {
    SCOPED_TRACE(absl::StrCat("seed ", seed, ", case ", n));
    // The fee schedule of the day, kept to check each line's fee against the reference below.
    const int64_t refund_fixed = pick(0, 3) == 0 ? 0 : pick(0, 900);
    const int refund_bp = pick(0, 2) == 0 ? 0 : pick(0, 3000);
    const int64_t credit_fixed = pick(0, 2) == 0 ? 0 : pick(0, 500);
    const int credit_bp = pick(0, 2) == 0 ? 0 : pick(0, 2000);
    Scalar(absl::StrCat("UPDATE policies SET restocking_fee_minor = ", refund_fixed,
                        ", return_shipping_fee_minor = ", pick(0, 3) == 0 ? 0 : pick(0, 700),
                        ", restocking_fee_basis_points = ", refund_bp,
                        ", store_credit_restocking_fee_minor = ", credit_fixed,
                        ", store_credit_restocking_fee_basis_points = ", credit_bp));
    // The bonus rule of the day, kept for the reference below.
    const int64_t credit_bonus = pick(0, 2) == 0 ? 0 : pick(0, 600);
    const int credit_bonus_bp = pick(0, 2) == 0 ? 0 : pick(0, 3000);
    const int64_t exchange_bonus = pick(0, 2) == 0 ? 0 : pick(0, 600);
    const int exchange_bonus_bp = pick(0, 2) == 0 ? 0 : pick(0, 3000);
    const int64_t bonus_cap = pick(0, 1) == 0 ? 0 : pick(1, 1500);
    const bool swim_excluded = pick(0, 1) == 0;
    const bool waives_fees = pick(0, 2) == 0;
    Scalar(absl::StrCat("UPDATE policies SET store_credit_bonus_minor = ", credit_bonus,
                        ", store_credit_bonus_basis_points = ", credit_bonus_bp,
                        ", exchange_bonus_minor = ", exchange_bonus,
                        ", exchange_bonus_basis_points = ", exchange_bonus_bp,
                        ", bonus_cap_per_return_minor = ", bonus_cap,
                        ", bonus_excluded_categories = '", swim_excluded ? "{swim}" : "{}",
                        "', bonus_waives_fees = ", waives_fees ? "true" : "false"));
    // The order: 1-4 lines, some final sale.
    v1::UpsertOrderRequest upsert;
    upsert.set_request_id(absl::StrCat("order-", n));
    v1::Order* order = upsert.mutable_order();
    order->set_order_id(absl::StrCat("o", n));
    order->set_currency_code("EUR");
    order->mutable_delivered_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 3 * 86400);
    const int line_count = pick(1, 4);
    for (int i = 0; i < line_count; ++i) {
      v1::OrderLine* line = order->add_lines();
      line->set_line_id(absl::StrCat("L", i));
      line->set_sku(pick(0, 5) == 0 ? "FS-1" : absl::StrCat("TEE-", i));
      line->set_quantity(pick(1, 3));
      line->mutable_unit_price()->set_currency_code("EUR");
      line->mutable_unit_price()->set_amount_minor(pick(0, 8000));
      line->set_category(categories[pick(0, static_cast<int>(categories.size()) - 1)]);
    }
    auto call = Call(upsert.request_id());
    v1::Order synced;
    ASSERT_TRUE(app::UpsertOrder(app_, call, upsert, &synced).ok());
    // The return: a subset of the lines, partial or (rarely) too many units, mixed resolutions.
    v1::CreateReturnRequest create;
    create.set_request_id(absl::StrCat("return-", n));
    create.set_order_id(order->order_id());
    for (int i = 0; i < line_count; ++i) {
      if (i > 0 && pick(0, 2) == 0) continue;
      v1::ReturnLine* line = create.add_lines();
      line->set_order_line_id(absl::StrCat("L", i));
      line->set_quantity(pick(0, 9) == 0 ? order->lines(i).quantity() + 1
                                         : pick(1, order->lines(i).quantity()));
      line->set_reason(v1::RETURN_REASON_TOO_SMALL);
      const int r = pick(0, 2);
      line->set_resolution(r == 0   ? v1::RESOLUTION_REFUND
                           : r == 1 ? v1::RESOLUTION_STORE_CREDIT
                                    : v1::RESOLUTION_EXCHANGE);
      if (r == 2) line->set_replacement_sku(replacements[pick(0, 2)]);
    }
    v1::PreviewReturnRequest preview;
    preview.set_order_id(create.order_id());
    *preview.mutable_lines() = create.lines();
    v1::SettlementPlan planned;
    const absl::Status previewed = app::PreviewReturn(app_, Call(), preview, &planned);
    call = Call(create.request_id());
    v1::Return ret;
    const absl::Status made = app::CreateReturn(app_, call, create, &ret);
    ASSERT_EQ(previewed.ok(), made.ok()) << previewed << " / " << made;
    if (!made.ok()) {
      EXPECT_EQ(ReasonOf(previewed), ReasonOf(made));
      EXPECT_EQ(previewed.code(), made.code());
      ++refused;
      continue;
    }
    ++created;
    std::string diff;
    google::protobuf::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differ.Compare(ret.plan(), planned)) << diff;
    // The policy's fees change before the parcel is back: the plan still holds.
    Scalar(absl::StrCat("UPDATE policies SET restocking_fee_minor = ", pick(0, 900),
                        ", return_shipping_fee_minor = ", pick(0, 700),
                        ", restocking_fee_basis_points = ", pick(0, 5000),
                        ", store_credit_restocking_fee_minor = ", pick(0, 900),
                        ", store_credit_bonus_minor = ", pick(0, 900),
                        ", exchange_bonus_basis_points = ", pick(0, 5000)));
    v1::ReceiveReturnRequest receive;
    receive.set_request_id(absl::StrCat("receive-", n));
    receive.set_return_id(ret.return_id());
    for (const auto& line : create.lines()) {
      v1::ReceivedItem* item = receive.add_items();
      item->set_order_line_id(line.order_line_id());
      item->set_condition(v1::ITEM_CONDITION_OK);
    }
    call = Call(receive.request_id());
    v1::Return resolved;
    const absl::Status received = app::ReceiveReturn(app_, call, receive, &resolved);
    ASSERT_TRUE(received.ok()) << received;
    ASSERT_EQ(resolved.state(), v1::RETURN_STATE_RESOLVED);
    EXPECT_EQ(resolved.refund_total().amount_minor(), planned.refund_total().amount_minor());
    EXPECT_EQ(resolved.store_credit_total().amount_minor(),
              planned.store_credit_total().amount_minor());
    EXPECT_EQ(resolved.fees_total().amount_minor(), planned.fees_total().amount_minor());
    EXPECT_EQ(resolved.upsell_total().amount_minor(), planned.upsell_total().amount_minor());
    EXPECT_EQ(resolved.downsell_total().amount_minor(), planned.downsell_total().amount_minor());
    for (int i = 0; i < resolved.lines_size(); ++i) {
      EXPECT_EQ(resolved.lines(i).refund_amount().amount_minor(),
                planned.lines(i).refund().amount_minor())
          << i;
      EXPECT_EQ(resolved.lines(i).store_credit_amount().amount_minor(),
                planned.lines(i).store_credit().amount_minor())
          << i;
    }
    // The plan's own arithmetic: lines and totals add up.
    int64_t refunds = 0, fees = 0, bonus_left = bonus_cap > 0 ? bonus_cap : INT64_MAX;
    int64_t bonuses = 0;
    for (int i = 0; i < planned.lines_size(); ++i) {
      const auto& line = planned.lines(i);
      // The reference bonus: fixed per unit plus the percentage rounded down of what the line paid;
      // an exchange's at most its upsell; none for an excluded category; the cap shared in order.
      const int64_t paid = line.paid().amount_minor();
      const std::string& category =
          order->lines(std::stoi(line.order_line_id().substr(1))).category();
      int64_t bonus = 0;
      if (paid > 0 && !(swim_excluded && category == "swim")) {
        if (line.resolution() == v1::RESOLUTION_STORE_CREDIT) {
          bonus = credit_bonus * line.quantity() + paid * credit_bonus_bp / 10000;
        } else if (line.resolution() == v1::RESOLUTION_EXCHANGE) {
          const int64_t upsell =
              line.upsell_amount_due().amount_minor() + line.bonus_credit().amount_minor();
          bonus =
              std::min(upsell, exchange_bonus * line.quantity() + paid * exchange_bonus_bp / 10000);
        }
      }
      bonus = std::min(bonus, bonus_left);
      bonus_left -= bonus;
      bonuses += bonus;
      EXPECT_EQ(line.bonus_credit().amount_minor(), bonus) << i;
      if (line.resolution() == v1::RESOLUTION_EXCHANGE) {
        EXPECT_GE(line.upsell_amount_due().amount_minor(), 0) << i;
      }
    }
    EXPECT_EQ(planned.bonus_credit_total().amount_minor(), bonuses);
    for (const auto& line : planned.lines()) {
      refunds += line.refund().amount_minor();
      fees += line.restocking_fee().amount_minor();
      const int64_t value = line.unit_price().amount_minor() * line.quantity();
      // The reference fee: fixed plus the percentage rounded down, at most the line's value.
      auto expected_fee = [&](int64_t fixed, int bp) {
        return std::min(value, fixed + value * bp / 10000);
      };
      if (line.resolution() == v1::RESOLUTION_REFUND) {
        EXPECT_EQ(line.refund().amount_minor() + line.restocking_fee().amount_minor(), value);
        EXPECT_EQ(line.restocking_fee().amount_minor(), expected_fee(refund_fixed, refund_bp));
      } else if (line.resolution() == v1::RESOLUTION_STORE_CREDIT) {
        EXPECT_EQ(line.store_credit().amount_minor() + line.restocking_fee().amount_minor(),
                  value + line.bonus_credit().amount_minor());
        EXPECT_EQ(line.restocking_fee().amount_minor(),
                  waives_fees ? 0 : expected_fee(credit_fixed, credit_bp));
      } else {
        EXPECT_EQ(line.restocking_fee().amount_minor(), 0);
      }
    }
    EXPECT_EQ(planned.refund_total().amount_minor() + planned.return_shipping_fee().amount_minor(),
              refunds);
    EXPECT_EQ(planned.fees_total().amount_minor(),
              fees + planned.return_shipping_fee().amount_minor());
  }
  // The generator reaches both sides.
  EXPECT_GT(created, 20);
  EXPECT_GT(refused, 3);
}

}  // namespace
}  // namespace returns::testing
