#include "absl/time/clock.h"
#include <optional>

#include "app/use_cases.h"
#include "storage/change_listener.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "storage/transaction.h"

namespace returns::app {

namespace {
constexpr int kBatch = 100;
// Without a change listener (or while it is down) an idle stream looks again this often.
constexpr absl::Duration kPollInterval = absl::Milliseconds(200);
// With the listener connected, a stream reads when woken, and after this anyway.
constexpr absl::Duration kSafetyNet = absl::Seconds(30);
// How often a waiting stream looks at `stopped` (client gone, server draining).
constexpr absl::Duration kStopCheck = absl::Milliseconds(250);
}  // namespace

absl::Status StreamEvents(const AppContext& app, const CallContext& call,
                          const v1::StreamEventsRequest& request,
                          absl::FunctionRef<bool(const v1::ChangeEvent&)> write,
                          absl::FunctionRef<bool()> stopped) {
  std::optional<storage::ChangeListener::Watch> watch;
  if (app.change_listener != nullptr) watch.emplace(app.change_listener, call.merchant_id);
  int64_t cursor = request.after_sequence();
  while (!stopped()) {
    // The version is taken before the read, so a commit between the read and the wait is seen.
    const uint64_t version = watch ? watch->Version() : 0;
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
    if (static_cast<int>(batch.size()) < kBatch) {
      // Woken by the listener when the merchant's events commit; polling while it is down.
      const absl::Time until =
          absl::Now() + (watch && app.change_listener->connected() ? kSafetyNet : kPollInterval);
      while (!stopped() && absl::Now() < until) {
        if (watch && watch->WaitForChange(version, kStopCheck) != version) break;
        if (!watch) absl::SleepFor(std::min(kStopCheck, until - absl::Now()));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace returns::app
