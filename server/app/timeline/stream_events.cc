#include "absl/time/clock.h"
#include "app/timeline/timeline_use_cases.h"
#include "storage/event_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::StatusOr<LiveSource<v1::ChangeEvent>> OpenStreamEvents(
    const AppContext& app, const CallContext& call, const v1::StreamEventsRequest& request) {
  LiveSource<v1::ChangeEvent> source;
  source.watch_key = call.merchant_id;
  source.read_batch = [&app, merchant_id = call.merchant_id, cursor = request.after_sequence()](
                          std::vector<v1::ChangeEvent>* batch) mutable {
    return storage::RunTransaction(
        *app.pool, "StreamEvents", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          for (v1::ChangeEvent& event :
               storage::EventStore(tx).ListChangeEvents(merchant_id, cursor, kLiveBatch)) {
            cursor = event.sequence();
            batch->push_back(std::move(event));
          }
          return absl::OkStatus();
        });
  };
  return source;
}

}  // namespace returns::app
