#include "domain/return_state_machine.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "domain/errors.h"

namespace returns {
namespace {

using v1::ReturnState;

// Every allowed transition; anything not listed is refused.
const std::set<std::pair<ReturnState, ReturnState>>& AllowedTransitions() {
  static const auto* const kAllowed = new std::set<std::pair<ReturnState, ReturnState>>{
      {v1::RETURN_STATE_REQUESTED, v1::RETURN_STATE_APPROVED},
      {v1::RETURN_STATE_REQUESTED, v1::RETURN_STATE_REJECTED},
      {v1::RETURN_STATE_REQUESTED, v1::RETURN_STATE_CANCELLED},
      {v1::RETURN_STATE_APPROVED, v1::RETURN_STATE_LABEL_ISSUED},
      {v1::RETURN_STATE_APPROVED, v1::RETURN_STATE_CANCELLED},
      {v1::RETURN_STATE_LABEL_ISSUED, v1::RETURN_STATE_IN_TRANSIT},
      // A carrier may report delivery without an earlier scan.
      {v1::RETURN_STATE_LABEL_ISSUED, v1::RETURN_STATE_DELIVERED},
      {v1::RETURN_STATE_LABEL_ISSUED, v1::RETURN_STATE_CANCELLED},
      // Voiding the unused label takes the return back to APPROVED, ready for a new one.
      {v1::RETURN_STATE_LABEL_ISSUED, v1::RETURN_STATE_APPROVED},
      {v1::RETURN_STATE_IN_TRANSIT, v1::RETURN_STATE_DELIVERED},
      {v1::RETURN_STATE_DELIVERED, v1::RETURN_STATE_RECEIVED},
      // The warehouse's receipt is the final evidence: a parcel may arrive without scans, or
      // before anyone approved it.
      {v1::RETURN_STATE_REQUESTED, v1::RETURN_STATE_RECEIVED},
      {v1::RETURN_STATE_APPROVED, v1::RETURN_STATE_RECEIVED},
      {v1::RETURN_STATE_LABEL_ISSUED, v1::RETURN_STATE_RECEIVED},
      {v1::RETURN_STATE_IN_TRANSIT, v1::RETURN_STATE_RECEIVED},
      {v1::RETURN_STATE_RECEIVED, v1::RETURN_STATE_RESOLVED},
  };
  return *kAllowed;
}

}  // namespace

bool IsReturnTransitionAllowed(ReturnState from, ReturnState to) {
  return AllowedTransitions().count({from, to}) > 0;
}

absl::Status CheckReturnTransition(ReturnState from, ReturnState to) {
  if (IsReturnTransitionAllowed(from, to)) return absl::OkStatus();
  return PreconditionError(
      reason::kInvalidState,
      absl::StrCat("return is ", EnumText(from), " and cannot become ", EnumText(to)),
      {{"state", EnumText(from)}});
}

bool IsFinalReturnState(ReturnState state) {
  return state == v1::RETURN_STATE_RESOLVED || state == v1::RETURN_STATE_REJECTED ||
         state == v1::RETURN_STATE_CANCELLED;
}

bool AwaitsOriginal(ReturnState state) {
  return state == v1::RETURN_STATE_REQUESTED || state == v1::RETURN_STATE_APPROVED ||
         state == v1::RETURN_STATE_LABEL_ISSUED || state == v1::RETURN_STATE_IN_TRANSIT ||
         state == v1::RETURN_STATE_DELIVERED;
}

bool ReleasesReturnedQuantity(ReturnState state) {
  return state == v1::RETURN_STATE_REJECTED || state == v1::RETURN_STATE_CANCELLED;
}

}  // namespace returns
