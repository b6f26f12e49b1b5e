#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/logistics/logistics_use_cases.h"
#include "domain/errors.h"
#include "storage/shipment_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetShipment(const AppContext& app, const CallContext& call,
                         const v1::GetShipmentRequest& request, v1::Shipment* response) {
  return storage::RunTransaction(*app.pool, "GetShipment", call.deadline, [&](storage::Tx& tx) {
    std::optional<v1::Shipment> shipment =
        storage::ShipmentStore(tx).GetShipment(call.merchant_id, request.shipment_id());
    if (!shipment) return NotFoundError("shipment", request.shipment_id());
    *response = *std::move(shipment);
    return absl::OkStatus();
  });
}

}  // namespace returns::app
