#include "app/page_token.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetInventoryLevel(const AppContext& app, const CallContext& call,
                               const v1::GetInventoryLevelRequest& request,
                               v1::InventoryLevel* response) {
  return storage::RunTransaction(*app.pool, "GetInventoryLevel", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("inventory/get_inventory_level", call.merchant_id, request.sku());
    if (rows.empty()) return NotFoundError("inventory level", request.sku());
    *response = storage::InventoryLevelFromRow(rows[0]);
    return absl::OkStatus();
  });
}

absl::Status ListInventoryLevels(const AppContext& app, const CallContext& call,
                                 const v1::ListInventoryLevelsRequest& request,
                                 v1::ListInventoryLevelsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string scope = call.merchant_id + "|ListInventoryLevels";
  auto position = DecodePageToken(app.page_token_secret, scope, request.page_token());
  if (!position.ok()) return position.status();
  if (position->size() > 1) return InvalidField("page_token", "is not a page token of this list");
  const std::string after = position->empty() ? "" : (*position)[0];
  return storage::RunTransaction(*app.pool, "ListInventoryLevels", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("inventory/list_inventory_levels", call.merchant_id, after, *page_size + 1);
    const int shown = std::min<int>(rows.size(), *page_size);
    for (int i = 0; i < shown; ++i) *response->add_levels() = storage::InventoryLevelFromRow(rows[i]);
    if (static_cast<int>(rows.size()) > *page_size) {
      response->set_next_page_token(
          EncodePageToken(app.page_token_secret, scope, {response->levels(shown - 1).sku()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
