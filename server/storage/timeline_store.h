#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/timeline.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// timeline/feed_position_of_event.sql: where WatchTimeline resumes after an event of the order.
struct FeedPosition {
  std::optional<int64_t> sequence;  // the event's feed sequence, once the sequencer numbered it
  bool pending = false;             // the event waits for the sequencer
  // For a number that is no event of the order: its newest numbered event at or below it.
  std::optional<int64_t> at_or_below;
};

// timeline/watch_timeline_events.sql: an event with its feed sequence, the stream's cursor.
struct WatchedTimelineEvent {
  v1::TimelineEvent resource;
  int64_t sequence = 0;
};

// The statements of storage/sql/timeline/ (an order's timeline, each event written with its
// change-feed row), with their rows read by column name.
class TimelineStore {
 public:
  explicit TimelineStore(Tx& tx) : tx_(tx) {}

  // timeline/feed_position_of_event.sql: the feed position of the order's event `event_id`.
  FeedPosition FeedPositionOfEvent(const std::string& merchant_id, const std::string& order_id,
                                   int64_t event_id);
  // timeline/list_timeline_events.sql: the order's events after `after_event_id`, oldest first.
  std::vector<v1::TimelineEvent> ListTimelineEvents(const std::string& merchant_id,
                                                    const std::string& order_id,
                                                    int64_t after_event_id, int limit);
  // timeline/order_timeline_page.sql: the order's events after `after_event_id`, oldest first
  // (empty when there is none); nullopt when the order does not exist.
  std::optional<std::vector<v1::TimelineEvent>> OrderTimelinePage(const std::string& merchant_id,
                                                                  const std::string& order_id,
                                                                  int64_t after_event_id,
                                                                  int limit);
  // timeline/record_event.sql: writes the timeline event and its change-feed row (`payload_json`,
  // numbered by the sequencer after commit).
  void RecordEvent(const std::string& merchant_id, const std::string& order_id,
                   const std::string& resource_type, const std::string& resource_id,
                   const std::string& event_type, const std::string& state,
                   const std::string& summary, const std::string& request_id,
                   const std::string& payload_json);
  // timeline/watch_timeline_events.sql: the order's events after feed sequence
  // `after_sequence`, in feed order.
  std::vector<WatchedTimelineEvent> WatchTimelineEvents(const std::string& merchant_id,
                                                        const std::string& order_id,
                                                        int64_t after_sequence, int limit);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
