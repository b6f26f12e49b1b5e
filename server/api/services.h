#pragma once

#include <memory>
#include <vector>

#include "api/byte_service.h"
#include "api/call_runner.h"

namespace returns::api {

// The services of the contract (proto/returns/v1/*_service.proto) by full name: what returnsd
// serves, and where the role table is read from (each method's allowed_roles option).
inline constexpr const char* kContractServices[] = {
    "returns.v1.OrderService",    "returns.v1.ReturnService",    "returns.v1.TimelineService",
    "returns.v1.ExchangeService", "returns.v1.InventoryService", "returns.v1.LogisticsService",
    "returns.v1.MoneyService",    "returns.v1.AdminService",     "returns.v1.ClaimService",
    "returns.v1.PolicyService",   "returns.v1.AnalyticsService", "returns.v1.WebhookService"};

// Every service of the contract (proto/returns/v1/*_service.proto), each method bound to its use
// case in server/app/. Throws std::logic_error at startup if a method of the contract is missing.
std::vector<std::unique_ptr<ByteService>> MakeServices(CallRunner& runner);

}  // namespace returns::api
