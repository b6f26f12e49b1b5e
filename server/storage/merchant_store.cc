#include "storage/merchant_store.h"

#include "absl/strings/escaping.h"

namespace returns::storage {

std::string MerchantStore::InsertMerchant(const std::string& name, bool operator_merchant) {
  const auto rows = tx_.Exec(sql::kMerchantsInsertMerchant, name, operator_merchant);
  return rows[0]["merchant_id"].as<std::string>();
}

std::optional<std::string> MerchantStore::GetServerSecret(const std::string& name) {
  const auto rows = tx_.Exec(sql::kSecretsGetServerSecret, name);
  if (rows.empty()) return std::nullopt;
  // Hex in the row, so the secret travels as text.
  return absl::HexStringToBytes(rows[0]["secret_hex"].as<std::string>());
}

}  // namespace returns::storage
