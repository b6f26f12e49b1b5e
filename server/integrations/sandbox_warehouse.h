#pragma once

#include "integrations/warehouse.h"

namespace returns::integrations {

// The built-in warehouse: accepts every request and answers a reference derived from the
// idempotency key, so a retry gets the same one. The parcel is confirmed by whoever plays the
// warehouse (`returnsctl shipments confirm`) through ConfirmFulfillment.
class SandboxWarehouse : public WarehouseAdapter {
 public:
  absl::StatusOr<std::string> RequestFulfillment(const FulfillmentRequest& request) override {
    return "sandbox-fulfillment-" + request.idempotency_key;
  }
};

}  // namespace returns::integrations
