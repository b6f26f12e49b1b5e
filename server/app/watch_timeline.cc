#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {

// The feed position WatchTimeline resumes after, for the client's after_event_id; nullopt while
// that event still waits for the sequencer (the stream then waits for the sequencer's NOTIFY of
// this order, which comes once it is numbered).
std::optional<int64_t> ResumePosition(storage::Tx& tx, const std::string& merchant_id,
                                      const std::string& order_id, int64_t after_event_id) {
  if (after_event_id <= 0) return 0;
  const auto row = tx.Exec("timeline/feed_position_of_event", merchant_id, order_id, after_event_id)[0];
  if (!row[0].is_null()) return row[0].as<int64_t>();
  if (row[1].as<bool>()) return std::nullopt;
  return row[2].is_null() ? 0 : row[2].as<int64_t>();
}

}  // namespace

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

  // The stream follows the order's events in change-feed order, with the feed sequence as its
  // cursor: event ids are drawn at insert, before commit, so a cursor on them could skip an
  // event that commits late; feed sequences are given after commit (docs/lifecycle.md).
  LiveSource<v1::TimelineEvent> source;
  source.watch_key = absl::StrCat(call.merchant_id, "/", request.order_id());
  source.read_batch = [&app, merchant_id = call.merchant_id, order_id = request.order_id(),
                       after_event_id = request.after_event_id(),
                       cursor = std::optional<int64_t>()](std::vector<v1::TimelineEvent>* batch) mutable {
    return storage::RunSingleRead(
        *app.pool, "WatchTimeline", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          if (!cursor.has_value()) cursor = ResumePosition(tx, merchant_id, order_id, after_event_id);
          if (!cursor.has_value()) return absl::OkStatus();
          for (const auto& row :
               tx.Exec("timeline/watch_timeline_events", merchant_id, order_id, *cursor, kLiveBatch)) {
            batch->push_back(storage::TimelineEventFromRow(row));
            cursor = row[9].as<int64_t>();
          }
          return absl::OkStatus();
        });
  };
  return source;
}

}  // namespace returns::app
