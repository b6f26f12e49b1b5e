#include "app/common/page_token.h"
#include "app/inventory/inventory_use_cases.h"
#include "domain/errors.h"
#include "storage/inventory_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetInventoryLevel(const AppContext& app, const CallContext& call,
                               const v1::GetInventoryLevelRequest& request,
                               v1::InventoryLevel* response) {
  return storage::RunTransaction(
      *app.pool, "GetInventoryLevel", call.deadline, [&](storage::Tx& tx) {
        auto level = storage::InventoryStore(tx).GetInventoryLevel(call.merchant_id, request.sku());
        if (!level) return NotFoundError("inventory level", request.sku());
        *response = *std::move(level);
        return absl::OkStatus();
      });
}

}  // namespace returns::app
