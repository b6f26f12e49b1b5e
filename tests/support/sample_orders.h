#pragma once

#include <string>

#include "returns/v1/order_service.pb.h"
#include "returns/v1/return_service.pb.h"

namespace returns::testing {

// An order with one line "L1" (SKU "TEE-BLUE-S", `quantity` units at 25.00 EUR) and a second
// line "L2" (one unit of "CAP-RED" at 15.00 EUR), delivered `delivered_days_ago` days ago
// (never delivered when negative).
v1::UpsertOrderRequest SampleOrder(const std::string& order_id, int quantity = 2,
                                   int delivered_days_ago = 3);

// A return of `quantity` units of line `line_id`, for a refund.
v1::CreateReturnRequest SampleReturn(const std::string& order_id, const std::string& line_id = "L1",
                                     int quantity = 1);

}  // namespace returns::testing
