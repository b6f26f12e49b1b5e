#pragma once

#include <string>

#include "app/common/app_context.h"
#include "returns/v1/shipment.pb.h"
#include "storage/transaction.h"

namespace returns::app {

// The shipment as it is now, inside the caller's transaction (with its label document).
v1::Shipment LoadShipment(storage::Tx& tx, const std::string& merchant_id,
                          const std::string& shipment_id);

// Records a shipment's transition on its order's timeline and in the change feed, with the
// shipment as it is now (without the label document) as the payload. Returns the shipment.
v1::Shipment RecordShipmentTransition(storage::Tx& tx, const CallContext& call,
                                      const std::string& shipment_id, const std::string& event_type,
                                      const std::string& summary);

}  // namespace returns::app
