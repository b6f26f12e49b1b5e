#include "app/shipment_events.h"

#include "app/record_transition.h"
#include "domain/shipment_rules.h"
#include "storage/rows.h"

namespace returns::app {

v1::Shipment LoadShipment(storage::Tx& tx, const std::string& merchant_id,
                          const std::string& shipment_id) {
  return storage::ShipmentFromRow(tx.Exec("shipments/get_shipment", merchant_id, shipment_id)[0]);
}

v1::Shipment RecordShipmentTransition(storage::Tx& tx, const CallContext& call,
                                      const std::string& shipment_id, const std::string& event_type,
                                      const std::string& summary) {
  v1::Shipment shipment = LoadShipment(tx, call.merchant_id, shipment_id);
  v1::Shipment payload = shipment;
  payload.clear_label_document();
  RecordTransition(tx, call,
                   Transition{shipment.order_id(), "shipment", shipment_id, event_type,
                              std::string(ShipmentStateName(shipment.state())), summary, &payload});
  return shipment;
}

}  // namespace returns::app
