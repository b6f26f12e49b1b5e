#pragma once

#include <optional>
#include <string>

#include "storage/transaction.h"

namespace returns::storage {

// The statements of storage/sql/merchants/ and storage/sql/secrets/ (the installation's
// merchants and the server's own secrets), with their rows read by column name.
class MerchantStore {
 public:
  explicit MerchantStore(Tx& tx) : tx_(tx) {}

  // merchants/insert_merchant.sql: a merchant with its default policy and change-feed counter;
  // returns its merchant_id.
  std::string InsertMerchant(const std::string& name, bool operator_merchant);
  // secrets/get_server_secret.sql: the secret's bytes; nullopt when there is none.
  std::optional<std::string> GetServerSecret(const std::string& name);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
