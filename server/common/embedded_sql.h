#pragma once

#include <string>
#include <vector>

namespace returns {

// One SQL file embedded into the binary at build time (cmake/embed_sql.cmake).
struct EmbeddedSql {
  // The file's path below its root without ".sql", e.g. "returns/insert_return".
  std::string name;
  // The file's text.
  std::string sql;
};

namespace embedded {
// Every named statement under server/storage/sql/, sorted by name.
extern const std::vector<EmbeddedSql> kStatements;
// Every migration under migrations/, sorted by name (and so by version).
extern const std::vector<EmbeddedSql> kMigrations;
// Every repeatable migration (migrations/R__*.sql: views and functions), sorted by name.
extern const std::vector<EmbeddedSql> kRepeatableMigrations;
}  // namespace embedded

}  // namespace returns
