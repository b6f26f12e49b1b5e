#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::StatusOr<LiveSource<v1::TimelineEvent>> OpenWatchTimeline(const AppContext& app,
                                                                 const CallContext& call,
                                                                 const v1::WatchTimelineRequest& request) {
  absl::Status exists = storage::RunSingleRead(*app.pool, "WatchTimeline", call.deadline, [&](storage::Tx& tx) {
    if (tx.Exec("orders/order_exists", call.merchant_id, request.order_id()).empty()) {
      return NotFoundError("order", request.order_id());
    }
    return absl::OkStatus();
  });
  if (!exists.ok()) return exists;

  LiveSource<v1::TimelineEvent> source;
  source.watch_key = absl::StrCat(call.merchant_id, "/", request.order_id());
  source.read_batch = [&app, merchant_id = call.merchant_id, order_id = request.order_id(),
                       cursor = request.after_event_id()](std::vector<v1::TimelineEvent>* batch) mutable {
    return storage::RunSingleRead(
        *app.pool, "WatchTimeline", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          for (const auto& row :
               tx.Exec("timeline/list_timeline_events", merchant_id, order_id, cursor, kLiveBatch)) {
            batch->push_back(storage::TimelineEventFromRow(row));
            cursor = std::stoll(batch->back().event_id());
          }
          return absl::OkStatus();
        });
  };
  return source;
}

}  // namespace returns::app
