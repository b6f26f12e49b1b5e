#include "absl/time/clock.h"
#include "app/live_wait.h"
#include "app/use_cases.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "storage/transaction.h"

namespace returns::app {

namespace {
constexpr int kBatch = 100;
}  // namespace

absl::Status StreamEvents(const AppContext& app, const CallContext& call,
                          const v1::StreamEventsRequest& request,
                          absl::FunctionRef<bool(const v1::ChangeEvent&)> write,
                          absl::FunctionRef<bool()> stopped) {
  const LiveWait live(app, call.merchant_id);
  int64_t cursor = request.after_sequence();
  while (!stopped()) {
    const uint64_t version = live.Version();
    std::vector<v1::ChangeEvent> batch;
    absl::Status status = storage::RunTransaction(
        *app.pool, "StreamEvents", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          for (const auto& row : tx.Exec("events/list_change_events", call.merchant_id, cursor, kBatch)) {
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
            batch.push_back(std::move(event));
          }
          return absl::OkStatus();
        });
    // The client resumes from the last sequence it got; nothing is lost by ending here.
    if (!status.ok()) return status;
    for (const auto& event : batch) {
      if (!write(event)) return absl::OkStatus();  // the client went away
      cursor = event.sequence();
    }
    // Woken by the listener when the merchant's events commit; polling while it is down.
    if (static_cast<int>(batch.size()) < kBatch) live.Wait(version, stopped);
  }
  return absl::OkStatus();
}

}  // namespace returns::app
