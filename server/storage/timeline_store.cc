#include "storage/timeline_store.h"

#include "storage/field_reading.h"
#include "google/protobuf/util/time_util.h"

namespace returns::storage {
namespace {

using google::protobuf::util::TimeUtil;

// A row of timeline/list_timeline_events.sql, order_timeline_page.sql or
// watch_timeline_events.sql.
v1::TimelineEvent TimelineEventFromRow(const pqxx::row& row) {
  v1::TimelineEvent event;
  event.set_event_id(row["event_id"].as<std::string>());
  event.set_order_id(row["order_id"].as<std::string>());
  event.set_resource_type(row["resource_type"].as<std::string>());
  event.set_resource_id(row["resource_id"].as<std::string>());
  event.set_event_type(row["event_type"].as<std::string>());
  event.set_state(row["state"].as<std::string>());
  event.set_summary(row["summary"].as<std::string>());
  event.set_request_id(row["request_id"].as<std::string>());
  SetMicros(row["create_time_us"], [&] { return event.mutable_create_time(); });
  return event;
}

}  // namespace

FeedPosition TimelineStore::FeedPositionOfEvent(const std::string& merchant_id,
                                                const std::string& order_id, int64_t event_id) {
  // Always one row: the statement is three scalar subqueries.
  const auto rows = tx_.Exec(sql::kTimelineFeedPositionOfEvent, merchant_id, order_id, event_id);
  const pqxx::row row = rows[0];
  return FeedPosition{Nullable<int64_t>(row["sequence"]), row["pending"].as<bool>(),
                      Nullable<int64_t>(row["at_or_below"])};
}

std::vector<v1::TimelineEvent> TimelineStore::ListTimelineEvents(const std::string& merchant_id,
                                                                 const std::string& order_id,
                                                                 int64_t after_event_id,
                                                                 int limit) {
  std::vector<v1::TimelineEvent> events;
  for (const auto& row :
       tx_.Exec(sql::kTimelineListTimelineEvents, merchant_id, order_id, after_event_id, limit)) {
    events.push_back(TimelineEventFromRow(row));
  }
  return events;
}

std::optional<std::vector<v1::TimelineEvent>> TimelineStore::OrderTimelinePage(
    const std::string& merchant_id, const std::string& order_id, int64_t after_event_id,
    int limit) {
  const auto rows =
      tx_.Exec(sql::kTimelineOrderTimelinePage, merchant_id, order_id, after_event_id, limit);
  // No row: no such order. One row of NULLs: the order, with no event after the cursor.
  if (rows.empty()) return std::nullopt;
  std::vector<v1::TimelineEvent> events;
  if (rows[0]["event_id"].is_null()) return events;
  for (const auto& row : rows) events.push_back(TimelineEventFromRow(row));
  return events;
}

void TimelineStore::RecordEvent(const std::string& merchant_id, const std::string& order_id,
                                const std::string& resource_type, const std::string& resource_id,
                                const std::string& event_type, const std::string& state,
                                const std::string& summary, const std::string& request_id,
                                const std::string& payload_json) {
  tx_.Exec(sql::kTimelineRecordEvent, merchant_id, order_id, resource_type, resource_id, event_type,
           state, summary, request_id, payload_json);
}

std::vector<WatchedTimelineEvent> TimelineStore::WatchTimelineEvents(const std::string& merchant_id,
                                                                     const std::string& order_id,
                                                                     int64_t after_sequence,
                                                                     int limit) {
  std::vector<WatchedTimelineEvent> events;
  for (const auto& row :
       tx_.Exec(sql::kTimelineWatchTimelineEvents, merchant_id, order_id, after_sequence, limit)) {
    events.push_back({TimelineEventFromRow(row), row["sequence"].as<int64_t>()});
  }
  return events;
}

}  // namespace returns::storage
