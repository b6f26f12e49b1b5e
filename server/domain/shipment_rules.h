#pragma once

#include <optional>

#include "absl/strings/string_view.h"
#include "returns/v1/shipment.pb.h"

// The shipment's state machine (docs/lifecycle.md). Shipments only move forward: a carrier event
// that arrives late is kept but changes nothing.
namespace returns {

// REQUESTED < LABEL_CREATED < IN_TRANSIT < EXCEPTION < DELIVERED; VOIDED is outside the order.
int ShipmentStateRank(v1::ShipmentState state);

// True for states no carrier event leaves (DELIVERED, VOIDED).
bool IsFinalShipmentState(v1::ShipmentState state);

// The state a carrier event puts a shipment in.
v1::ShipmentState ShipmentStateForEvent(v1::CarrierEventCode code);

// True when a carrier event may move a shipment from `from` to `to`: forward only, never out of
// a final state, and never before its label or fulfillment exists (REQUESTED).
bool CarrierEventMovesShipment(v1::ShipmentState from, v1::ShipmentState to);

}  // namespace returns
