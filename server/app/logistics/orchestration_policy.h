#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "returns/v1/money.pb.h"
#include "storage/transaction.h"

namespace returns::app {

// The policy fields approval, labels and resolution use (docs/policy.md).
struct OrchestrationPolicy {
  int64_t auto_approve_max_minor = 0;  // 0: every return waits for a person
  std::string default_carrier = "sandbox";
  int64_t restocking_fee_minor = 0;
  int64_t return_shipping_fee_minor = 0;
  // A return whose risk score is above this goes to a person; 1000: never.
  int risk_review_threshold_milli = 1000;
  // Whether any threshold uses the risk score: only then is it computed (it costs a read of the
  // customer's history in every CreateReturn).
  bool risk_in_use = false;
  // The order in which refunds are split over an order's tenders (docs/money.md).
  std::vector<v1::TenderKind> refund_tender_order;
};

OrchestrationPolicy LoadOrchestrationPolicy(storage::Tx& tx, const std::string& merchant_id);

}  // namespace returns::app
