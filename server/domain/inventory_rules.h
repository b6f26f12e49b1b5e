#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"
#include "returns/v1/inventory_service.pb.h"

namespace returns {

// Stock may be set to anything but less than what live exchange tokens hold of it:
// FAILED_PRECONDITION (reason BELOW_RESERVED) naming levels[i].on_hand, with the reserved count.
// `reserved` maps SKU -> units held, for the SKUs that already have a level.
absl::Status CheckInventoryLevels(const std::map<std::string, int32_t>& reserved,
                                  const v1::SetInventoryLevelsRequest& request);

}  // namespace returns
