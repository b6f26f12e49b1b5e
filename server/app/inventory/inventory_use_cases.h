#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "returns/v1/inventory_service.pb.h"

// InventoryService.
// One use case per file in this folder, named after the function; each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

absl::Status SetInventoryLevels(const AppContext& app, CallContext& call,
                                const v1::SetInventoryLevelsRequest& request,
                                v1::SetInventoryLevelsResponse* response);

absl::Status GetInventoryLevel(const AppContext& app, const CallContext& call,
                               const v1::GetInventoryLevelRequest& request,
                               v1::InventoryLevel* response);

absl::Status ListInventoryLevels(const AppContext& app, const CallContext& call,
                                 const v1::ListInventoryLevelsRequest& request,
                                 v1::ListInventoryLevelsResponse* response);

}  // namespace returns::app
