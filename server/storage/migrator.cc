#include "storage/migrator.h"

#include <algorithm>
#include <map>
#include <utility>

#include <pqxx/pqxx>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/crypto.h"
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

struct Repeatable {
  const EmbeddedSql* file = nullptr;
  std::string checksum;
};

// One application of a repeatable migration, as schema_repeatable_migrations records it.
struct RepeatableApplication {
  std::string checksum;
  // The newest versioned migration the binary that applied it knew.
  int newest_version = 0;
};

absl::StatusOr<std::map<int, Migration>> VersionedMigrations(
    const std::vector<EmbeddedSql>& files) {
  std::map<int, Migration> out;
  for (const EmbeddedSql& file : files) {
    // "V0003__create_orders" -> 3
    int version = 0;
    auto sep = file.name.find("__");
    if (file.name.empty() || file.name[0] != 'V' || sep == std::string::npos ||
        !absl::SimpleAtoi(file.name.substr(1, sep - 1), &version)) {
      return absl::InternalError(
          absl::StrCat("migration file name \"", file.name, "\" is not V<number>__<name>.sql"));
    }
    if (out.count(version) > 0) {
      return absl::InternalError(absl::StrCat("migrations ", out[version].file->name, " and ",
                                              file.name, " have the same version"));
    }
    out[version] = Migration{version, &file, crypto::Sha256Hex(file.sql)};
  }
  return out;
}

// By name, so they run in name order.
absl::StatusOr<std::map<std::string, Repeatable>> RepeatableMigrations(
    const std::vector<EmbeddedSql>& files) {
  std::map<std::string, Repeatable> out;
  for (const EmbeddedSql& file : files) {
    if (!absl::StartsWith(file.name, "R__") || file.name.size() == 3) {
      return absl::InternalError(
          absl::StrCat("repeatable migration file name \"", file.name, "\" is not R__<name>.sql"));
    }
    if (!out.emplace(file.name, Repeatable{&file, crypto::Sha256Hex(file.sql)}).second) {
      return absl::InternalError(
          absl::StrCat("repeatable migration ", file.name, " is given twice"));
    }
  }
  return out;
}

enum class RepeatableAction {
  kUnchanged,  // the database last applied this text: nothing to do
  kApply,      // new, or changed by this release (or a newer one than the database's)
  kKeepNewer,  // the database holds a newer release's text: leave it
};

// `history`: the database's applications of the file, oldest first. `newest_known`: the newest
// versioned migration of this binary. The newest versioned migration known to the binary that
// applied the current text orders releases: a text applied by a binary that knew more versioned
// migrations is newer. Between binaries that knew the same ones (a release that changed only
// repeatable files), a text this binary carries that the database applied before and then
// replaced is the older one: the release that replaced it came later. So a release that reverts a
// repeatable file to an earlier text, with no new versioned migration, must change it (a comment
// suffices) to have it applied (migrations/README.md).
RepeatableAction DecideRepeatable(const std::vector<RepeatableApplication>& history,
                                  const std::string& checksum, int newest_known) {
  if (history.empty()) return RepeatableAction::kApply;
  const RepeatableApplication& current = history.back();
  if (current.checksum == checksum) return RepeatableAction::kUnchanged;
  if (current.newest_version > newest_known) return RepeatableAction::kKeepNewer;
  const bool replaced = std::any_of(
      history.begin(), history.end() - 1,
      [&](const RepeatableApplication& applied) { return applied.checksum == checksum; });
  if (replaced && current.newest_version >= newest_known) return RepeatableAction::kKeepNewer;
  return RepeatableAction::kApply;
}

}  // namespace

absl::StatusOr<MigrationReport> ApplyMigrationFiles(const std::string& database_url,
                                                    const std::vector<EmbeddedSql>& versioned,
                                                    const std::vector<EmbeddedSql>& repeatable) {
  auto migrations = VersionedMigrations(versioned);
  if (!migrations.ok()) return migrations.status();
  auto repeatables = RepeatableMigrations(repeatable);
  if (!repeatables.ok()) return repeatables.status();
  MigrationReport report;
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
      // Every application of a repeatable migration, in order (id): a history, not only the
      // last checksum, so that an older release can tell its text was replaced by a newer one.
      // newest_version: the newest versioned migration the applying binary knew.
      setup.exec(
          "CREATE TABLE IF NOT EXISTS schema_repeatable_migrations ("
          " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
          " name text NOT NULL,"
          " checksum text NOT NULL,"
          " newest_version integer NOT NULL,"
          " applied_at timestamptz NOT NULL DEFAULT now())");
    }
    std::map<int, std::pair<std::string, std::string>> applied;  // version -> (name, checksum)
    std::map<std::string, std::vector<RepeatableApplication>> repeatable_history;  // oldest first
    {
      pqxx::nontransaction read(conn);
      for (const auto& row : read.exec("SELECT version, name, checksum FROM schema_migrations")) {
        applied[row[0].as<int>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
      }
      for (const auto& row : read.exec("SELECT name, checksum, newest_version "
                                       "FROM schema_repeatable_migrations ORDER BY id")) {
        repeatable_history[row[0].as<std::string>()].push_back(
            RepeatableApplication{row[1].as<std::string>(), row[2].as<int>()});
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
            "migration ", entry.first, " was changed after it was applied (checksum ", entry.second,
            " in the database, ", it->second.checksum,
            " in this binary); migrations are forward-only: restore the file and add a new one"));
      }
    }
    // What each repeatable file needs. On a database that is ahead, none runs: the views and
    // functions there are the newer release's, which this release runs on (the additive rule
    // covers repeatable files too), and its older text must not replace them.
    std::vector<const Repeatable*> to_apply;
    for (const auto& [name, file] : *repeatables) {
      auto history = repeatable_history.find(name);
      const RepeatableAction action =
          history == repeatable_history.end()
              ? RepeatableAction::kApply
              : DecideRepeatable(history->second, file.checksum, newest_known);
      if (action == RepeatableAction::kUnchanged) continue;
      if (!ahead.empty() || action == RepeatableAction::kKeepNewer) {
        report.repeatables_kept.push_back(name);
        continue;
      }
      to_apply.push_back(&file);
    }
    if (!ahead.empty()) {
      nlohmann::json fields = {{"migrations_ahead", absl::StrJoin(ahead, ",")}};
      if (!report.repeatables_kept.empty()) {
        fields["repeatable_migrations_kept"] = absl::StrJoin(report.repeatables_kept, ",");
      }
      log::Warn("the database is ahead of this release; running on it without applying anything",
                fields);
    } else if (!report.repeatables_kept.empty()) {
      log::Warn("the database has a newer release's text of repeatable migrations; keeping it",
                {{"repeatable_migrations_kept", absl::StrJoin(report.repeatables_kept, ",")}});
    }
    for (const auto& [version, migration] : *migrations) {
      if (applied.count(version) > 0) continue;
      if (!ahead.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("the database is ahead of this release but lacks its migration ",
                         migration.file->name));
      }
      pqxx::work tx(conn, "migrate");
      tx.exec(migration.file->sql);
      tx.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                     version, migration.file->name, migration.checksum);
      tx.commit();
      ++report.versioned_applied;
      log::Info("migration applied", {{"migration", migration.file->name}});
    }
    // After every versioned migration (a repeatable file defines its view or function on the
    // schema they made), each in its own transaction like them: one that fails leaves the ones
    // before it applied and is tried again at the next start, and the error names it.
    for (const Repeatable* file : to_apply) {
      try {
        pqxx::work tx(conn, "migrate_repeatable");
        tx.exec(file->file->sql);
        tx.exec_params(
            "INSERT INTO schema_repeatable_migrations (name, checksum, newest_version) "
            "VALUES ($1, $2, $3)",
            file->file->name, file->checksum, newest_known);
        tx.commit();
      } catch (const pqxx::broken_connection&) {
        throw;
      } catch (const std::exception& e) {
        return absl::InternalError(
            absl::StrCat("repeatable migration ", file->file->name, " failed: ", e.what()));
      }
      report.repeatables_applied.push_back(file->file->name);
      log::Info("repeatable migration applied", {{"migration", file->file->name}});
    }
    pqxx::nontransaction done(conn);
    done.exec(absl::StrCat("SELECT pg_advisory_unlock(", kMigrationLockKey, ")"));
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(absl::StrCat("cannot reach the database: ", e.what()));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("migration failed: ", e.what()));
  }
  return report;
}

absl::StatusOr<int> ApplyMigrations(const std::string& database_url) {
  auto report =
      ApplyMigrationFiles(database_url, embedded::kMigrations, embedded::kRepeatableMigrations);
  if (!report.ok()) return report.status();
  return report->versioned_applied;
}

}  // namespace returns::storage
