#include "storage/event_store.h"

#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace returns::storage {

std::vector<v1::ChangeEvent> EventStore::ListChangeEvents(const std::string& merchant_id,
                                                          int64_t after_sequence, int limit) {
  std::vector<v1::ChangeEvent> events;
  for (const auto& row :
       tx_.Exec(sql::kEventsListChangeEvents, merchant_id, after_sequence, limit)) {
    v1::ChangeEvent event;
    event.set_sequence(row["sequence"].as<int64_t>());
    event.set_event_id(row["id"].as<std::string>());
    event.set_aggregate_type(row["aggregatetype"].as<std::string>());
    event.set_aggregate_id(row["aggregateid"].as<std::string>());
    event.set_event_type(row["type"].as<std::string>());
    event.set_order_id(row["order_id"].as<std::string>());
    // An event whose payload does not parse still goes out, without it.
    (void)google::protobuf::util::JsonStringToMessage(row["payload"].as<std::string>(),
                                                      event.mutable_payload());
    *event.mutable_create_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
        row["create_time_us"].as<int64_t>());
    events.push_back(std::move(event));
  }
  return events;
}

void EventStore::LockFeedSequencer() { tx_.Exec(sql::kEventsLockFeedSequencer); }

int EventStore::SequenceChangeFeed(int max_rows) {
  const auto rows = tx_.Exec(sql::kEventsSequenceChangeFeed, max_rows);
  return rows[0]["moved_rows"].as<int>();
}

}  // namespace returns::storage
