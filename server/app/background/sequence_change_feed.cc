#include "app/background/background_passes.h"
#include "storage/event_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::StatusOr<int> SequenceChangeFeed(storage::ConnectionPool& pool, int max_rows) {
  int numbered = 0;
  absl::Status status = storage::RunTransaction(
      pool, "SequenceChangeFeed", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        storage::EventStore events(tx);
        events.LockFeedSequencer();
        numbered = events.SequenceChangeFeed(max_rows);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return numbered;
}

}  // namespace returns::app
