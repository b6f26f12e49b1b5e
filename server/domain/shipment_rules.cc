#include "domain/shipment_rules.h"

namespace returns {

int ShipmentStateRank(v1::ShipmentState state) {
  switch (state) {
    case v1::SHIPMENT_STATE_REQUESTED:
      return 0;
    case v1::SHIPMENT_STATE_LABEL_CREATED:
      return 1;
    case v1::SHIPMENT_STATE_IN_TRANSIT:
      return 2;
    case v1::SHIPMENT_STATE_EXCEPTION:
      return 3;
    case v1::SHIPMENT_STATE_DELIVERED:
      return 4;
    default:
      return -1;
  }
}

bool IsFinalShipmentState(v1::ShipmentState state) {
  return state == v1::SHIPMENT_STATE_DELIVERED || state == v1::SHIPMENT_STATE_VOIDED;
}

v1::ShipmentState ShipmentStateForEvent(v1::CarrierEventCode code) {
  switch (code) {
    case v1::CARRIER_EVENT_CODE_ACCEPTED:
    case v1::CARRIER_EVENT_CODE_IN_TRANSIT:
    case v1::CARRIER_EVENT_CODE_OUT_FOR_DELIVERY:
      return v1::SHIPMENT_STATE_IN_TRANSIT;
    case v1::CARRIER_EVENT_CODE_DELIVERED:
      return v1::SHIPMENT_STATE_DELIVERED;
    case v1::CARRIER_EVENT_CODE_EXCEPTION:
      return v1::SHIPMENT_STATE_EXCEPTION;
    default:
      return v1::SHIPMENT_STATE_UNSPECIFIED;
  }
}

bool CarrierEventMovesShipment(v1::ShipmentState from, v1::ShipmentState to) {
  if (IsFinalShipmentState(from) || from == v1::SHIPMENT_STATE_REQUESTED) return false;
  return ShipmentStateRank(to) > ShipmentStateRank(from);
}

}  // namespace returns
