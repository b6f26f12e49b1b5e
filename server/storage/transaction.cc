#include "storage/transaction.h"

#include <algorithm>
#include <random>
#include <type_traits>

#include <pqxx/except>
#include <pqxx/nontransaction>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "domain/errors.h"

namespace returns::storage {

namespace {

constexpr int kMaxAttempts = 3;

bool IsRetryable(const std::string& sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

absl::Status Unavailable() {
  return ErrorWithReason(absl::StatusCode::kUnavailable, reason::kDatabaseUnavailable,
                         "the database is unavailable; retry with the same request_id");
}

// Maps a PostgreSQL error by SQLSTATE; never exposes the server's message to clients.
absl::Status MapSqlError(absl::string_view tx_name, const std::string& statement,
                         const pqxx::sql_error& e) {
  const std::string& state = e.sqlstate();
  if (state == "57014") {
    return ErrorWithReason(absl::StatusCode::kDeadlineExceeded, reason::kDeadlineExceeded,
                           "the call's deadline passed while the database was working");
  }
  if (state == "23505") {
    return ErrorWithReason(absl::StatusCode::kAlreadyExists, reason::kConstraintViolated,
                           "the resource already exists");
  }
  if (state == "23503" || state == "23514") {
    return PreconditionError(reason::kConstraintViolated, "the change conflicts with related data");
  }
  if (absl::StartsWith(state, "08") || state == "57P01" || state == "57P02" || state == "57P03") {
    return Unavailable();
  }
  if (IsRetryable(state)) {
    return ErrorWithReason(absl::StatusCode::kAborted, reason::kConcurrentUpdate,
                           "a concurrent change got in the way; retry with the same request_id");
  }
  // Only the SQLSTATE: PostgreSQL's message, DETAIL and CONTEXT can quote parameter values.
  log::Error("database error",
             {{"transaction", tx_name}, {"statement", statement}, {"sqlstate", state}});
  return ErrorWithReason(absl::StatusCode::kInternal, reason::kInternal, "internal error");
}

// The session's statement_timeout bounds every statement by the call's deadline. Setting it is a
// round trip, so it is set only when the connection's value does not fit this call: longer than
// the time left, or more than kTimeoutSlack shorter (it would cancel a statement well before the
// caller gives up). Values are floored to whole seconds, so calls with similar deadlines share
// one setting and most calls set nothing. libpqxx 6.4 remembers what set_variable set, so
// get_variable answers without a round trip (the first use of a connection asks the server).
constexpr int64_t kTimeoutSlackMs = 5000;

void FitStatementTimeout(pqxx::connection& conn, absl::Duration remaining,
                         const PoolOptions& options) {
  // Behind a transaction pooler a session setting lands on whichever server connection: the
  // transaction sets its own (SET LOCAL, in Run); single reads outside a transaction fall back
  // on the role's statement_timeout (docs/scaling.md).
  if (options.transaction_pooling) return;
  const int64_t remaining_ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(remaining));
  int64_t current_ms = 0;
  if (absl::SimpleAtoi(conn.get_variable("statement_timeout"), &current_ms) && current_ms > 0 &&
      current_ms <= remaining_ms && current_ms >= remaining_ms - kTimeoutSlackMs) {
    return;
  }
  const int64_t value = remaining_ms >= 2000 ? remaining_ms / 1000 * 1000 : remaining_ms;
  conn.set_variable("statement_timeout", std::to_string(value));
  if (options.recorder != nullptr) (*options.recorder)({"SET", {std::to_string(value)}});
}

// The shared body of RunTransaction and RunSingleRead: `Transaction` is pqxx::work or
// pqxx::nontransaction.
template <typename Transaction>
absl::Status Run(ConnectionPool& pool, absl::string_view name, absl::Time deadline,
                 absl::FunctionRef<absl::Status(Tx&)> body) {
  absl::Status last;
  std::string statement;  // the name of the statement running, for the log of an error
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    absl::Duration remaining = deadline - absl::Now();
    if (remaining <= absl::ZeroDuration()) {
      return ErrorWithReason(absl::StatusCode::kDeadlineExceeded, reason::kDeadlineExceeded,
                             "the call's deadline passed");
    }
    auto conn = pool.Acquire(deadline);
    if (!conn.ok()) return conn.status();
    remaining = deadline - absl::Now();  // waiting for a connection used some of it
    if (remaining <= absl::ZeroDuration()) {
      return ErrorWithReason(absl::StatusCode::kDeadlineExceeded, reason::kDeadlineExceeded,
                             "the call's deadline passed");
    }
    try {
      const PoolOptions& options = pool.options();
      FitStatementTimeout(conn->get(), remaining,
                          options);  // outside the transaction: it is the session's
      constexpr bool kTransaction = std::is_same_v<Transaction, pqxx::work>;
      if (options.recorder != nullptr && kTransaction) (*options.recorder)({"BEGIN", {}});
      Transaction work(conn->get(), std::string(name));
      // Behind a transaction pooler the deadline bounds each statement from inside the
      // transaction (SET LOCAL ends with it, whichever server connection it ran on).
      if (kTransaction && options.transaction_pooling) {
        work.exec(absl::StrCat("SET LOCAL statement_timeout = ",
                               std::max<int64_t>(1, absl::ToInt64Milliseconds(remaining))));
      }
      statement.clear();
      Tx tx(work, deadline, options, &statement);
      absl::Status status = body(tx);
      if (!status.ok()) return status;  // `work` rolls back as it goes out of scope
      work.commit();
      if (options.recorder != nullptr && kTransaction) (*options.recorder)({"COMMIT", {}});
      return absl::OkStatus();
    } catch (const Tx::DeadlinePassed&) {
      // Its session may be gone too (a replica frozen past the idle-in-transaction timeout):
      // never lend it again on trust.
      conn->MarkBroken();
      return ErrorWithReason(absl::StatusCode::kDeadlineExceeded, reason::kDeadlineExceeded,
                             "the call's deadline passed while the database was working");
    } catch (const pqxx::statement_completion_unknown& e) {
      // The connection broke while a statement ran: whether it took effect is unknown.
      conn->MarkBroken();
      log::Error("statement outcome unknown", {{"transaction", std::string(name)}});
      return Unavailable();
    } catch (const pqxx::transaction_rollback& e) {
      // libpqxx 6.4 throws serialization_failure (40001) and deadlock_detected (40P01) as
      // transaction_rollback, which is not a pqxx::sql_error: the server rolled back, so the
      // whole body runs again, up to kMaxAttempts, then ABORTED (safe for the client to retry).
      log::Warn("transaction rolled back by the database; retrying",
                {{"transaction", std::string(name)}, {"attempt", attempt}});
      last = ErrorWithReason(absl::StatusCode::kAborted, reason::kConcurrentUpdate,
                             "a concurrent change got in the way; retry with the same request_id");
      // A short jittered pause before the rerun, so it does not race the transaction that won
      // straight back into the same rows (a deadlock's survivor still finishing its work).
      thread_local std::mt19937 jitter(std::random_device{}());
      const absl::Duration pause =
          absl::Milliseconds(std::uniform_int_distribution<int>(1, 10 * attempt)(jitter));
      if (absl::Now() + pause < deadline) absl::SleepFor(pause);
    } catch (const pqxx::in_doubt_error& e) {
      conn->MarkBroken();
      log::Error("commit outcome unknown",
                 {{"transaction", std::string(name)}, {"error", e.what()}});
      return Unavailable();
    } catch (const pqxx::broken_connection& e) {
      // The server rolled the transaction back when the connection died, so running it again on
      // a fresh connection is safe. Idle connections are most likely dead too (a restart).
      conn->MarkBroken();
      pool.DiscardIdle();
      log::Warn("database connection lost",
                {{"transaction", std::string(name)}, {"error", e.what()}});
      last = Unavailable();
    } catch (const pqxx::sql_error& e) {
      // A session the server ended (connection errors, the idle-in-transaction timeout, an
      // administrator's or a crash's shutdown) must not go back to the pool as if alive.
      const std::string& state = e.sqlstate();
      if (state.rfind("08", 0) == 0 || state == "25P03" || state.rfind("57P0", 0) == 0)
        conn->MarkBroken();
      last = MapSqlError(name, statement, e);
      if (!IsRetryable(e.sqlstate())) return last;
    } catch (const std::exception& e) {
      // e.what() can quote the statement's parameters (customer data): never logged.
      log::Error("transaction failed",
                 {{"transaction", std::string(name)}, {"statement", statement}});
      return ErrorWithReason(absl::StatusCode::kInternal, reason::kInternal, "internal error");
    }
  }
  return last;
}

}  // namespace

absl::Status RunTransaction(ConnectionPool& pool, absl::string_view name, absl::Time deadline,
                            absl::FunctionRef<absl::Status(Tx&)> body) {
  return Run<pqxx::work>(pool, name, deadline, body);
}

absl::Status RunSingleRead(ConnectionPool& pool, absl::string_view name, absl::Time deadline,
                           absl::FunctionRef<absl::Status(Tx&)> body) {
  return Run<pqxx::nontransaction>(pool, name, deadline, body);
}

}  // namespace returns::storage
