#include "app/background/background_passes.h"
#include "storage/idempotency_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::StatusOr<int> PurgeExpiredRequestIds(const AppContext& app) {
  int purged = 0;
  absl::Status status = storage::RunTransaction(
      *app.pool, "PurgeExpiredRequestIds", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        purged = storage::IdempotencyStore(tx).PurgeExpiredKeys(1000);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return purged;
}

}  // namespace returns::app
