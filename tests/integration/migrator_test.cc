#include "storage/migrator.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
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

TEST(MigratorTest, RefusesADatabaseMigratedByANewerBinary) {
  TestDatabase db;
  QueryScalar(db.url(),
              "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'V9999__future', 'x')");
  auto applied = storage::ApplyMigrations(db.url());
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.status().message().find("V9999__future"), std::string::npos);
  EXPECT_NE(applied.status().message().find("does not know"), std::string::npos);
}

TEST(MigratorTest, ConcurrentStartersApplyEachMigrationOnce) {
  // An empty database, not the migrated template.
  const std::string name = "migrate_race_" + std::to_string(::getpid()) + "_" +
                           std::to_string(std::rand() % 1000000);
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
      if (applied.ok()) total += *applied; else ++failures;
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
    if (table == "schema_migrations" || table == "server_secrets") continue;  // global by nature
    EXPECT_EQ(row[1].as<std::string>(), "merchant_id") << table;
    ++checked;
  }
  EXPECT_GE(checked, 9);
}

}  // namespace
}  // namespace returns::testing
