#include "storage/migrator.h"

#include <map>

#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/crypto.h"
#include "common/embedded_sql.h"
#include "common/log.h"

namespace returns::storage {
namespace {

// Any fixed number: the key of the advisory lock that serialises migrating replicas.
constexpr int64_t kMigrationLockKey = 7262001;

struct Migration {
  int version = 0;
  const EmbeddedSql* file = nullptr;
  std::string checksum;
};

absl::StatusOr<std::map<int, Migration>> EmbeddedMigrations() {
  std::map<int, Migration> out;
  for (const EmbeddedSql& file : embedded::kMigrations) {
    // "V0003__create_orders" -> 3
    int version = 0;
    auto sep = file.name.find("__");
    if (file.name.empty() || file.name[0] != 'V' || sep == std::string::npos ||
        !absl::SimpleAtoi(file.name.substr(1, sep - 1), &version)) {
      return absl::InternalError(absl::StrCat("migration file name \"", file.name,
                                              "\" is not V<number>__<name>.sql"));
    }
    out[version] = Migration{version, &file, crypto::Sha256Hex(file.sql)};
  }
  return out;
}

}  // namespace

absl::StatusOr<int> ApplyMigrations(const std::string& database_url) {
  auto migrations = EmbeddedMigrations();
  if (!migrations.ok()) return migrations.status();
  int applied_now = 0;
  try {
    pqxx::connection conn(database_url);
    {
      pqxx::nontransaction setup(conn);
      setup.exec("SET client_min_messages = warning");
      setup.exec(absl::StrCat("SELECT pg_advisory_lock(", kMigrationLockKey, ")"));
      setup.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version integer PRIMARY KEY,"
          " name text NOT NULL,"
          " checksum text NOT NULL,"
          " applied_at timestamptz NOT NULL DEFAULT now())");
    }
    std::map<int, std::pair<std::string, std::string>> applied;  // version -> (name, checksum)
    {
      pqxx::nontransaction read(conn);
      for (const auto& row : read.exec("SELECT version, name, checksum FROM schema_migrations")) {
        applied[row[0].as<int>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
      }
    }
    const int newest_known = migrations->empty() ? 0 : migrations->rbegin()->first;
    std::vector<std::string> ahead;
    for (const auto& [version, entry] : applied) {
      auto it = migrations->find(version);
      if (it == migrations->end() && version > newest_known) {
        // A newer release migrated the database (a rolling upgrade, or a rollback of this
        // replica): migrations are additive (migrations/README.md, enforced by
        // MigratorTest.NewMigrationsAreAdditive), so this release keeps working on it.
        ahead.push_back(entry.first);
        continue;
      }
      if (it == migrations->end()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the database has migration ", entry.first,
            " which this returnsd does not know and which is older than its newest: the database "
            "was migrated by another line of releases; run the release that made it"));
      }
      if (it->second.checksum != entry.second) {
        return absl::FailedPreconditionError(absl::StrCat(
            "migration ", entry.first, " was changed after it was applied (checksum ",
            entry.second, " in the database, ", it->second.checksum,
            " in this binary); migrations are forward-only: restore the file and add a new one"));
      }
    }
    if (!ahead.empty()) {
      log::Warn("the database is ahead of this release; running on it without applying anything",
                {{"migrations_ahead", absl::StrJoin(ahead, ",")}});
    }
    for (const auto& [version, migration] : *migrations) {
      if (applied.count(version) > 0) continue;
      if (!ahead.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the database is ahead of this release but lacks its migration ", migration.file->name));
      }
      pqxx::work tx(conn, "migrate");
      tx.exec(migration.file->sql);
      tx.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                     version, migration.file->name, migration.checksum);
      tx.commit();
      ++applied_now;
      log::Info("migration applied", {{"migration", migration.file->name}});
    }
    pqxx::nontransaction done(conn);
    done.exec(absl::StrCat("SELECT pg_advisory_unlock(", kMigrationLockKey, ")"));
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(absl::StrCat("cannot reach the database: ", e.what()));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("migration failed: ", e.what()));
  }
  return applied_now;
}

}  // namespace returns::storage
