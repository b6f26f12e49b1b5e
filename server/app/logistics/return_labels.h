#pragma once

#include <string>

#include "app/common/app_context.h"
#include "storage/transaction.h"

namespace returns::app {

// Creates the return's inbound shipment (REQUESTED) with `carrier` and enqueues the job that
// asks the carrier for the label; records "shipment.requested". Returns the shipment id.
std::string RequestReturnLabel(storage::Tx& tx, const CallContext& call,
                               const std::string& order_id, const std::string& return_id,
                               const std::string& carrier);

// Voids the return's labels that were not used (REQUESTED or LABEL_CREATED) and enqueues their
// cancellation at the carrier; records "shipment.voided" for each. For a cancelled or rejected
// return, and for VoidLabel. Returns how many were voided.
int VoidUnusedLabels(storage::Tx& tx, const CallContext& call, const std::string& order_id,
                     const std::string& return_id);

// Voids one locked inbound shipment in `state` with `tracking_number` (empty before the label).
void VoidLabelOf(storage::Tx& tx, const CallContext& call, const std::string& order_id,
                 const std::string& shipment_id, const std::string& tracking_number);

}  // namespace returns::app
