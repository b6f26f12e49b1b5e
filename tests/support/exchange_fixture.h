#pragma once

#include <string>

#include "returns/v1/exchange_service.pb.h"
#include "returns/v1/inventory_service.pb.h"
#include "returns/v1/order_service.pb.h"
#include "returns/v1/return_service.pb.h"

namespace returns::testing {

// An order of `lines` lines L0.. (one unit each of "TEE-BLUE-S" at 25.00 EUR), delivered
// three days ago.
v1::UpsertOrderRequest ExchangeOrder(const std::string& order_id, int lines = 1);
// A return of every one of those lines for an exchange to "TEE-BLUE-M".
v1::CreateReturnRequest ExchangeReturn(const std::string& order_id, int lines = 1);
// Stock of "TEE-BLUE-M": `on_hand` units at `unit_minor` EUR cents.
v1::SetInventoryLevelsRequest ReplacementStock(int on_hand, int64_t unit_minor = 3000);
// An IssueExchangeToken request for line L<index> of `return_id`.
v1::IssueExchangeTokenRequest IssueRequest(const std::string& return_id, int index = 0);

}  // namespace returns::testing
