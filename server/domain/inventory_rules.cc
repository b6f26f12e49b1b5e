#include "domain/inventory_rules.h"

#include "absl/strings/str_cat.h"
#include "domain/errors.h"

namespace returns {

absl::Status CheckInventoryLevels(const std::map<std::string, int32_t>& reserved,
                                  const v1::SetInventoryLevelsRequest& request) {
  for (int i = 0; i < request.levels_size(); ++i) {
    const v1::InventoryLevel& level = request.levels(i);
    auto it = reserved.find(level.sku());
    if (it != reserved.end() && level.on_hand() < it->second) {
      return PreconditionError(
          reason::kBelowReserved,
          absl::StrCat("levels[", i, "].on_hand: ", it->second, " units of ", level.sku(),
                       " are reserved for exchanges, so on_hand cannot be ", level.on_hand()),
          {{"field", absl::StrCat("levels[", i, "].on_hand")},
           {"reserved", absl::StrCat(it->second)}});
    }
  }
  return absl::OkStatus();
}

}  // namespace returns
