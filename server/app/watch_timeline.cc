#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "app/live_wait.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {
constexpr int kBatch = 100;
}  // namespace

absl::Status WatchTimeline(const AppContext& app, const CallContext& call,
                           const v1::WatchTimelineRequest& request,
                           absl::FunctionRef<bool(const v1::TimelineEvent&)> write,
                           absl::FunctionRef<bool()> stopped) {
  absl::Status exists = storage::RunSingleRead(*app.pool, "WatchTimeline", call.deadline, [&](storage::Tx& tx) {
    if (tx.Exec("orders/order_exists", call.merchant_id, request.order_id()).empty()) {
      return NotFoundError("order", request.order_id());
    }
    return absl::OkStatus();
  });
  if (!exists.ok()) return exists;

  const LiveWait live(app, absl::StrCat(call.merchant_id, "/", request.order_id()));
  int64_t cursor = request.after_event_id();
  while (!stopped()) {
    const uint64_t version = live.Version();
    std::vector<v1::TimelineEvent> batch;
    absl::Status status = storage::RunSingleRead(
        *app.pool, "WatchTimeline", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          for (const auto& row : tx.Exec("timeline/list_timeline_events", call.merchant_id,
                                         request.order_id(), cursor, kBatch)) {
            batch.push_back(storage::TimelineEventFromRow(row));
          }
          return absl::OkStatus();
        });
    if (!status.ok()) return status;  // the client resumes from its last event_id
    for (const auto& event : batch) {
      if (!write(event)) return absl::OkStatus();
      cursor = std::stoll(event.event_id());
    }
    if (static_cast<int>(batch.size()) < kBatch) live.Wait(version, stopped);
  }
  return absl::OkStatus();
}

}  // namespace returns::app
