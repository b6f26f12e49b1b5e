#include "storage/connection_pool.h"

#include <atomic>
#include <map>

#include "common/embedded_sql.h"
#include "common/log.h"
#include "domain/errors.h"

namespace returns::storage {

PooledConnection::~PooledConnection() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_), broken_);
}

ConnectionPool::ConnectionPool(std::string url, int size, PoolOptions options)
    : url_(std::move(url)), size_(size), options_(options) {}

std::string WithConnectionTimeouts(const std::string& url) {
  std::vector<std::string> settings;
  if (url.find("connect_timeout") == std::string::npos) settings.push_back("connect_timeout=3");
  if (url.find("keepalives") == std::string::npos) {
    for (const char* s :
         {"keepalives=1", "keepalives_idle=10", "keepalives_interval=5", "keepalives_count=3"}) {
      settings.push_back(s);
    }
  }
  if (settings.empty()) return url;
  const bool uri = url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0;
  std::string out = url;
  for (size_t i = 0; i < settings.size(); ++i) {
    out += uri ? (i == 0 ? (url.find('?') == std::string::npos ? "?" : "&") : "&") : " ";
    out += settings[i];
  }
  return out;
}

const std::string& ConnectionPool::StatementSql(const std::string& name) {
  static const auto* by_name = [] {
    auto* map = new std::map<std::string, std::string>();
    for (const EmbeddedSql& statement : embedded::kStatements)
      (*map)[statement.name] = statement.sql;
    return map;
  }();
  static const std::string kNone;
  auto it = by_name->find(name);
  return it == by_name->end() ? kNone : it->second;
}

std::unique_ptr<pqxx::connection> ConnectionPool::Connect(const std::string& url,
                                                          const PoolOptions& options) {
  auto conn = std::make_unique<pqxx::connection>(WithConnectionTimeouts(url));
  if (options.transaction_pooling) return conn;  // nothing a pooler would keep for this session
  conn->set_variable("idle_in_transaction_session_timeout", std::to_string(kIdleInTransactionMs));
  for (const EmbeddedSql& statement : embedded::kStatements) {
    conn->prepare(statement.name, statement.sql);
  }
  return conn;
}

absl::StatusOr<PooledConnection> ConnectionPool::Acquire(absl::Time deadline) {
  std::unique_ptr<pqxx::connection> conn;
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < size_;
    };
    ++waiting_;
    const bool got = mu_.AwaitWithDeadline(absl::Condition(&available), deadline);
    --waiting_;
    if (!got) {
      return ErrorWithReason(absl::StatusCode::kDeadlineExceeded, reason::kDeadlineExceeded,
                             "no database connection became free before the deadline");
    }
    ++lent_;
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
      return PooledConnection(this, std::move(conn));
    }
    ++open_;
  }
  // Connect outside the lock: it is a network round trip.
  try {
    conn = Connect(url_, options_);
  } catch (const std::exception& e) {
    absl::MutexLock lock(&mu_);
    --open_;
    --lent_;
    log::Warn("database connect failed", {{"error", e.what()}});
    return ErrorWithReason(absl::StatusCode::kUnavailable, reason::kDatabaseUnavailable,
                           "the database is unavailable; retry with the same request_id");
  }
  return PooledConnection(this, std::move(conn));
}

void ConnectionPool::Release(std::unique_ptr<pqxx::connection> conn, bool broken) {
  absl::MutexLock lock(&mu_);
  --lent_;
  if (broken || !conn->is_open()) {
    --open_;
    return;  // `conn` closes as it goes out of scope
  }
  idle_.push_back(std::move(conn));
}

void ConnectionPool::DiscardIdle() {
  std::vector<std::unique_ptr<pqxx::connection>> dead;
  {
    absl::MutexLock lock(&mu_);
    open_ -= static_cast<int>(idle_.size());
    dead.swap(idle_);
  }
  // `dead` closes outside the lock.
}

int ConnectionPool::in_use() const {
  absl::MutexLock lock(&mu_);
  return lent_;
}

int ConnectionPool::waiting() const {
  absl::MutexLock lock(&mu_);
  return waiting_;
}

}  // namespace returns::storage
