#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/timeline/timeline_use_cases.h"
#include "domain/errors.h"
#include "storage/order_store.h"
#include "storage/timeline_store.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {

// The feed position WatchTimeline resumes after, for the client's after_event_id; nullopt while
// that event still waits for the sequencer (the stream then waits for the sequencer's NOTIFY of
// this order, which comes once it is numbered).
std::optional<int64_t> ResumePosition(storage::Tx& tx, const std::string& merchant_id,
                                      const std::string& order_id, int64_t after_event_id) {
  if (after_event_id <= 0) return 0;
  const storage::FeedPosition position =
      storage::TimelineStore(tx).FeedPositionOfEvent(merchant_id, order_id, after_event_id);
  if (position.sequence) return *position.sequence;
  if (position.pending) return std::nullopt;
  return position.at_or_below.value_or(0);
}

}  // namespace

absl::StatusOr<LiveSource<v1::TimelineEvent>> OpenWatchTimeline(
    const AppContext& app, const CallContext& call, const v1::WatchTimelineRequest& request) {
  absl::Status exists =
      storage::RunSingleRead(*app.pool, "WatchTimeline", call.deadline, [&](storage::Tx& tx) {
        if (!storage::OrderStore(tx).OrderExists(call.merchant_id, request.order_id())) {
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
  source.read_batch =
      [&app, merchant_id = call.merchant_id, order_id = request.order_id(),
       after_event_id = request.after_event_id(),
       cursor = std::optional<int64_t>()](std::vector<v1::TimelineEvent>* batch) mutable {
        return storage::RunSingleRead(
            *app.pool, "WatchTimeline", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
              if (!cursor.has_value())
                cursor = ResumePosition(tx, merchant_id, order_id, after_event_id);
              if (!cursor.has_value()) return absl::OkStatus();
              for (storage::WatchedTimelineEvent& event :
                   storage::TimelineStore(tx).WatchTimelineEvents(merchant_id, order_id, *cursor,
                                                                  kLiveBatch)) {
                batch->push_back(std::move(event.resource));
                cursor = event.sequence;
              }
              return absl::OkStatus();
            });
      };
  return source;
}

}  // namespace returns::app
