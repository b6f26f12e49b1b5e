// Repeatable migrations (migrations/README.md, "Repeatable migrations"): R__<name>.sql files,
// applied after the versioned ones whenever their checksum differs from the one the database last
// applied, each in its own transaction, under the migrator's advisory lock; never over a newer
// release's text. Most tests add a probe file, R__migrator_probe (a view of constants), to the
// embedded migrations, so that what ran is visible in the view.
#include <atomic>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/embedded_sql.h"
#include "storage/migrator.h"
#include "test_database.h"

namespace returns::testing {
namespace {

// The last versioned migration written before repeatable files existed: from the next one on, a
// view or function a repeatable file defines is defined there alone.
constexpr int kLastVersionBeforeRepeatables = 30;

// An empty database (not the migrated template), dropped at the end.
class EmptyDatabase {
 public:
  EmptyDatabase() : name_("r_" + absl::StrReplaceAll(crypto::RandomUuid(), {{"-", ""}})) {
    pqxx::connection admin(ClusterUrl() + "postgres");
    pqxx::nontransaction(admin).exec("CREATE DATABASE " + name_ + " TEMPLATE template0");
    url_ = ClusterUrl() + name_;
  }
  ~EmptyDatabase() {
    try {
      pqxx::connection admin(ClusterUrl() + "postgres");
      pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
      // The cluster may already be gone; it is thrown away anyway.
    }
  }
  EmptyDatabase(const EmptyDatabase&) = delete;
  EmptyDatabase& operator=(const EmptyDatabase&) = delete;

  const std::string& url() const { return url_; }

 private:
  std::string name_;
  std::string url_;
};

int VersionOf(const EmbeddedSql& file) {
  return std::stoi(file.name.substr(1, file.name.find("__") - 1));
}

// The probe: a view of the given columns, e.g. "1 AS a".
EmbeddedSql Probe(const std::string& columns) {
  return {"R__migrator_probe",
          "CREATE OR REPLACE VIEW migrator_probe AS SELECT " + columns + ";\n"};
}

std::vector<EmbeddedSql> With(std::vector<EmbeddedSql> files, const EmbeddedSql& more) {
  files.push_back(more);
  return files;
}

// The repeatable files of this binary, and the probe.
std::vector<EmbeddedSql> RepeatablesWith(const EmbeddedSql& probe) {
  return With(embedded::kRepeatableMigrations, probe);
}

// This binary's versioned files, and one newer (a later release's, as far as the database knows).
std::vector<EmbeddedSql> VersionedWithANewerOne() {
  return With(embedded::kMigrations, {"V9000__a_later_release", "SELECT 1;\n"});
}

storage::MigrationReport Apply(const std::string& url, const std::vector<EmbeddedSql>& versioned,
                               const std::vector<EmbeddedSql>& repeatable) {
  auto report = storage::ApplyMigrationFiles(url, versioned, repeatable);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : storage::MigrationReport{};
}

std::string Columns(const std::string& url, const std::string& view) {
  return QueryScalar(url,
                     "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute "
                     "WHERE attrelid = '" +
                         view + "'::regclass AND attnum > 0 AND NOT attisdropped");
}

std::string Definition(const std::string& url, const std::string& view) {
  return QueryScalar(url, "SELECT pg_get_viewdef('" + view + "'::regclass)");
}

// The checksums the database applied for `name`, oldest first, comma-separated.
std::string History(const std::string& url, const std::string& name) {
  return QueryScalar(url,
                     "SELECT coalesce(string_agg(checksum, ',' ORDER BY id), '') "
                     "FROM schema_repeatable_migrations WHERE name = '" +
                         name + "'");
}

using Names = std::vector<std::string>;

Names AllRepeatableNames() {
  Names names;
  for (const EmbeddedSql& file : embedded::kRepeatableMigrations) names.push_back(file.name);
  return names;
}

// The views the repeatable files took over from the versioned ones.
const std::vector<std::string> kViews = {"order_resources", "return_resources"};

// On an empty database: the versioned migrations make the views, then the repeatable files
// define them again, keeping every column the versioned ones left, in their order, and only
// appending new ones (the additive rule: CREATE OR REPLACE VIEW on a database the previous
// release migrated must succeed, and its readers still find their columns), and are recorded
// with their checksums. The whole path on a fresh database ends with the same definitions.
TEST(RepeatableMigrationsTest, AFreshDatabaseGetsTheViewsWithTheDefinitionTheVersionedOnesLeft) {
  ASSERT_FALSE(embedded::kRepeatableMigrations.empty());
  EmptyDatabase db;
  storage::MigrationReport report = Apply(db.url(), embedded::kMigrations, {});
  EXPECT_EQ(report.versioned_applied, static_cast<int>(embedded::kMigrations.size()));
  std::vector<std::string> columns, definitions;
  for (const std::string& view : kViews) {
    columns.push_back(Columns(db.url(), view));
    definitions.push_back(Definition(db.url(), view));
  }

  report = Apply(db.url(), embedded::kMigrations, embedded::kRepeatableMigrations);
  EXPECT_EQ(report.versioned_applied, 0);
  EXPECT_EQ(report.repeatables_applied, AllRepeatableNames());  // in name order
  EXPECT_TRUE(report.repeatables_kept.empty());
  for (size_t i = 0; i < kViews.size(); ++i) {
    const std::string now = Columns(db.url(), kViews[i]);
    EXPECT_TRUE(now == columns[i] || absl::StartsWith(now, columns[i] + ","))
        << kViews[i] << ": the repeatable file must keep " << columns[i] << " first, has " << now;
    definitions[i] = Definition(db.url(), kViews[i]);
  }
  const int newest = VersionOf(embedded::kMigrations.back());
  for (const EmbeddedSql& file : embedded::kRepeatableMigrations) {
    EXPECT_EQ(History(db.url(), file.name), crypto::Sha256Hex(file.sql)) << file.name;
    EXPECT_EQ(QueryScalar(db.url(),
                          "SELECT newest_version FROM schema_repeatable_migrations WHERE name = '" +
                              file.name + "'"),
              absl::StrCat(newest));
  }

  // The whole path at once, as returnsd runs it, on another empty database.
  EmptyDatabase fresh;
  auto applied = storage::ApplyMigrations(fresh.url());
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, static_cast<int>(embedded::kMigrations.size()));  // versioned ones only
  for (size_t i = 0; i < kViews.size(); ++i) {
    EXPECT_EQ(Definition(fresh.url(), kViews[i]), definitions[i]) << kViews[i];
  }
  EXPECT_EQ(QueryScalar(fresh.url(), "SELECT count(*) FROM schema_repeatable_migrations"),
            absl::StrCat(embedded::kRepeatableMigrations.size()));
}

// The template was migrated by returnsd (tests/test_services.sh): each repeatable file ran once,
// and running the migrator again runs none of them.
TEST(RepeatableMigrationsTest, AnUnchangedRepeatableDoesNotRunAgain) {
  TestDatabase db;
  const std::string rows = absl::StrCat(embedded::kRepeatableMigrations.size());
  EXPECT_EQ(QueryScalar(db.url(), "SELECT count(*) FROM schema_repeatable_migrations"), rows);
  for (int i = 0; i < 2; ++i) {
    storage::MigrationReport report =
        Apply(db.url(), embedded::kMigrations, embedded::kRepeatableMigrations);
    EXPECT_EQ(report.versioned_applied, 0);
    EXPECT_TRUE(report.repeatables_applied.empty());
    EXPECT_TRUE(report.repeatables_kept.empty());
  }
  EXPECT_EQ(QueryScalar(db.url(), "SELECT count(*) FROM schema_repeatable_migrations"), rows);

  // Not run is not run: the probe's view, changed behind the migrator's back, stays as it is.
  EXPECT_EQ(
      Apply(db.url(), embedded::kMigrations, RepeatablesWith(Probe("1 AS a"))).repeatables_applied,
      Names{"R__migrator_probe"});
  QueryScalar(db.url(), "CREATE OR REPLACE VIEW migrator_probe AS SELECT 5 AS a");
  EXPECT_TRUE(Apply(db.url(), embedded::kMigrations, RepeatablesWith(Probe("1 AS a")))
                  .repeatables_applied.empty());
  EXPECT_EQ(QueryScalar(db.url(), "SELECT a FROM migrator_probe"), "5");
}

TEST(RepeatableMigrationsTest, AChangedRepeatableRunsAgain) {
  TestDatabase db;
  Apply(db.url(), embedded::kMigrations, RepeatablesWith(Probe("1 AS a")));
  storage::MigrationReport report =
      Apply(db.url(), embedded::kMigrations, RepeatablesWith(Probe("1 AS a, 2 AS b")));
  EXPECT_EQ(report.repeatables_applied, Names{"R__migrator_probe"});
  EXPECT_EQ(Columns(db.url(), "migrator_probe"), "a,b");
  EXPECT_EQ(History(db.url(), "R__migrator_probe"),
            crypto::Sha256Hex(Probe("1 AS a").sql) + "," +
                crypto::Sha256Hex(Probe("1 AS a, 2 AS b").sql));

  // One of the real files, changed only in a comment: it runs again (and changes nothing).
  std::vector<EmbeddedSql> changed = embedded::kRepeatableMigrations;
  changed.back().sql += "-- changed\n";
  const std::string definition = Definition(db.url(), "return_resources");
  report = Apply(db.url(), embedded::kMigrations, changed);
  EXPECT_EQ(report.repeatables_applied, Names{changed.back().name});
  EXPECT_EQ(Definition(db.url(), "return_resources"), definition);
  EXPECT_EQ(
      QueryScalar(db.url(), "SELECT count(*) FROM schema_repeatable_migrations WHERE name = '" +
                                changed.back().name + "'"),
      "2");
}

// After every versioned migration, including the ones applied in the same run; in name order
// (R__b may use what R__a defines); each in its own transaction: a failing file is not recorded,
// the files before it stay applied, and the error names it.
TEST(RepeatableMigrationsTest, RunAfterTheVersionedOnesInNameOrderEachInItsOwnTransaction) {
  TestDatabase db;
  const std::vector<EmbeddedSql> versioned =
      With(embedded::kMigrations, {"V9000__probe_function",
                                   "CREATE FUNCTION migrator_probe_value() RETURNS int "
                                   "LANGUAGE sql IMMUTABLE RETURN 7;\n"});
  const std::vector<EmbeddedSql> repeatable = {
      {"R__b_probe",
       "CREATE OR REPLACE VIEW migrator_probe_b AS SELECT a + 1 AS b FROM migrator_probe_a;\n"},
      {"R__c_broken", "CREATE OR REPLACE VIEW migrator_probe_c AS SELECT * FROM no_such_table;\n"},
      {"R__a_probe",
       "CREATE OR REPLACE VIEW migrator_probe_a AS SELECT migrator_probe_value() AS a;\n"},
  };
  auto report = storage::ApplyMigrationFiles(db.url(), versioned, repeatable);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("R__c_broken"), std::string::npos) << report.status();
  EXPECT_EQ(QueryScalar(db.url(), "SELECT b FROM migrator_probe_b"), "8");
  EXPECT_EQ(
      QueryScalar(db.url(),
                  "SELECT string_agg(name, ',' ORDER BY id) FROM schema_repeatable_migrations "
                  "WHERE name IN ('R__a_probe', 'R__b_probe', 'R__c_broken')"),
      "R__a_probe,R__b_probe");
  EXPECT_EQ(QueryScalar(db.url(), "SELECT count(*) FROM schema_migrations WHERE version = 9000"),
            "1");

  // Fixed, it runs at the next start; the others do not run again.
  std::vector<EmbeddedSql> fixed = repeatable;
  fixed[1].sql = "CREATE OR REPLACE VIEW migrator_probe_c AS SELECT 3 AS c;\n";
  EXPECT_EQ(Apply(db.url(), versioned, fixed).repeatables_applied, Names{"R__c_broken"});
}

// The rule for older releases (migrations/README.md): a release started on a database that a newer
// release migrated (it has versioned migrations this one does not know) applies nothing,
// repeatable files included: its older text must not replace the newer release's view.
TEST(RepeatableMigrationsTest, ADatabaseAheadOfThisReleaseGetsNoRepeatable) {
  TestDatabase db;
  Apply(db.url(), VersionedWithANewerOne(),
        RepeatablesWith(Probe("1 AS a, 2 AS b")));  // the newer release
  storage::MigrationReport report =
      Apply(db.url(), embedded::kMigrations, RepeatablesWith(Probe("1 AS a")));
  EXPECT_EQ(report.versioned_applied, 0);
  EXPECT_TRUE(report.repeatables_applied.empty());
  EXPECT_EQ(report.repeatables_kept, Names{"R__migrator_probe"});
  EXPECT_EQ(Columns(db.url(), "migrator_probe"), "a,b");
  // So with a repeatable file the newer release does not have (or renamed): it waits.
  report = Apply(db.url(), embedded::kMigrations,
                 With(RepeatablesWith(Probe("1 AS a")),
                      {"R__migrator_probe_old", "CREATE OR REPLACE VIEW x AS SELECT 1;"}));
  EXPECT_TRUE(report.repeatables_applied.empty());
  EXPECT_EQ(report.repeatables_kept, (Names{"R__migrator_probe", "R__migrator_probe_old"}));
  EXPECT_EQ(QueryScalar(db.url(), "SELECT to_regclass('x') IS NULL"), "t");
}

// A newer release that changed only a repeatable file (no new versioned migration): the older
// release, restarting on its database, finds its own text among the ones the database replaced
// and keeps the newer one.
TEST(RepeatableMigrationsTest, AnOlderReleaseKeepsANewerReleasesTextAtTheSameVersion) {
  TestDatabase db;
  const EmbeddedSql older = Probe("1 AS a");
  const EmbeddedSql newer = Probe("1 AS a, 2 AS b");
  EXPECT_EQ(
      Apply(db.url(), embedded::kMigrations, RepeatablesWith(older)).repeatables_applied.size(),
      1u);
  EXPECT_EQ(
      Apply(db.url(), embedded::kMigrations, RepeatablesWith(newer)).repeatables_applied.size(),
      1u);

  storage::MigrationReport report = Apply(db.url(), embedded::kMigrations, RepeatablesWith(older));
  EXPECT_TRUE(report.repeatables_applied.empty());
  EXPECT_EQ(report.repeatables_kept, Names{"R__migrator_probe"});
  EXPECT_EQ(Columns(db.url(), "migrator_probe"), "a,b");
  // The newer release, restarting: nothing to do.
  report = Apply(db.url(), embedded::kMigrations, RepeatablesWith(newer));
  EXPECT_TRUE(report.repeatables_applied.empty());
  EXPECT_TRUE(report.repeatables_kept.empty());
  EXPECT_EQ(History(db.url(), "R__migrator_probe"),
            crypto::Sha256Hex(older.sql) + "," + crypto::Sha256Hex(newer.sql));

  // A text a binary that knew more versioned migrations applied is newer, whatever its history.
  QueryScalar(db.url(),
              "INSERT INTO schema_repeatable_migrations (name, checksum, newest_version) "
              "VALUES ('R__migrator_probe', 'from-a-later-binary', 9999)");
  EXPECT_EQ(Apply(db.url(), embedded::kMigrations, RepeatablesWith(newer)).repeatables_kept,
            Names{"R__migrator_probe"});
}

// Going back to an earlier text is for a later release: one with a newer versioned migration
// than the text's, or one whose file differs from every earlier text (a comment suffices).
TEST(RepeatableMigrationsTest, ALaterReleaseMayGoBackToAnEarlierText) {
  TestDatabase db;
  Apply(db.url(), embedded::kMigrations, RepeatablesWith(Probe("1 AS a")));
  Apply(db.url(), embedded::kMigrations, RepeatablesWith(Probe("2 AS a")));
  EXPECT_EQ(QueryScalar(db.url(), "SELECT a FROM migrator_probe"), "2");

  // At the same versioned migrations, the earlier text changed in a comment.
  EmbeddedSql reverted = Probe("1 AS a");
  reverted.sql += "-- back to 1 (issue 99)\n";
  EXPECT_EQ(Apply(db.url(), embedded::kMigrations, RepeatablesWith(reverted)).repeatables_applied,
            Names{"R__migrator_probe"});
  EXPECT_EQ(QueryScalar(db.url(), "SELECT a FROM migrator_probe"), "1");

  // With a newer versioned migration, the earlier text itself.
  Apply(db.url(), embedded::kMigrations, RepeatablesWith(Probe("3 AS a")));
  EXPECT_EQ(Apply(db.url(), VersionedWithANewerOne(), RepeatablesWith(Probe("2 AS a")))
                .repeatables_applied,
            Names{"R__migrator_probe"});
  EXPECT_EQ(QueryScalar(db.url(), "SELECT a FROM migrator_probe"), "2");
}

// Replicas that start together with a changed repeatable file: it runs once (the advisory lock).
TEST(RepeatableMigrationsTest, ConcurrentStartersApplyAChangedRepeatableOnce) {
  TestDatabase db;
  const std::vector<EmbeddedSql> repeatable = RepeatablesWith(Probe("1 AS a"));
  std::atomic<int> applied{0}, failures{0};
  std::vector<std::thread> starters;
  for (int i = 0; i < 4; ++i) {
    starters.emplace_back([&] {
      auto report = storage::ApplyMigrationFiles(db.url(), embedded::kMigrations, repeatable);
      if (report.ok())
        applied += static_cast<int>(report->repeatables_applied.size());
      else
        ++failures;
    });
  }
  for (auto& t : starters) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(applied.load(), 1);
  EXPECT_EQ(History(db.url(), "R__migrator_probe"), crypto::Sha256Hex(Probe("1 AS a").sql));
}

// What a repeatable file may hold: CREATE OR REPLACE of views and functions (and comments on
// them); nothing that drops, renames, alters or truncates, and no CREATE without OR REPLACE. The
// additive rule holds for it as for a versioned file: PostgreSQL's CREATE OR REPLACE VIEW itself
// refuses to drop, rename or retype a column, and appends new ones at the end. And what a
// repeatable file defines is defined there alone: no versioned migration after the move defines it
// again (one may drop it, in a contract step, for the repeatable file to create it again).
TEST(RepeatableMigrationsTest, RepeatableFilesOnlyCreateOrReplaceWhatNoLaterVersionedFileDefines) {
  const std::regex forbidden(R"(\b(DROP|RENAME|ALTER|TRUNCATE)\b|\bCREATE\s+(?!OR\s+REPLACE\b))",
                             std::regex::icase);
  const std::regex defines(
      R"(\bCREATE\s+OR\s+REPLACE\s+(VIEW|FUNCTION)\s+([A-Za-z_][A-Za-z0-9_.]*))",
      std::regex::icase);
  std::set<std::string> objects;
  for (const EmbeddedSql& file : embedded::kRepeatableMigrations) {
    std::string code;  // without comments
    for (absl::string_view line : absl::StrSplit(file.sql, '\n')) {
      code += std::string(line.substr(0, line.find("--"))) + "\n";
    }
    std::smatch match;
    EXPECT_FALSE(std::regex_search(code, match, forbidden))
        << file.name << " holds \"" << match.str() << "\": see the comment on this test";
    int defined = 0;
    for (auto it = std::sregex_iterator(code.begin(), code.end(), defines);
         it != std::sregex_iterator(); ++it) {
      objects.insert((*it)[2].str());
      ++defined;
    }
    EXPECT_GT(defined, 0) << file.name << " defines no view or function";
  }
  EXPECT_TRUE(objects.count("return_resources") && objects.count("order_resources"));
  for (const EmbeddedSql& file : embedded::kMigrations) {
    if (VersionOf(file) <= kLastVersionBeforeRepeatables) continue;
    for (const std::string& object : objects) {
      const std::regex redefines(
          R"(\bCREATE\s+(OR\s+REPLACE\s+)?(VIEW|FUNCTION)\s+)" + object + R"(\b)",
          std::regex::icase);
      EXPECT_FALSE(std::regex_search(file.sql, redefines))
          << file.name << " defines " << object
          << ", which a repeatable file defines: change that file instead";
    }
  }
  // The rules themselves, on examples.
  for (const char* bad : {"DROP VIEW v;", "CREATE VIEW v AS SELECT 1;", "CREATE TABLE t (c int);",
                          "ALTER VIEW v RENAME TO w;"}) {
    EXPECT_TRUE(std::regex_search(std::string(bad), forbidden)) << bad;
  }
  for (const char* good : {"CREATE OR REPLACE VIEW v AS SELECT 1;",
                           "CREATE OR REPLACE FUNCTION f() RETURNS int "
                           "LANGUAGE sql RETURN 1;"}) {
    EXPECT_FALSE(std::regex_search(std::string(good), forbidden)) << good;
  }
}

}  // namespace
}  // namespace returns::testing
