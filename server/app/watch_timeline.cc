#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "storage/change_listener.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {
constexpr int kBatch = 100;
// While the listener is connected a stream reads only when woken; this safety net re-reads now
// and then anyway. While it is down, streams poll at kPollInterval.
constexpr absl::Duration kSafetyNet = absl::Seconds(30);
constexpr absl::Duration kPollInterval = absl::Milliseconds(250);
// How often a waiting stream looks at `stopped` (client gone, server draining).
constexpr absl::Duration kStopCheck = absl::Milliseconds(250);
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

  std::optional<storage::ChangeListener::Watch> watch;
  if (app.change_listener != nullptr) {
    watch.emplace(app.change_listener, absl::StrCat(call.merchant_id, "/", request.order_id()));
  }
  int64_t cursor = request.after_event_id();
  while (!stopped()) {
    // The version is taken before the read, so a commit between the read and the wait is seen.
    const uint64_t version = watch ? watch->Version() : 0;
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
    if (static_cast<int>(batch.size()) == kBatch) continue;
    const absl::Time until =
        absl::Now() + (watch && app.change_listener->connected() ? kSafetyNet : kPollInterval);
    while (!stopped() && absl::Now() < until) {
      if (watch && watch->WaitForChange(version, kStopCheck) != version) break;
      if (!watch) absl::SleepFor(std::min(kStopCheck, until - absl::Now()));
    }
  }
  return absl::OkStatus();
}

}  // namespace returns::app
