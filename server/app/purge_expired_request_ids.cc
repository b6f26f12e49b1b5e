#include "app/use_cases.h"
#include "storage/transaction.h"

namespace returns::app {

absl::StatusOr<int> PurgeExpiredRequestIds(const AppContext& app) {
  int purged = 0;
  absl::Status status = storage::RunTransaction(
      *app.pool, "PurgeExpiredRequestIds", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        purged = tx.Exec("idempotency/purge_expired_keys", 1000).affected_rows();
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return purged;
}

}  // namespace returns::app
