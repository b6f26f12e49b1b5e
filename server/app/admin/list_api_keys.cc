#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/admin/admin_use_cases.h"
#include "domain/errors.h"
#include "google/protobuf/util/time_util.h"
#include "storage/api_key_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status ListApiKeys(const AppContext& app, const CallContext& call,
                         const v1::ListApiKeysRequest& request, v1::ListApiKeysResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string scope = call.merchant_id + "|ListApiKeys";
  auto position =
      DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(), {"0", ""});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(*app.pool, "ListApiKeys", call.deadline, [&](storage::Tx& tx) {
    storage::ApiKeyStore api_keys(tx);
    const std::vector<storage::ListedApiKey> keys =
        api_keys.ListApiKeys(call.merchant_id, position->time_us, position->id, *page_size + 1);
    const int shown = std::min<int>(keys.size(), *page_size);
    for (int i = 0; i < shown; ++i) *response->add_api_keys() = keys[i].key;
    if (static_cast<int>(keys.size()) > *page_size) {
      const storage::ListedApiKey& last = keys[shown - 1];
      response->set_next_page_token(EncodePageToken(
          app.page_token_secret, scope, {absl::StrCat(last.create_time_us), last.key.key_id()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
