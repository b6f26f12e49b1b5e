#include "service/database_setup.h"

#include <iostream>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "app/admin/admin_use_cases.h"
#include "common/log.h"
#include "storage/merchant_store.h"
#include "storage/migrator.h"
#include "storage/transaction.h"

namespace returns {
namespace {

absl::StatusOr<std::string> LoadServerSecret(storage::ConnectionPool& pool,
                                             const std::string& name) {
  std::string secret;
  absl::Status status = storage::RunTransaction(
      pool, "LoadSecrets", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
        std::optional<std::string> stored = storage::MerchantStore(tx).GetServerSecret(name);
        if (!stored.has_value()) {
          return absl::FailedPreconditionError("server secret " + name + " missing");
        }
        secret = *std::move(stored);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return secret;
}

// Keys from --exchange_token_keys (newest first) or, when none are configured, the key the
// migrations made in server_secrets (id "db1"), shared by every replica.
absl::StatusOr<ExchangeTokenCodec> TokenCodec(const Flags& flags, storage::ConnectionPool& pool) {
  if (!flags.exchange_token_keys.empty()) {
    auto keys = ExchangeTokenCodec::ParseKeys(flags.exchange_token_keys);
    if (!keys.ok()) return keys.status();
    return ExchangeTokenCodec::Create(*keys);
  }
  auto secret = LoadServerSecret(pool, "exchange_token");
  if (!secret.ok()) return secret.status();
  return ExchangeTokenCodec::Create({{"db1", *secret}});
}

}  // namespace

absl::Status PrepareDatabase(const Flags& flags, storage::ConnectionPool& pool,
                             app::AppContext& app, std::optional<ExchangeTokenCodec>& codec) {
  if (!flags.no_migrate) {
    auto applied = storage::ApplyMigrations(flags.DirectUrl());
    if (!applied.ok()) return applied.status();
    log::Info("migrations up to date", {{"applied_now", *applied}});
  }
  auto secret = LoadServerSecret(pool, "page_token");
  if (!secret.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot read server secrets: ", secret.status().message()));
  }
  auto loaded = TokenCodec(flags, pool);
  if (!loaded.ok()) {
    if (!flags.exchange_token_keys.empty()) return loaded.status();
    return absl::UnavailableError(
        absl::StrCat("cannot read the exchange-token key: ", loaded.status().message()));
  }
  app.page_token_secret = *std::move(secret);
  codec.emplace(*std::move(loaded));
  app.token_codec = &*codec;
  return absl::OkStatus();
}

int Migrate(const Flags& flags) {
  auto applied = storage::ApplyMigrations(flags.DirectUrl());
  if (!applied.ok()) {
    log::Error("migrations refused", {{"error", applied.status().message()}});
    std::cerr << "returnsd: " << applied.status().message() << "\n";
    return 1;
  }
  log::Info("migrations up to date", {{"applied_now", *applied}});
  return 0;
}

int CreateMerchantCommand(const Flags& flags) {
  storage::ConnectionPool pool(flags.database_url, 1, flags.DatabasePoolOptions());
  auto created = app::CreateMerchant(pool, flags.merchant_name, flags.operator_merchant);
  if (!created.ok()) {
    std::cerr << "returnsd: cannot create merchant: " << created.status().message() << "\n";
    return 1;
  }
  // The key goes to stdout once, for the operator; it is never logged.
  std::cout << "merchant_id: " << created->merchant_id() << "\n"
            << "admin_key_id: " << created->admin_key().key_id() << "\n"
            << "admin_key: " << created->admin_key_secret() << "\n";
  std::cerr << "returnsd: store admin_key now; it cannot be shown again\n";
  return 0;
}

}  // namespace returns
