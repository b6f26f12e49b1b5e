#pragma once

#include <memory>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/statement_recorder.h"

namespace returns::storage {

class ConnectionPool;

// How the pool's connections are used; given once, when the pool is made.
struct PoolOptions {
  // For a database reached through a transaction-pooling PgBouncer (docs/scaling.md), which does
  // not keep a session's prepared statements or settings from one transaction to the next:
  // statements go unprepared (their SQL with parameters, Tx::Exec), and no session setting is
  // made (statement and idle-in-transaction timeouts come from the role's settings instead).
  bool transaction_pooling = false;
  // For the benchmark's ceilings only (tests/load/statement_script.cc): each statement, BEGIN,
  // COMMIT and SET run through the pool is reported. Null in the service.
  StatementRecorder* recorder = nullptr;
};

// `url` with a connect timeout of 3 s and TCP keepalives (unless it sets them itself), so a
// connection attempt to a host that does not answer fails fast (calls answer UNAVAILABLE at
// once, not at their deadline), and an open connection to a host that vanished fails in about
// 25 s instead of the kernel's two hours. Works for both forms libpq takes: a URI
// ("postgresql://...") and "key=value ..." pairs.
std::string WithConnectionTimeouts(const std::string& url);

// A connection borrowed from the pool; goes back when destroyed (or is closed if broken).
class PooledConnection {
 public:
  PooledConnection(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  PooledConnection(PooledConnection&& other) noexcept = default;
  PooledConnection& operator=(PooledConnection&&) = delete;
  ~PooledConnection();

  pqxx::connection& get() { return *conn_; }
  // The connection failed mid-use: close it instead of reusing it.
  void MarkBroken() { broken_ = true; }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<pqxx::connection> conn_;
  bool broken_ = false;
};

// A fixed number of PostgreSQL connections shared by all calls. Connections open lazily, prepare
// every embedded statement once, and are replaced after they break; a database outage never
// needs a restart. Kept small on purpose: PostgreSQL on few cores is fastest with few connections.
class ConnectionPool {
 public:
  // How long PostgreSQL lets a session of this service sit idle inside a transaction before it
  // ends the session, rolling back and releasing its locks. The service never waits on anything
  // slow inside a transaction, so only a paused or stuck process gets there: this bounds how long
  // it can hold up other replicas' writes to the rows it locked.
  static constexpr int kIdleInTransactionMs = 5000;

  ConnectionPool(std::string url, int size, PoolOptions options = {});

  const PoolOptions& options() const { return options_; }
  // The SQL of the embedded statement `name` (storage/sql/<name>.sql).
  static const std::string& StatementSql(const std::string& name);

  // Borrows a connection, waiting until `deadline` for one to be free.
  // UNAVAILABLE when the database cannot be reached, DEADLINE_EXCEEDED when none got free.
  absl::StatusOr<PooledConnection> Acquire(absl::Time deadline);

  // Closes every idle connection; called when one turned out dead, as the others likely are.
  void DiscardIdle();

  int size() const { return size_; }
  // How many connections are lent out right now, and how many calls wait for one (for metrics
  // and tests).
  int in_use() const;
  int waiting() const;

  // Opens a connection with every statement prepared; throws pqxx::broken_connection. The
  // session ends itself if it sits idle inside a transaction for kIdleInTransaction (a paused
  // replica must not hold row locks for long), and TCP keepalives notice a peer that vanished.
  // With transaction pooling nothing is prepared or set: a pooler would not keep it.
  static std::unique_ptr<pqxx::connection> Connect(const std::string& url,
                                                   const PoolOptions& options = {});

 private:
  friend class PooledConnection;
  void Release(std::unique_ptr<pqxx::connection> conn, bool broken);

  const std::string url_;
  const int size_;
  const PoolOptions options_;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // connections in existence, idle or lent out
  int lent_ ABSL_GUARDED_BY(mu_) = 0;
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace returns::storage
