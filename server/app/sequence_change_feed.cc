#include "app/use_cases.h"
#include "storage/transaction.h"

namespace returns::app {

absl::StatusOr<int> SequenceChangeFeed(storage::ConnectionPool& pool, int max_rows) {
  int numbered = 0;
  absl::Status status = storage::RunTransaction(
      pool, "SequenceChangeFeed", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        tx.Exec("events/lock_feed_sequencer");
        numbered = tx.Exec("events/sequence_change_feed", max_rows)[0][0].as<int>();
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return numbered;
}

}  // namespace returns::app
