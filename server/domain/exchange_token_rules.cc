#include "domain/exchange_token_rules.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "domain/errors.h"
#include "domain/money.h"

namespace returns {
namespace {

using S = v1::ExchangeTokenState;

const std::set<std::pair<S, S>>& Allowed() {
  static const auto* const kAllowed = new std::set<std::pair<S, S>>{
      {v1::EXCHANGE_TOKEN_STATE_ISSUED, v1::EXCHANGE_TOKEN_STATE_REDEEMED},
      {v1::EXCHANGE_TOKEN_STATE_ISSUED, v1::EXCHANGE_TOKEN_STATE_EXPIRED},
      {v1::EXCHANGE_TOKEN_STATE_ISSUED, v1::EXCHANGE_TOKEN_STATE_REVOKED},
      {v1::EXCHANGE_TOKEN_STATE_REDEEMED, v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT},
      {v1::EXCHANGE_TOKEN_STATE_REDEEMED, v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE},
      // The original can reach the warehouse without any carrier scan.
      {v1::EXCHANGE_TOKEN_STATE_REDEEMED, v1::EXCHANGE_TOKEN_STATE_SETTLED},
      {v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT, v1::EXCHANGE_TOKEN_STATE_SETTLED},
      // An agent withheld the original at resolution (ResolveReturn): the replacement is charged.
      {v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT, v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE},
      // The same, or the transit deadline passed, for a token whose charge was raised before its
      // original's first (late) scan: that charge stands, with the outcome it had.
      {v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT, v1::EXCHANGE_TOKEN_STATE_CHARGED},
      {v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT, v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED},
      {v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE, v1::EXCHANGE_TOKEN_STATE_CHARGED},
      {v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE, v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED},
      // A failed charge raised again, explicitly (RetryExchangeTokenCharge).
      {v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED, v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE},
      // An original that shows up late still settles the token (a charge is then refunded).
      {v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE, v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT},
      {v1::EXCHANGE_TOKEN_STATE_CHARGED, v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT},
      {v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED, v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT},
      {v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE, v1::EXCHANGE_TOKEN_STATE_SETTLED},
      {v1::EXCHANGE_TOKEN_STATE_CHARGED, v1::EXCHANGE_TOKEN_STATE_SETTLED},
      {v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED, v1::EXCHANGE_TOKEN_STATE_SETTLED},
  };
  return *kAllowed;
}

}  // namespace

bool IsExchangeTokenTransitionAllowed(S from, S to) { return Allowed().count({from, to}) > 0; }

absl::Status CheckExchangeTokenTransition(S from, S to) {
  if (IsExchangeTokenTransitionAllowed(from, to)) return absl::OkStatus();
  return PreconditionError(
      reason::kInvalidState,
      absl::StrCat("exchange token is ", EnumText(from), " and cannot become ", EnumText(to)),
      {{"state", EnumText(from)}});
}

absl::Status CheckInstantExchangePolicy(const InstantExchangePolicy& policy,
                                        int64_t value_at_risk_minor, bool has_collateral) {
  if (!policy.enabled) {
    return PreconditionError(reason::kInstantExchangeDisabled,
                             "the merchant's policy does not offer instant exchanges");
  }
  if (value_at_risk_minor > policy.max_item_minor) {
    return PreconditionError(
        reason::kItemValueAboveLimit,
        absl::StrCat("the replacements' value ", value_at_risk_minor,
                     " (unit price x quantity) is above the instant-exchange limit ",
                     policy.max_item_minor),
        {{"limit_minor", absl::StrCat(policy.max_item_minor)},
         {"value_minor", absl::StrCat(value_at_risk_minor)}});
  }
  if (policy.require_collateral && !has_collateral) {
    return PreconditionError(reason::kCollateralRequired,
                             "the merchant's policy requires a payment authorisation as collateral",
                             {{"field", "collateral"}});
  }
  return absl::OkStatus();
}

absl::StatusOr<ExchangeQuote> QuoteExchange(int64_t original_unit_minor,
                                            int64_t replacement_unit_minor, int32_t quantity) {
  // Money's checked arithmetic; the currency was matched by the caller.
  auto original = Money::Of("XXX", original_unit_minor)->Times(quantity);
  auto replacement = Money::Of("XXX", replacement_unit_minor)->Times(quantity);
  if (!original.ok()) return original.status();
  if (!replacement.ok()) return replacement.status();
  auto difference = replacement->Minus(*original);
  if (!difference.ok()) return difference.status();
  ExchangeQuote quote;
  quote.upsell_minor = difference->amount_minor() > 0 ? difference->amount_minor() : 0;
  quote.downsell_minor = difference->amount_minor() < 0 ? -difference->amount_minor() : 0;
  quote.charge_minor = replacement->amount_minor();
  return quote;
}

}  // namespace returns
