#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/webhooks/webhook_use_cases.h"
#include "common/enum_text.h"
#include "domain/errors.h"
#include "storage/webhook_store.h"

namespace returns::app {

absl::Status ListWebhookDeliveries(const AppContext& app, CallContext& call,
                                   const v1::ListWebhookDeliveriesRequest& request,
                                   v1::ListWebhookDeliveriesResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string state =
      request.state() == v1::WEBHOOK_DELIVERY_STATE_UNSPECIFIED ? "" : EnumText(request.state());
  const std::string scope =
      absl::StrCat(call.merchant_id, "|ListWebhookDeliveries|", request.endpoint_id(), "|", state,
                   "|", request.event_id());
  // Newest first, by queue position: the first page starts before every position (0).
  auto position = DecodePageToken(app.page_token_secret, scope, request.page_token());
  if (!position.ok()) return position.status();
  int64_t before = 0;
  if (!position->empty() && !absl::SimpleAtoi((*position)[0], &before)) before = 0;
  return storage::RunTransaction(
      *app.pool, "ListWebhookDeliveries", call.deadline, [&](storage::Tx& tx) {
        storage::WebhookStore store(tx);
        if (!store.GetEndpoint(call.merchant_id, request.endpoint_id())) {
          return NotFoundError("webhook endpoint", request.endpoint_id());
        }
        auto deliveries = store.ListDeliveries(call.merchant_id, request.endpoint_id(), state,
                                               request.event_id(), before, *page_size + 1);
        const int shown = std::min<int>(deliveries.size(), *page_size);
        for (int i = 0; i < shown; ++i) *response->add_deliveries() = deliveries[i].first;
        if (static_cast<int>(deliveries.size()) > *page_size) {
          response->set_next_page_token(EncodePageToken(
              app.page_token_secret, scope, {absl::StrCat(deliveries[shown - 1].second)}));
        }
        return absl::OkStatus();
      });
}

}  // namespace returns::app
