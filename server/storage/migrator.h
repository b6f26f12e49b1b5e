#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/embedded_sql.h"

namespace returns {
namespace storage {

// What one run of the migrator did.
struct MigrationReport {
  // Versioned migrations (V<number>__<name>) applied by this run.
  int versioned_applied = 0;
  // Repeatable migrations (R__<name>) applied by this run, in the order they ran.
  std::vector<std::string> repeatables_applied;
  // Repeatable migrations whose text differs from the one the database last applied but that
  // this run left alone: the database holds a newer release's (migrations/README.md).
  std::vector<std::string> repeatables_kept;
};

// Applies the given migrations to the database at `database_url` under one advisory lock, so
// concurrent starters apply each once:
//  - first each versioned file (name V<number>__<name>) the database lacks, in version order, each
//    in its own transaction, recorded in schema_migrations. Refuses (FAILED_PRECONDITION, with a
//    message for the operator) when an applied file's checksum differs from the given one, or the
//    database has a versioned migration older than the newest given one that is not given (another
//    line of releases). A database with versioned migrations newer than every given one (a newer
//    release migrated it) gets nothing applied, versioned or repeatable, and is fine.
//  - then each repeatable file (name R__<name>) whose checksum differs from the one the database
//    last applied under that name, in name order, each in its own transaction, recorded in
//    schema_repeatable_migrations; an unchanged one does not run again. A file whose text the
//    database applied before and then replaced, by a release at least as new as this one (judged
//    by the newest versioned migration each knew), is left alone: the database holds a newer
//    release's text and the older one must not overwrite it (migrations/README.md).
// `versioned` and `repeatable` may come in any order. For ApplyMigrations and for tests.
absl::StatusOr<MigrationReport> ApplyMigrationFiles(const std::string& database_url,
                                                    const std::vector<EmbeddedSql>& versioned,
                                                    const std::vector<EmbeddedSql>& repeatable);

// ApplyMigrationFiles with the migrations embedded in this binary (migrations/V*.sql and
// migrations/R__*.sql). Returns how many versioned migrations were applied (the repeatable ones
// applied are logged, one line each).
absl::StatusOr<int> ApplyMigrations(const std::string& database_url);

}  // namespace storage
}  // namespace returns
