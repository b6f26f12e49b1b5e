#include "domain/return_state_machine.h"

#include <set>
#include <utility>

#include <gtest/gtest.h>

#include "common/enum_text.h"
#include "domain/errors.h"

namespace returns {
namespace {

using v1::ReturnState;

// The published machine (docs/lifecycle.md), written out independently of the code.
const std::set<std::pair<ReturnState, ReturnState>> kPublished = {
    {v1::RETURN_STATE_REQUESTED, v1::RETURN_STATE_APPROVED},
    {v1::RETURN_STATE_REQUESTED, v1::RETURN_STATE_REJECTED},
    {v1::RETURN_STATE_REQUESTED, v1::RETURN_STATE_CANCELLED},
    {v1::RETURN_STATE_APPROVED, v1::RETURN_STATE_LABEL_ISSUED},
    {v1::RETURN_STATE_APPROVED, v1::RETURN_STATE_CANCELLED},
    {v1::RETURN_STATE_LABEL_ISSUED, v1::RETURN_STATE_IN_TRANSIT},
    {v1::RETURN_STATE_LABEL_ISSUED, v1::RETURN_STATE_DELIVERED},
    {v1::RETURN_STATE_LABEL_ISSUED, v1::RETURN_STATE_CANCELLED},
    {v1::RETURN_STATE_LABEL_ISSUED, v1::RETURN_STATE_APPROVED},  // label voided
    {v1::RETURN_STATE_IN_TRANSIT, v1::RETURN_STATE_DELIVERED},
    {v1::RETURN_STATE_DELIVERED, v1::RETURN_STATE_RECEIVED},
    {v1::RETURN_STATE_REQUESTED, v1::RETURN_STATE_RECEIVED},
    {v1::RETURN_STATE_APPROVED, v1::RETURN_STATE_RECEIVED},
    {v1::RETURN_STATE_LABEL_ISSUED, v1::RETURN_STATE_RECEIVED},
    {v1::RETURN_STATE_IN_TRANSIT, v1::RETURN_STATE_RECEIVED},
    {v1::RETURN_STATE_RECEIVED, v1::RETURN_STATE_RESOLVED},
};

TEST(ReturnStateMachineTest, AllowsExactlyThePublishedTransitions) {
  for (int from = v1::ReturnState_MIN; from <= v1::ReturnState_MAX; ++from) {
    for (int to = v1::ReturnState_MIN; to <= v1::ReturnState_MAX; ++to) {
      auto f = static_cast<ReturnState>(from);
      auto t = static_cast<ReturnState>(to);
      const bool published = kPublished.count({f, t}) > 0;
      EXPECT_EQ(IsReturnTransitionAllowed(f, t), published) << EnumText(f) << " -> " << EnumText(t);
      absl::Status status = CheckReturnTransition(f, t);
      EXPECT_EQ(status.ok(), published);
      if (!published) {
        EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_EQ(ReasonOf(status), "INVALID_STATE");
        EXPECT_EQ(MetadataOf(status)["state"], EnumText(f));
        EXPECT_NE(status.message().find(EnumText(f)), std::string::npos);
      }
    }
  }
}

TEST(ReturnStateMachineTest, FinalStatesHaveNoWayOut) {
  for (ReturnState final_state :
       {v1::RETURN_STATE_RESOLVED, v1::RETURN_STATE_REJECTED, v1::RETURN_STATE_CANCELLED}) {
    EXPECT_TRUE(IsFinalReturnState(final_state));
    for (int to = v1::ReturnState_MIN; to <= v1::ReturnState_MAX; ++to) {
      EXPECT_FALSE(IsReturnTransitionAllowed(final_state, static_cast<ReturnState>(to)));
    }
  }
  EXPECT_FALSE(IsFinalReturnState(v1::RETURN_STATE_REQUESTED));
}

TEST(ReturnStateMachineTest, OnlyCancelAndRejectReleaseQuantities) {
  for (int s = v1::ReturnState_MIN; s <= v1::ReturnState_MAX; ++s) {
    auto state = static_cast<ReturnState>(s);
    EXPECT_EQ(ReleasesReturnedQuantity(state),
              state == v1::RETURN_STATE_CANCELLED || state == v1::RETURN_STATE_REJECTED);
  }
}

TEST(ReturnStateMachineTest, TokensOnlyWhileTheOriginalIsAwaited) {
  for (int s = v1::ReturnState_MIN; s <= v1::ReturnState_MAX; ++s) {
    auto state = static_cast<ReturnState>(s);
    const bool awaited =
        state == v1::RETURN_STATE_REQUESTED || state == v1::RETURN_STATE_APPROVED ||
        state == v1::RETURN_STATE_LABEL_ISSUED || state == v1::RETURN_STATE_IN_TRANSIT ||
        state == v1::RETURN_STATE_DELIVERED;
    EXPECT_EQ(AwaitsOriginal(state), awaited) << EnumText(state);
  }
}

// The stored and timeline form is the name without RETURN_STATE_ (common/enum_text.h).
TEST(ReturnStateMachineTest, StoredNamesRoundTrip) {
  EXPECT_EQ(EnumText(v1::RETURN_STATE_LABEL_ISSUED), "LABEL_ISSUED");
  EXPECT_EQ(EnumText(v1::RETURN_STATE_UNSPECIFIED), "UNSPECIFIED");
  for (int s = v1::RETURN_STATE_REQUESTED; s <= v1::ReturnState_MAX; ++s) {
    auto state = static_cast<ReturnState>(s);
    EXPECT_EQ(ParseEnum<ReturnState>(EnumText(state)), state);
  }
  EXPECT_EQ(ParseEnum<ReturnState>("UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(ParseEnum<ReturnState>("LOST"), std::nullopt);
}

}  // namespace
}  // namespace returns
