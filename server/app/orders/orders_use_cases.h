#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "returns/v1/order_service.pb.h"

// OrderService.
// One use case per file in this folder, named after the function; each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

absl::Status UpsertOrder(const AppContext& app, CallContext& call,
                         const v1::UpsertOrderRequest& request, v1::Order* response);

absl::Status GetOrder(const AppContext& app, const CallContext& call,
                      const v1::GetOrderRequest& request, v1::Order* response);

absl::Status ListOrders(const AppContext& app, const CallContext& call,
                        const v1::ListOrdersRequest& request, v1::ListOrdersResponse* response);

}  // namespace returns::app
