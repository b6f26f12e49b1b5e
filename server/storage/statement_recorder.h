#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace returns::storage {

// For the benchmark's ceilings only (tests/load/statement_script.cc, PoolOptions::recorder): each
// statement a transaction runs, by name with its parameters as text (nullopt for NULL), and
// "BEGIN", "COMMIT" and "SET" (statement_timeout, its value the parameter) when they run.
struct RecordedStatement {
  std::string name;
  std::vector<std::optional<std::string>> params;
};
using StatementRecorder = std::function<void(const RecordedStatement&)>;

}  // namespace returns::storage
