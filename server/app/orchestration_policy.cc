#include "app/orchestration_policy.h"

namespace returns::app {

OrchestrationPolicy LoadOrchestrationPolicy(storage::Tx& tx, const std::string& merchant_id) {
  OrchestrationPolicy policy;
  auto rows = tx.Exec("policies/get_orchestration_policy", merchant_id);
  if (rows.empty()) return policy;
  policy.auto_approve_max_minor = rows[0][0].as<int64_t>();
  policy.default_carrier = rows[0][1].as<std::string>();
  policy.restocking_fee_minor = rows[0][2].as<int64_t>();
  policy.return_shipping_fee_minor = rows[0][3].as<int64_t>();
  policy.risk_review_threshold_milli = rows[0][4].as<int>();
  return policy;
}

}  // namespace returns::app
