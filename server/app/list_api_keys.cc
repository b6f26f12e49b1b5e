#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/page_token.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "google/protobuf/util/time_util.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status ListApiKeys(const AppContext& app, const CallContext& call,
                         const v1::ListApiKeysRequest& request, v1::ListApiKeysResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string scope = call.merchant_id + "|ListApiKeys";
  auto position = DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(),
                                       {"0", ""});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(*app.pool, "ListApiKeys", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("api_keys/list_api_keys", call.merchant_id, position->time_us, position->id,
                        *page_size + 1);
    const int shown = std::min<int>(rows.size(), *page_size);
    for (int i = 0; i < shown; ++i) *response->add_api_keys() = storage::ApiKeyFromRow(rows[i]);
    if (static_cast<int>(rows.size()) > *page_size) {
      const auto& last = rows[shown - 1];
      response->set_next_page_token(EncodePageToken(
          app.page_token_secret, scope, {last[3].as<std::string>(), last[0].as<std::string>()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
