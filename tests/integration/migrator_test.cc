#include "storage/migrator.h"

#include <atomic>
#include <regex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/embedded_sql.h"
#include "test_database.h"

namespace returns::testing {
namespace {

TEST(MigratorTest, MigratedDatabaseHasEveryMigrationOnce) {
  TestDatabase db;
  auto applied = storage::ApplyMigrations(db.url());
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, 0);
  EXPECT_EQ(QueryScalar(db.url(), "SELECT count(*) FROM schema_migrations"),
            absl::StrCat(embedded::kMigrations.size()));
}

TEST(MigratorTest, RefusesAMigrationChangedAfterItWasApplied) {
  TestDatabase db;
  QueryScalar(db.url(), "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 3");
  auto applied = storage::ApplyMigrations(db.url());
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(applied.status().message().find("V0003__create_orders was changed"), std::string::npos)
      << applied.status();
}

// A rolling upgrade: the new release migrated first; this (older) release keeps running on the
// database, applying nothing.
TEST(MigratorTest, RunsOnADatabaseANewerReleaseMigrated) {
  TestDatabase db;
  QueryScalar(db.url(),
              "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, "
              "'V9999__future', 'x')");
  auto applied = storage::ApplyMigrations(db.url());
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, 0);
}

TEST(MigratorTest, RefusesAnUnknownMigrationOlderThanItsNewest) {
  TestDatabase db;
  QueryScalar(db.url(),
              "INSERT INTO schema_migrations (version, name, checksum) VALUES (0, "
              "'V0000__elsewhere', 'x')");
  auto applied = storage::ApplyMigrations(db.url());
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.status().message().find("V0000__elsewhere"), std::string::npos);
  EXPECT_NE(applied.status().message().find("does not know"), std::string::npos);
}

// Rolling upgrades need every migration to work with the previous release's binary still
// running: additive only. From V0019 on (V0001-V0018 are the baseline; V0016's SET NOT NULL
// predates the rule), a file may not drop or rename anything, change a column's type, make a
// column NOT NULL, or add a NOT NULL column without a default, unless it says why on a line
// "-- contract step: <why the previous release no longer runs>" (then the release notes must
// say that replicas of the release before cannot run against it).
TEST(MigratorTest, NewMigrationsAreAdditive) {
  const std::regex forbidden(
      R"(\bDROP\s+(TABLE|COLUMN|VIEW|TYPE|FUNCTION)\b|\bRENAME\b|\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b|)"
      R"(\bSET\s+NOT\s+NULL\b|\bADD\s+COLUMN\s+[^,;]*\bNOT\s+NULL\b(?![^,;]*\bDEFAULT\b))",
      std::regex::icase);
  int checked = 0;
  for (const EmbeddedSql& file : embedded::kMigrations) {
    const int version = std::stoi(file.name.substr(1, 4));
    if (version <= 18) continue;
    ++checked;
    if (file.sql.find("-- contract step:") != std::string::npos) continue;
    std::string code;  // without comments
    for (absl::string_view line : absl::StrSplit(file.sql, '\n')) {
      code += std::string(line.substr(0, line.find("--"))) + "\n";
    }
    std::smatch match;
    EXPECT_FALSE(std::regex_search(code, match, forbidden))
        << file.name << " is not additive (\"" << match.str()
        << "\"): see the comment on this test";
  }
  // The rule itself is checked on examples, so a broken pattern cannot pass everything.
  for (const char* bad :
       {"ALTER TABLE t DROP COLUMN c;", "ALTER TABLE t RENAME TO u;",
        "ALTER TABLE t ALTER COLUMN c TYPE bigint;", "ALTER TABLE t ALTER COLUMN c SET NOT NULL;",
        "ALTER TABLE t ADD COLUMN c int NOT NULL;", "DROP TABLE t;"}) {
    EXPECT_TRUE(std::regex_search(std::string(bad), forbidden)) << bad;
  }
  for (const char* good :
       {"ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0;", "CREATE TABLE t (c int NOT NULL);",
        "CREATE INDEX i ON t (c);", "ALTER TABLE t ADD COLUMN c text;"}) {
    EXPECT_FALSE(std::regex_search(std::string(good), forbidden)) << good;
  }
  (void)checked;
}

TEST(MigratorTest, ConcurrentStartersApplyEachMigrationOnce) {
  // An empty database, not the migrated template.
  const std::string name =
      "migrate_race_" + std::to_string(::getpid()) + "_" + std::to_string(std::rand() % 1000000);
  {
    pqxx::connection admin(ClusterUrl() + "postgres");
    pqxx::nontransaction(admin).exec("CREATE DATABASE " + name + " TEMPLATE template0");
  }
  const std::string url = ClusterUrl() + name;
  std::atomic<int> total{0}, failures{0};
  std::vector<std::thread> starters;
  for (int i = 0; i < 4; ++i) {
    starters.emplace_back([&] {
      auto applied = storage::ApplyMigrations(url);
      if (applied.ok())
        total += *applied;
      else
        ++failures;
    });
  }
  for (auto& t : starters) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(total.load(), static_cast<int>(embedded::kMigrations.size()));
  pqxx::connection admin(ClusterUrl() + "postgres");
  pqxx::nontransaction(admin).exec("DROP DATABASE " + name + " WITH (FORCE)");
}

TEST(MigratorTest, EveryTableKeysOnMerchantFirst) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  pqxx::nontransaction tx(conn);
  auto rows = tx.exec(
      "SELECT c.relname, a.attname FROM pg_index i "
      "JOIN pg_class c ON c.oid = i.indrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' "
      "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0] "
      "WHERE i.indisprimary");
  int checked = 0;
  for (const auto& row : rows) {
    const std::string table = row[0].as<std::string>();
    if (table == "schema_migrations" || table == "schema_repeatable_migrations" ||
        table == "server_secrets") {
      continue;  // global by nature
    }
    EXPECT_EQ(row[1].as<std::string>(), "merchant_id") << table;
    ++checked;
  }
  EXPECT_GE(checked, 9);
}

}  // namespace
}  // namespace returns::testing
