#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/webhooks/webhook_use_cases.h"
#include "google/protobuf/util/time_util.h"
#include "storage/webhook_store.h"

namespace returns::app {

absl::Status ListWebhookEndpoints(const AppContext& app, CallContext& call,
                                  const v1::ListWebhookEndpointsRequest& request,
                                  v1::ListWebhookEndpointsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string scope = absl::StrCat(call.merchant_id, "|ListWebhookEndpoints");
  // Oldest first: the first page starts after time 0.
  auto position =
      DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(), {"0", ""});
  if (!position.ok()) return position.status();
  int64_t after_us = 0;
  if (!absl::SimpleAtoi(position->time_us, &after_us)) after_us = 0;
  return storage::RunTransaction(
      *app.pool, "ListWebhookEndpoints", call.deadline, [&](storage::Tx& tx) {
        std::vector<v1::WebhookEndpoint> endpoints = storage::WebhookStore(tx).ListEndpoints(
            call.merchant_id, after_us, position->id, *page_size + 1);
        const int shown = std::min<int>(endpoints.size(), *page_size);
        for (int i = 0; i < shown; ++i) *response->add_endpoints() = std::move(endpoints[i]);
        if (static_cast<int>(endpoints.size()) > *page_size) {
          const v1::WebhookEndpoint& last = response->endpoints(shown - 1);
          response->set_next_page_token(EncodePageToken(
              app.page_token_secret, scope,
              {absl::StrCat(
                   google::protobuf::util::TimeUtil::TimestampToMicroseconds(last.create_time())),
               last.endpoint_id()}));
        }
        return absl::OkStatus();
      });
}

}  // namespace returns::app
