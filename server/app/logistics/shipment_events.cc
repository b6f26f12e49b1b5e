#include "app/logistics/shipment_events.h"

#include "app/common/record_transition.h"
#include "domain/shipment_rules.h"
#include "storage/shipment_store.h"
#include "common/enum_text.h"

namespace returns::app {

v1::Shipment LoadShipment(storage::Tx& tx, const std::string& merchant_id,
                          const std::string& shipment_id) {
  // The caller just made or read the shipment in this transaction: it is there.
  return storage::ShipmentStore(tx).GetShipment(merchant_id, shipment_id).value();
}

v1::Shipment RecordShipmentTransition(storage::Tx& tx, const CallContext& call,
                                      const std::string& shipment_id, const std::string& event_type,
                                      const std::string& summary) {
  v1::Shipment shipment = LoadShipment(tx, call.merchant_id, shipment_id);
  v1::Shipment payload = shipment;
  payload.clear_label_document();
  RecordTransition(tx, call,
                   Transition{shipment.order_id(), "shipment", shipment_id, event_type,
                              EnumText(shipment.state()), summary, &payload});
  return shipment;
}

}  // namespace returns::app
