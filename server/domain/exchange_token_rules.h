#pragma once

#include <optional>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "returns/v1/exchange_token.pb.h"

// The exchange token's published state machine and the rules of issuing one (PRODUCT.md 4.4).
namespace returns {

// True when a token may move from `from` to `to` (docs/exchange-tokens.md).
bool IsExchangeTokenTransitionAllowed(v1::ExchangeTokenState from, v1::ExchangeTokenState to);
// OK, or FAILED_PRECONDITION (INVALID_STATE) naming the current state.
absl::Status CheckExchangeTokenTransition(v1::ExchangeTokenState from, v1::ExchangeTokenState to);

// The merchant's rules for instant exchange, as loaded from its policy.
struct InstantExchangePolicy {
  bool enabled = true;
  int64_t max_item_minor = 0;
  bool require_collateral = false;
};

// FAILED_PRECONDITION with reason INSTANT_EXCHANGE_DISABLED, ITEM_VALUE_ABOVE_LIMIT or
// COLLATERAL_REQUIRED when policy does not allow a token that puts `value_at_risk_minor` at risk:
// what the merchant loses if the original never comes back, the replacement's unit price times
// the quantity (the token's charge amount, which also bounds its upsell).
absl::Status CheckInstantExchangePolicy(const InstantExchangePolicy& policy,
                                        int64_t value_at_risk_minor, bool has_collateral);

// What a token states about money, in the order's currency, for `quantity` units.
struct ExchangeQuote {
  int64_t upsell_minor = 0;    // the replacement costs more: the customer owes this
  int64_t downsell_minor = 0;  // the replacement costs less: the customer gets this back
  int64_t charge_minor = 0;    // charged if the original never comes back: the replacement's value
};
// OUT_OF_RANGE on overflow.
absl::StatusOr<ExchangeQuote> QuoteExchange(int64_t original_unit_minor,
                                            int64_t replacement_unit_minor, int32_t quantity);

}  // namespace returns
