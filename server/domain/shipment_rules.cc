#include "domain/shipment_rules.h"

namespace returns {

int ShipmentStateRank(v1::ShipmentState state) {
  switch (state) {
    case v1::SHIPMENT_STATE_REQUESTED: return 0;
    case v1::SHIPMENT_STATE_LABEL_CREATED: return 1;
    case v1::SHIPMENT_STATE_IN_TRANSIT: return 2;
    case v1::SHIPMENT_STATE_EXCEPTION: return 3;
    case v1::SHIPMENT_STATE_DELIVERED: return 4;
    default: return -1;
  }
}

bool IsFinalShipmentState(v1::ShipmentState state) {
  return state == v1::SHIPMENT_STATE_DELIVERED || state == v1::SHIPMENT_STATE_VOIDED;
}

v1::ShipmentState ShipmentStateForEvent(v1::CarrierEventCode code) {
  switch (code) {
    case v1::CARRIER_EVENT_CODE_ACCEPTED:
    case v1::CARRIER_EVENT_CODE_IN_TRANSIT:
    case v1::CARRIER_EVENT_CODE_OUT_FOR_DELIVERY: return v1::SHIPMENT_STATE_IN_TRANSIT;
    case v1::CARRIER_EVENT_CODE_DELIVERED: return v1::SHIPMENT_STATE_DELIVERED;
    case v1::CARRIER_EVENT_CODE_EXCEPTION: return v1::SHIPMENT_STATE_EXCEPTION;
    default: return v1::SHIPMENT_STATE_UNSPECIFIED;
  }
}

bool CarrierEventMovesShipment(v1::ShipmentState from, v1::ShipmentState to) {
  if (IsFinalShipmentState(from) || from == v1::SHIPMENT_STATE_REQUESTED) return false;
  return ShipmentStateRank(to) > ShipmentStateRank(from);
}

absl::string_view ShipmentStateName(v1::ShipmentState state) {
  switch (state) {
    case v1::SHIPMENT_STATE_REQUESTED: return "REQUESTED";
    case v1::SHIPMENT_STATE_LABEL_CREATED: return "LABEL_CREATED";
    case v1::SHIPMENT_STATE_IN_TRANSIT: return "IN_TRANSIT";
    case v1::SHIPMENT_STATE_DELIVERED: return "DELIVERED";
    case v1::SHIPMENT_STATE_EXCEPTION: return "EXCEPTION";
    case v1::SHIPMENT_STATE_VOIDED: return "VOIDED";
    default: return "UNSPECIFIED";
  }
}

std::optional<v1::ShipmentState> ParseShipmentState(absl::string_view name) {
  for (int i = v1::ShipmentState_MIN; i <= v1::ShipmentState_MAX; ++i) {
    auto state = static_cast<v1::ShipmentState>(i);
    if (state != v1::SHIPMENT_STATE_UNSPECIFIED && ShipmentStateName(state) == name) return state;
  }
  return std::nullopt;
}

absl::string_view CarrierEventCodeName(v1::CarrierEventCode code) {
  switch (code) {
    case v1::CARRIER_EVENT_CODE_ACCEPTED: return "ACCEPTED";
    case v1::CARRIER_EVENT_CODE_IN_TRANSIT: return "IN_TRANSIT";
    case v1::CARRIER_EVENT_CODE_OUT_FOR_DELIVERY: return "OUT_FOR_DELIVERY";
    case v1::CARRIER_EVENT_CODE_DELIVERED: return "DELIVERED";
    case v1::CARRIER_EVENT_CODE_EXCEPTION: return "EXCEPTION";
    default: return "UNSPECIFIED";
  }
}

}  // namespace returns
