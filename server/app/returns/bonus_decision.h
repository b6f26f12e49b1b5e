#pragma once

#include <string>

#include "absl/status/status.h"
#include "app/common/app_context.h"
#include "app/returns/quote_return.h"
#include "returns/v1/return_service.pb.h"
#include "storage/transaction.h"

// The bonus credit of a return as an audited decision (docs/policy.md, "Bonus credit"): recorded
// when the return is created with a plan that adds any, and withdrawn by a person
// (OverrideDecision DENIED) any time before the return resolves.
namespace returns::app {

// Records the `bonus_credit` Decision (APPROVED, rule version bonus-credit/1) of a return just
// created with `quote`, when its plan adds a bonus; nothing otherwise.
void RecordBonusDecision(storage::Tx& tx, const CallContext& call, const std::string& return_id,
                         const ReturnQuote& quote);

// OverrideDecision DENIED on a `bonus_credit` decision: the return (locked here) gives no bonus
// at resolution; its timeline says so. FAILED_PRECONDITION INVALID_STATE once the return
// resolved (the bonus was given with it), was rejected or cancelled.
absl::Status WithdrawBonus(storage::Tx& tx, const CallContext& call, const std::string& return_id,
                           const std::string& reason);

}  // namespace returns::app
