#include "absl/time/clock.h"
#include "app/use_cases.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "storage/transaction.h"

namespace returns::app {

absl::StatusOr<LiveSource<v1::ChangeEvent>> OpenStreamEvents(const AppContext& app,
                                                             const CallContext& call,
                                                             const v1::StreamEventsRequest& request) {
  LiveSource<v1::ChangeEvent> source;
  source.watch_key = call.merchant_id;
  source.read_batch = [&app, merchant_id = call.merchant_id,
                       cursor = request.after_sequence()](std::vector<v1::ChangeEvent>* batch) mutable {
    return storage::RunTransaction(
        *app.pool, "StreamEvents", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          for (const auto& row : tx.Exec("events/list_change_events", merchant_id, cursor, kLiveBatch)) {
            v1::ChangeEvent event;
            event.set_sequence(row[0].as<int64_t>());
            event.set_event_id(row[1].as<std::string>());
            event.set_aggregate_type(row[2].as<std::string>());
            event.set_aggregate_id(row[3].as<std::string>());
            event.set_event_type(row[4].as<std::string>());
            event.set_order_id(row[5].as<std::string>());
            (void)google::protobuf::util::JsonStringToMessage(row[6].as<std::string>(),
                                                              event.mutable_payload());
            *event.mutable_create_time() =
                google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row[7].as<int64_t>());
            cursor = event.sequence();
            batch->push_back(std::move(event));
          }
          return absl::OkStatus();
        });
  };
  return source;
}

}  // namespace returns::app
