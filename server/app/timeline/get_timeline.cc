#include "absl/strings/numbers.h"
#include "app/common/page_token.h"
#include "app/timeline/timeline_use_cases.h"
#include "domain/errors.h"
#include "storage/timeline_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetTimeline(const AppContext& app, const CallContext& call,
                         const v1::GetTimelineRequest& request, v1::GetTimelineResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string scope = call.merchant_id + "|GetTimeline|" + request.order_id();
  auto position = DecodePageToken(app.page_token_secret, scope, request.page_token());
  if (!position.ok()) return position.status();
  int64_t after_event_id = 0;
  if (!position->empty() &&
      (position->size() != 1 || !absl::SimpleAtoi((*position)[0], &after_event_id))) {
    return InvalidField("page_token", "is not a page token of this list");
  }
  // One statement: the order's existence and the page together, so a single read suffices.
  return storage::RunSingleRead(*app.pool, "GetTimeline", call.deadline, [&](storage::Tx& tx) {
    const std::optional<std::vector<v1::TimelineEvent>> page =
        storage::TimelineStore(tx).OrderTimelinePage(call.merchant_id, request.order_id(),
                                                     after_event_id, *page_size + 1);
    // An order that does not exist (or is another merchant's) has no timeline: NOT_FOUND.
    if (!page) return NotFoundError("order", request.order_id());
    const int events = static_cast<int>(page->size());
    const int shown = std::min<int>(events, *page_size);
    for (int i = 0; i < shown; ++i) {
      *response->add_events() = (*page)[i];
    }
    if (events > *page_size) {
      response->set_next_page_token(
          EncodePageToken(app.page_token_secret, scope, {response->events(shown - 1).event_id()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
