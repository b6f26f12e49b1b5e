#include <algorithm>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/common/idempotency.h"
#include "app/inventory/inventory_use_cases.h"
#include "domain/inventory_rules.h"
#include "storage/inventory_store.h"

namespace returns::app {

absl::Status SetInventoryLevels(const AppContext& app, CallContext& call,
                                const v1::SetInventoryLevelsRequest& request,
                                v1::SetInventoryLevelsResponse* response) {
  // Rows are locked and written in SKU order, as every multi-SKU writer of inventory does.
  std::vector<const v1::InventoryLevel*> sorted;
  for (const auto& level : request.levels()) sorted.push_back(&level);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->sku() < b->sku(); });
  nlohmann::json skus = nlohmann::json::array();
  nlohmann::json levels = nlohmann::json::array();
  for (const v1::InventoryLevel* level_ptr : sorted) {
    const v1::InventoryLevel& level = *level_ptr;
    skus.push_back(level.sku());
    levels.push_back({{"sku", level.sku()},
                      {"on_hand", level.on_hand()},
                      {"currency_code", level.unit_price().currency_code()},
                      {"unit_price_minor", level.unit_price().amount_minor()},
                      {"product_id", level.product_id()},
                      {"size", level.size()},
                      {"size_rank", level.size_rank()}});
  }
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    // Tokens reserve under the same row locks, so a level checked here stays checked.
    storage::InventoryStore inventory(tx);
    std::map<std::string, int32_t> reserved;
    for (const storage::LockedInventoryLevel& locked :
         inventory.LockInventoryLevels(call.merchant_id, skus.dump())) {
      reserved[locked.sku] = locked.reserved;
    }
    if (absl::Status s = CheckInventoryLevels(reserved, request); !s.ok()) return s;
    std::map<std::string, v1::InventoryLevel> stored;
    for (v1::InventoryLevel& level :
         inventory.SetInventoryLevels(call.merchant_id, levels.dump())) {
      stored[level.sku()] = std::move(level);
    }
    for (const auto& level : request.levels()) *response->add_levels() = stored[level.sku()];
    return absl::OkStatus();
  });
}

}  // namespace returns::app
