#include "app/common/page_token.h"
#include "app/inventory/inventory_use_cases.h"
#include "domain/errors.h"
#include "storage/inventory_store.h"
#include "storage/transaction.h"

namespace returns::app {

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
  return storage::RunTransaction(
      *app.pool, "ListInventoryLevels", call.deadline, [&](storage::Tx& tx) {
        std::vector<v1::InventoryLevel> levels = storage::InventoryStore(tx).ListInventoryLevels(
            call.merchant_id, after, *page_size + 1);
        const int shown = std::min<int>(levels.size(), *page_size);
        for (int i = 0; i < shown; ++i) *response->add_levels() = std::move(levels[i]);
        if (static_cast<int>(levels.size()) > *page_size) {
          response->set_next_page_token(
              EncodePageToken(app.page_token_secret, scope, {response->levels(shown - 1).sku()}));
        }
        return absl::OkStatus();
      });
}

}  // namespace returns::app
