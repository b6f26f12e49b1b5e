#pragma once

#include <optional>
#include <string>

#include "app/common/app_context.h"
#include "app/logistics/orchestration_policy.h"
#include "domain/risk_score.h"
#include "storage/transaction.h"

namespace returns::app {

// The automated approval of a just-requested return (PRODUCT.md 4.7), inside CreateReturn's
// transaction. With policy.auto_approve_max_minor set, a return worth at most that much is
// approved and its label requested; a dearer one is escalated to an agent. Either way the
// decision is audited (ListDecisions, kind "return_approval"); automation never rejects. Returns
// true when it approved. A policy whose default carrier has no adapter escalates too (an agent
// sees why when approving).
// `policy` is the merchant's, as the caller read it in this transaction. A `risk` score (absent
// when no threshold uses it) above
// policy.risk_review_threshold_milli escalates too; the score and its factors are the
// decision's inputs and score.
bool AutoApproveReturn(const AppContext& app, storage::Tx& tx, const CallContext& call,
                       const OrchestrationPolicy& policy, const std::string& order_id,
                       const std::string& return_id, const std::optional<RiskScore>& risk);

}  // namespace returns::app
