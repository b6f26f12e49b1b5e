#include "app/logistics/orchestration_policy.h"

#include "app/common/paid_money_inputs.h"
#include "storage/policy_store.h"

namespace returns::app {

OrchestrationPolicy LoadOrchestrationPolicy(storage::Tx& tx, const std::string& merchant_id) {
  OrchestrationPolicy policy;
  const std::optional<storage::OrchestrationPolicyRow> row =
      storage::PolicyStore(tx).GetOrchestrationPolicy(merchant_id);
  if (!row) return policy;
  policy.auto_approve_max_minor = row->auto_approve_max_minor;
  policy.default_carrier = row->default_carrier;
  policy.restocking_fee_minor = row->restocking_fee_minor;
  policy.return_shipping_fee_minor = row->return_shipping_fee_minor;
  policy.risk_review_threshold_milli = row->risk_review_threshold_milli;
  policy.refund_tender_order = RefundTenderOrderOf(row->refund_tender_order);
  return policy;
}

}  // namespace returns::app
