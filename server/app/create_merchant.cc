#include "app/use_cases.h"
#include "storage/transaction.h"

namespace returns::app {

absl::StatusOr<std::string> CreateMerchant(storage::ConnectionPool& pool, absl::string_view name) {
  std::string merchant_id;
  absl::Status status = storage::RunTransaction(
      pool, "CreateMerchant", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        merchant_id = tx.Exec("merchants/insert_merchant", std::string(name))[0][0].as<std::string>();
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return merchant_id;
}

absl::StatusOr<bool> MerchantExists(const AppContext& app, absl::string_view merchant_id,
                                    absl::Time deadline) {
  bool exists = false;
  absl::Status status =
      storage::RunTransaction(*app.pool, "MerchantExists", deadline, [&](storage::Tx& tx) {
        exists = !tx.Exec("merchants/get_merchant", std::string(merchant_id)).empty();
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return exists;
}

}  // namespace returns::app
