#pragma once

#include <optional>
#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/status/status.h"
#include "returns/v1/return.pb.h"

// The return's state machine (docs/lifecycle.md). Every state change of a return asks here first.
namespace returns {

// True when a return may move from `from` to `to`.
bool IsReturnTransitionAllowed(v1::ReturnState from, v1::ReturnState to);

// OK, or FAILED_PRECONDITION (reason INVALID_STATE) naming the current state.
absl::Status CheckReturnTransition(v1::ReturnState from, v1::ReturnState to);

// True for states no transition leaves.
bool IsFinalReturnState(v1::ReturnState state);

// True while the original items have not reached the warehouse and the return is open: the
// states in which an exchange token may be issued or redeemed.
bool AwaitsOriginal(v1::ReturnState state);

// True when entering `state` gives the return's quantities back to its order lines.
bool ReleasesReturnedQuantity(v1::ReturnState state);

}  // namespace returns
