#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pqxx/strconv>

#include <pqxx/result>
#include <pqxx/transaction>

#include "absl/strings/string_view.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "storage/connection_pool.h"
#include "storage/statement.h"
#include "storage/statement_recorder.h"
#include "storage/statements.h"

namespace returns::storage {

template <typename T>
std::optional<std::string> ParamText(const T& value) {
  return pqxx::to_string(value);
}
template <typename T>
std::optional<std::string> ParamText(const std::optional<T>& value) {
  return value.has_value() ? ParamText(*value) : std::nullopt;
}

// One open database transaction. Statements are the constants generated from the files below
// server/storage/sql/ (sql::kReturnsInsertReturn for returns/insert_return.sql) and run prepared
// (or, behind a transaction pooler, as their text with parameters).
class Tx {
 public:
  // Thrown by Exec once the deadline has passed; RunTransaction answers DEADLINE_EXCEEDED.
  struct DeadlinePassed {};

  // `current_statement`, when given, is set to the name of each statement as it runs, so that
  // an error can be logged by the statement's name (never by its text or parameters).
  Tx(pqxx::transaction_base& work, absl::Time deadline, const PoolOptions& options,
     std::string* current_statement = nullptr)
      : work_(work),
        deadline_(deadline),
        options_(options),
        current_statement_(current_statement) {}

  // Each statement is also bounded by statement_timeout; this check stops a transaction of many
  // statements from running past the deadline one statement at a time.
  template <typename... Args>
  pqxx::result Exec(Statement statement, Args&&... args) {
    if (absl::Now() >= deadline_) throw DeadlinePassed{};
    if (current_statement_ != nullptr) current_statement_->assign(statement.name());
    if (options_.recorder != nullptr) {
      (*options_.recorder)(RecordedStatement{statement.name(), {ParamText(args)...}});
    }
    if (options_.transaction_pooling) {
      return work_.exec_params(ConnectionPool::StatementSql(statement.name()),
                               std::forward<Args>(args)...);
    }
    return work_.exec_prepared(statement.name(), std::forward<Args>(args)...);
  }

 private:
  pqxx::transaction_base& work_;
  const absl::Time deadline_;
  const PoolOptions& options_;
  std::string* current_statement_;
};

// Runs `body` in one READ COMMITTED transaction named `name`, committing when it returns OK and
// rolling back otherwise. Every statement is cancelled by the server once `deadline` passes
// (statement_timeout), so no work outlives the caller's deadline. Serialization failures and
// deadlocks rerun `body` (at most 3 tries) before surfacing as ABORTED; so does a connection that
// broke before the commit (say, the database restarted), on a fresh connection. libpqxx exceptions
// stop here and come back mapped by SQLSTATE class (docs/errors.md):
//   connection failures and a commit whose outcome is unknown -> UNAVAILABLE
//   query_canceled (the deadline)                              -> DEADLINE_EXCEEDED
//   unique violation                                           -> ALREADY_EXISTS
//   foreign key / check violation                              -> FAILED_PRECONDITION
//   anything else                                              -> INTERNAL (details logged once)
absl::Status RunTransaction(ConnectionPool& pool, absl::string_view name, absl::Time deadline,
                            absl::FunctionRef<absl::Status(Tx&)> body);

// Like RunTransaction, for a body that runs one read-only statement, which needs no BEGIN and
// COMMIT: two round trips (the deadline's statement_timeout, then the statement) instead of four.
// Used on every call's hot path (authentication).
absl::Status RunSingleRead(ConnectionPool& pool, absl::string_view name, absl::Time deadline,
                           absl::FunctionRef<absl::Status(Tx&)> body);

}  // namespace returns::storage
