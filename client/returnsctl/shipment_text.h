#pragma once

#include "returns/v1/shipment.pb.h"

namespace returns::client {

// A shipment as `label` and `shipments` print it: which way it goes and why, its state, order,
// return, carrier and tracking, its lines, promise and delivery, its claim and its label.
void PrintShipment(const v1::Shipment& s);

}  // namespace returns::client
