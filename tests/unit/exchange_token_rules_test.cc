#include "domain/exchange_token_rules.h"

#include <limits>
#include <set>
#include <utility>

#include <gtest/gtest.h>

#include "common/enum_text.h"
#include "domain/errors.h"

namespace returns {
namespace {

using S = v1::ExchangeTokenState;

// The published machine (docs/exchange-tokens.md), written out independently of the code.
const std::set<std::pair<S, S>> kPublished = {
    {v1::EXCHANGE_TOKEN_STATE_ISSUED, v1::EXCHANGE_TOKEN_STATE_REDEEMED},
    {v1::EXCHANGE_TOKEN_STATE_ISSUED, v1::EXCHANGE_TOKEN_STATE_EXPIRED},
    {v1::EXCHANGE_TOKEN_STATE_ISSUED, v1::EXCHANGE_TOKEN_STATE_REVOKED},
    {v1::EXCHANGE_TOKEN_STATE_REDEEMED, v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT},
    {v1::EXCHANGE_TOKEN_STATE_REDEEMED, v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE},
    {v1::EXCHANGE_TOKEN_STATE_REDEEMED, v1::EXCHANGE_TOKEN_STATE_SETTLED},
    {v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT, v1::EXCHANGE_TOKEN_STATE_SETTLED},
    {v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT,
     v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE},  // withheld, or lost in transit
    // A charge raised before the late first scan stands, with its outcome.
    {v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT, v1::EXCHANGE_TOKEN_STATE_CHARGED},
    {v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT, v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED},
    {v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED,
     v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE},  // explicit retry
    {v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE, v1::EXCHANGE_TOKEN_STATE_CHARGED},
    {v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE, v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED},
    {v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE, v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT},
    {v1::EXCHANGE_TOKEN_STATE_CHARGED, v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT},
    {v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED, v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT},
    {v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE, v1::EXCHANGE_TOKEN_STATE_SETTLED},
    {v1::EXCHANGE_TOKEN_STATE_CHARGED, v1::EXCHANGE_TOKEN_STATE_SETTLED},
    {v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED, v1::EXCHANGE_TOKEN_STATE_SETTLED},
};

TEST(ExchangeTokenRulesTest, AllowsExactlyThePublishedTransitions) {
  for (int from = v1::ExchangeTokenState_MIN; from <= v1::ExchangeTokenState_MAX; ++from) {
    for (int to = v1::ExchangeTokenState_MIN; to <= v1::ExchangeTokenState_MAX; ++to) {
      auto f = static_cast<S>(from);
      auto t = static_cast<S>(to);
      const bool published = kPublished.count({f, t}) > 0;
      EXPECT_EQ(IsExchangeTokenTransitionAllowed(f, t), published)
          << EnumText(f) << " -> " << EnumText(t);
      absl::Status status = CheckExchangeTokenTransition(f, t);
      EXPECT_EQ(status.ok(), published);
      if (!published) {
        EXPECT_EQ(MetadataOf(status)["state"], EnumText(f));
      }
    }
  }
}

TEST(ExchangeTokenRulesTest, StoredNamesRoundTrip) {
  EXPECT_EQ(EnumText(v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED), "CHARGE_FAILED");
  for (int s = v1::EXCHANGE_TOKEN_STATE_ISSUED; s <= v1::ExchangeTokenState_MAX; ++s) {
    EXPECT_EQ(ParseEnum<S>(EnumText(static_cast<S>(s))), static_cast<S>(s));
  }
  EXPECT_EQ(ParseEnum<S>("UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(ParseEnum<S>("LOST"), std::nullopt);
}

TEST(ExchangeTokenRulesTest, PolicyRefusesWithItsReason) {
  InstantExchangePolicy policy{true, 5000, false};
  EXPECT_TRUE(CheckInstantExchangePolicy(policy, 5000, false).ok());
  EXPECT_EQ(ReasonOf(CheckInstantExchangePolicy(policy, 5001, false)), "ITEM_VALUE_ABOVE_LIMIT");
  policy.require_collateral = true;
  EXPECT_EQ(ReasonOf(CheckInstantExchangePolicy(policy, 100, false)), "COLLATERAL_REQUIRED");
  EXPECT_TRUE(CheckInstantExchangePolicy(policy, 100, true).ok());
  policy.enabled = false;
  EXPECT_EQ(ReasonOf(CheckInstantExchangePolicy(policy, 100, true)), "INSTANT_EXCHANGE_DISABLED");
}

TEST(ExchangeTokenRulesTest, QuotesUpsellDownsellAndCharge) {
  auto up = *QuoteExchange(2500, 3000, 2);
  EXPECT_EQ(up.upsell_minor, 1000);
  EXPECT_EQ(up.downsell_minor, 0);
  EXPECT_EQ(up.charge_minor, 6000);
  auto down = *QuoteExchange(2500, 2000, 1);
  EXPECT_EQ(down.upsell_minor, 0);
  EXPECT_EQ(down.downsell_minor, 500);
  auto same = *QuoteExchange(2500, 2500, 3);
  EXPECT_EQ(same.upsell_minor + same.downsell_minor, 0);
  EXPECT_FALSE(QuoteExchange(std::numeric_limits<int64_t>::max(), 1, 2).ok());
}

}  // namespace
}  // namespace returns
