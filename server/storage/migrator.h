#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace returns::storage {

// Applies the migrations embedded in this binary (migrations/*.sql) that the database lacks,
// each in its own transaction, under an advisory lock so concurrent starters apply each once.
// Refuses (FAILED_PRECONDITION, with a message for the operator) when an applied migration's
// checksum differs from the embedded file, or the database has a migration this binary does not
// know. Returns how many migrations were applied.
absl::StatusOr<int> ApplyMigrations(const std::string& database_url);

}  // namespace returns::storage
