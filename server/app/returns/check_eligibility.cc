#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/orders/lock_order_lines.h"
#include "app/common/paid_money_inputs.h"
#include "app/returns/quote_return.h"
#include "app/exchange_tokens/recommend_replacements.h"
#include "app/returns/returns_use_cases.h"
#include "domain/errors.h"
#include "domain/return_rules.h"
#include "google/protobuf/util/time_util.h"
#include "storage/policy_store.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {

using google::protobuf::util::TimeUtil;

void SetMoney(v1::Money* money, const std::string& currency, int64_t amount) {
  money->set_currency_code(currency);
  money->set_amount_minor(amount);
}

// Instant exchange for one line: offered when the policy has it on and the item's price is within
// the value limit (a replacement dearer than the limit is refused when the token is issued).
void JudgeInstantExchange(const v1::Policy& policy, int64_t unit_price_minor,
                          v1::LineEligibility* line) {
  if (!policy.instant_exchange_enabled()) {
    line->set_instant_exchange_note("instant exchange is off in the merchant's policy");
    return;
  }
  const int64_t limit = policy.instant_exchange_max_item_value().amount_minor();
  if (unit_price_minor > limit) {
    line->set_instant_exchange_note(absl::StrCat("the item's price ", unit_price_minor,
                                                 " is above the instant-exchange limit ", limit));
    return;
  }
  line->set_instant_exchange_offered(true);
  if (policy.require_collateral()) {
    line->set_instant_exchange_note("needs a payment authorisation as collateral");
  }
}

}  // namespace

absl::Status CheckEligibility(const AppContext& app, const CallContext& call,
                              const v1::CheckEligibilityRequest& request,
                              v1::CheckEligibilityResponse* response) {
  return storage::RunTransaction(
      *app.pool, "CheckEligibility", call.deadline, [&](storage::Tx& tx) {
        const std::optional<storage::ReturnWindow> return_window =
            storage::OrderStore(tx).GetReturnWindow(call.merchant_id, request.order_id());
        if (!return_window) return NotFoundError("order", request.order_id());
        if (request.has_gift()) {
          if (absl::Status s = CheckGiftProof(*return_window, request.order_id(), request.gift());
              !s.ok()) {
            return s;
          }
        }
        // A gift return is resolved as store credit or an exchange unless the policy refunds
        // gifts to the buyer (docs/money.md, "Gift returns").
        const bool refund_offered = !request.has_gift() || return_window->gift_refund_to_buyer;
        // Every merchant has a policy (merchants/insert_merchant.sql makes it).
        const v1::Policy policy = storage::PolicyStore(tx).GetPolicy(call.merchant_id).value();
        std::optional<absl::Time> delivered;
        if (return_window->delivered_time_us) {
          delivered = absl::FromUnixMicros(*return_window->delivered_time_us);
        }
        const LineReturnRules rules = ReturnRulesOf(*return_window);
        const FeeSchedule fees = FeeScheduleOf(*return_window);
        const BonusRule bonus = BonusRuleOf(*return_window);
        const std::string currency = return_window->currency_code;
        const absl::Time now = absl::FromUnixMicros(return_window->now_us);
        auto window_end = [&](int days) {
          return TimeUtil::MicrosecondsToTimestamp(
              absl::ToUnixMicros(*delivered + absl::Hours(24) * days));
        };
        response->set_order_id(request.order_id());
        if (delivered) *response->mutable_window_end_time() = window_end(rules.default_window_days);
        SetMoney(response->mutable_restocking_fee(), currency, return_window->restocking_fee_minor);
        SetMoney(response->mutable_return_shipping_fee(), currency,
                 return_window->return_shipping_fee_minor);
        response->set_policy_version(return_window->policy_version);
        // The order's shipping, refunded once per order for the policy's reasons
        // (docs/money.md).
        SetMoney(response->mutable_shipping_refundable(), currency,
                 storage::OrderStore(tx).ShippingRefundTaken(call.merchant_id, request.order_id())
                     ? 0
                     : return_window->shipping_paid_minor);
        for (const v1::ReturnReason reason : ShippingRefundReasonsOf(*return_window)) {
          response->add_shipping_refund_reasons(reason);
        }
        // A reason given: recommendations for it; none: for both size reasons.
        std::vector<v1::ReturnReason> reasons = {request.reason()};
        if (request.reason() == v1::RETURN_REASON_UNSPECIFIED) {
          reasons = {v1::RETURN_REASON_TOO_SMALL, v1::RETURN_REASON_TOO_LARGE};
        }
        auto recommendations =
            RecommendReplacementsForOrder(tx, call.merchant_id, request.order_id(), reasons);
        for (const OrderLineSnapshot& snapshot :
             ReadOrderLines(tx, call.merchant_id, request.order_id())) {
          v1::LineEligibility* line = response->add_lines();
          line->set_order_line_id(snapshot.line_id);
          line->set_sku(snapshot.sku);
          SetMoney(line->mutable_unit_price(), currency, snapshot.unit_price_minor);
          const int32_t left =
              snapshot.quantity - snapshot.returned_quantity - snapshot.claimed_quantity;
          // The same rules CreateReturn applies (its SKU's, category's or the default window, by
          // the database's clock; final sale by SKU or category).
          const int window_days = rules.WindowDays(snapshot);
          if (delivered) *line->mutable_window_end_time() = window_end(window_days);
          if (absl::Status window = CheckReturnWindow(delivered, window_days, now); !window.ok()) {
            line->add_reasons(std::string(window.message()));
          }
          if (const std::string why = rules.FinalSale(snapshot); !why.empty())
            line->add_reasons(why);
          if (left <= 0) {
            line->add_reasons(absl::StrCat("all ", snapshot.quantity,
                                           " unit(s) are already in returns or claims"));
          }
          line->set_eligible(line->reasons().empty());
          if (!line->eligible()) continue;
          line->set_returnable_quantity(left);
          // What returning every returnable unit gives back before fees: what they paid.
          const UnitsShare returnable = ShareOfUnits(RemainderOf(snapshot), left);
          const int64_t value = returnable.paid_minor;
          SetMoney(line->mutable_returnable_paid(), currency, returnable.paid_minor);
          SetMoney(line->mutable_returnable_tax(), currency, returnable.tax_minor);
          SetMoney(line->mutable_refund_restocking_fee(), currency,
                   LineRestockingFee(v1::RESOLUTION_REFUND, value, fees));
          SetMoney(line->mutable_store_credit_restocking_fee(), currency,
                   LineRestockingFee(v1::RESOLUTION_STORE_CREDIT, value, fees));
          SetMoney(
              line->mutable_store_credit_bonus(), currency,
              LineBonus(v1::RESOLUTION_STORE_CREDIT, value, left, snapshot.category, 0, bonus));
          SetMoney(line->mutable_exchange_bonus(), currency,
                   LineBonus(v1::RESOLUTION_EXCHANGE, value, left, snapshot.category,
                             std::numeric_limits<int64_t>::max(), bonus));
          if (refund_offered) line->add_allowed_resolutions(v1::RESOLUTION_REFUND);
          line->add_allowed_resolutions(v1::RESOLUTION_STORE_CREDIT);
          line->add_allowed_resolutions(v1::RESOLUTION_EXCHANGE);
          JudgeInstantExchange(policy, snapshot.unit_price_minor, line);
          for (auto& recommendation : recommendations[snapshot.line_id]) {
            *line->add_recommendations() = std::move(recommendation);
          }
        }
        return absl::OkStatus();
      });
}

}  // namespace returns::app
