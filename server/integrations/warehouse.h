#pragma once

#include <string>

#include "absl/status/statusor.h"

// The warehouse (WMS) that ships replacements, behind one interface like the carriers
// (server/integrations/carrier.h has the rules on idempotency keys and retried errors). The
// warehouse confirms the parcel later through LogisticsService.ConfirmFulfillment.
namespace returns::integrations {

struct FulfillmentRequest {
  std::string idempotency_key;  // the shipment id
  std::string merchant_id;
  std::string order_id;
  std::string shipment_id;
  std::string sku;
  int quantity = 0;
  std::string ship_to_json;  // Order.shipping_address as JSON
};

class WarehouseAdapter {
 public:
  virtual ~WarehouseAdapter() = default;
  // Accepts the request; returns the warehouse's reference for it.
  virtual absl::StatusOr<std::string> RequestFulfillment(const FulfillmentRequest& request) = 0;
};

}  // namespace returns::integrations
