// Ready to distribute by merchant (PRODUCT.md 4.12, docs/scaling.md): what Citus needs to
// distribute every table by merchant_id, colocated. Over the migrated catalog: every table but
// the reference tables has merchant_id; every primary key, unique constraint and unique index
// leads with it; every foreign key leads with it and references a key that does. Over every
// statement the service runs: each join matches merchant_id, so no statement joins across
// merchants.
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/embedded_sql.h"
#include "test_database.h"

namespace returns::testing {
namespace {

// Replicated to every node as Citus reference tables (docs/scaling.md): small, rarely written,
// and read before the merchant is known - the migrations and server secrets have no merchant;
// an API key is found by its key id (the bearer token names no merchant), so api_keys is unique
// on key_id, and merchants is what the keys and every distributed table reference.
const std::set<std::string> kReferenceTables = {"schema_migrations", "schema_repeatable_migrations",
                                                "server_secrets", "merchants", "api_keys"};

std::vector<std::vector<std::string>> Rows(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : tx.exec(sql)) {
    std::vector<std::string> values;
    for (const auto& field : row) values.push_back(field.is_null() ? "" : field.as<std::string>());
    rows.push_back(values);
  }
  return rows;
}

TEST(SchemaDistributionTest, EveryTableAndKeyLeadsWithMerchantId) {
  TestDatabase db;
  int tables = 0;
  for (const auto& row :
       Rows(db.url(),
            "SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
            "AND a.attname = 'merchant_id' AND NOT a.attisdropped) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'")) {
    ++tables;
    if (kReferenceTables.count(row[0])) continue;
    EXPECT_EQ(row[1], "t") << row[0] << " has no merchant_id";
  }
  EXPECT_GT(tables, 25);
  // Primary keys, unique constraints and unique indexes: the first column is merchant_id.
  int keys = 0;
  for (const auto& row :
       Rows(db.url(),
            "SELECT t.relname, i.relname, a.attname "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0] "
            "WHERE n.nspname = 'public' AND (x.indisunique OR x.indisprimary)")) {
    ++keys;
    if (kReferenceTables.count(row[0])) continue;
    EXPECT_EQ(row[2], "merchant_id") << row[0] << "." << row[1] << " leads with " << row[2];
  }
  EXPECT_GT(keys, 25);
  // Foreign keys: from merchant_id first, to a key with merchant_id first.
  int foreign = 0;
  for (const auto& row :
       Rows(db.url(),
            "SELECT c.conrelid::regclass::text, c.conname, a.attname, r.attname "
            "FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1] "
            "WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace")) {
    ++foreign;
    if (kReferenceTables.count(row[0])) continue;
    EXPECT_EQ(row[2], "merchant_id") << row[0] << "." << row[1];
    EXPECT_EQ(row[3], "merchant_id") << row[0] << "." << row[1] << " references " << row[3];
  }
  EXPECT_GT(foreign, 10);
}

// The joins of `raw` whose condition (up to the next clause) does not name merchant_id; LATERAL
// subqueries filter by it inside. `joins` counts the joins looked at.
std::vector<std::string> JoinsAcrossMerchants(const std::string& raw, int* joins) {
  static const std::regex join(R"(\bJOIN\b)", std::regex::icase);
  static const std::regex clause_end(
      R"(\b(JOIN|WHERE|GROUP\s+BY|ORDER\s+BY|LIMIT|UNION|RETURNING|FOR\s+(UPDATE|SHARE|NO\s+KEY))\b)",
      std::regex::icase);
  const std::string sql =
      std::regex_replace(raw, std::regex("--[^\n]*"), "");  // comments may say JOIN
  std::vector<std::string> bad;
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), join); it != std::sregex_iterator();
       ++it) {
    std::string rest = sql.substr(it->position() + it->length());
    std::smatch end;
    if (std::regex_search(rest, end, clause_end)) rest = rest.substr(0, end.position());
    if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(absl::AsciiStrToUpper(rest)), "LATERAL"))
      continue;
    ++*joins;
    if (!absl::StrContains(rest, "merchant_id")) bad.push_back(rest.substr(0, 200));
  }
  return bad;
}

TEST(SchemaDistributionTest, TheJoinCheckFindsAJoinWithoutTheMerchant) {
  int joins = 0;
  EXPECT_EQ(
      JoinsAcrossMerchants("SELECT 1 FROM a JOIN b ON b.x = a.x WHERE a.merchant_id = $1", &joins)
          .size(),
      1u);
  EXPECT_TRUE(JoinsAcrossMerchants(
                  "SELECT 1 FROM a JOIN b ON b.merchant_id = a.merchant_id AND b.x = a.x", &joins)
                  .empty());
  EXPECT_TRUE(
      JoinsAcrossMerchants("SELECT 1 FROM a JOIN b USING (merchant_id, x)", &joins).empty());
  EXPECT_EQ(joins, 3);
}

// Over every statement the service runs, and the functions and views they call.
TEST(SchemaDistributionTest, NoStatementJoinsAcrossMerchants) {
  int joins = 0;
  for (const EmbeddedSql& statement : embedded::kStatements) {
    for (const std::string& bad : JoinsAcrossMerchants(statement.sql, &joins)) {
      ADD_FAILURE() << statement.name << ": a join without merchant_id:" << bad;
    }
  }
  std::vector<EmbeddedSql> migrations = embedded::kMigrations;
  migrations.insert(migrations.end(), embedded::kRepeatableMigrations.begin(),
                    embedded::kRepeatableMigrations.end());
  for (const EmbeddedSql& migration : migrations) {
    if (!absl::StrContains(migration.sql, "FUNCTION") && !absl::StrContains(migration.sql, "VIEW"))
      continue;
    for (const std::string& bad : JoinsAcrossMerchants(migration.sql, &joins)) {
      ADD_FAILURE() << "migration " << migration.name << ": a join without merchant_id:" << bad;
    }
  }
  EXPECT_GT(joins, 30);
}

}  // namespace
}  // namespace returns::testing
