// The transaction runner against real PostgreSQL: deadlines cancel statements, an unreachable
// database is UNAVAILABLE, and the pool recovers by itself.
#include "storage/transaction.h"

#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "absl/time/clock.h"
#include "app/use_cases.h"
#include "app_fixture.h"
#include "domain/errors.h"
#include "sample_orders.h"
#include "storage/order_store.h"

namespace returns::testing {
namespace {

constexpr char kNoMerchant[] = "00000000-0000-0000-0000-000000000000";

class TransactionTest : public AppTest {};

TEST_F(TransactionTest, DeadlineCancelsAStatementStuckOnALock) {
  auto sync = Call("sync");
  v1::Order order;
  ASSERT_TRUE(app::UpsertOrder(app_, sync, SampleOrder("1001"), &order).ok());

  // Another session holds the order lines' locks.
  pqxx::connection other(db_.url());
  pqxx::work holder(other);
  holder.exec("SELECT * FROM order_lines FOR UPDATE");

  v1::CreateReturnRequest request = SampleReturn("1001");
  auto call = Call(request.request_id(), absl::Milliseconds(400));
  v1::Return ret;
  const absl::Time start = absl::Now();
  absl::Status status = app::CreateReturn(app_, call, request, &ret);
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  EXPECT_LT(took, absl::Seconds(3));
  // The server cancelled the statement: nothing of ours is still waiting.
  EXPECT_EQ(QueryScalar(db_.url(),
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock'"),
            "0");
  holder.abort();
  // Nothing was stored, and the same request_id works once the lock is gone.
  auto retry = Call(request.request_id());
  EXPECT_TRUE(app::CreateReturn(app_, retry, request, &ret).ok());
}

TEST(TransactionUnreachableTest, UnreachableDatabaseIsUnavailable) {
  storage::ConnectionPool pool("postgresql://postgres@127.0.0.1:1/none", 2);
  absl::Status status = storage::RunTransaction(pool, "probe", absl::Now() + absl::Seconds(5),
                                                [](storage::Tx&) { return absl::OkStatus(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(status), "DATABASE_UNAVAILABLE");
  EXPECT_EQ(pool.in_use(), 0);
}

TEST_F(TransactionTest, ARestartedDatabaseIsRetriedOnFreshConnections) {
  auto probe = [this] {
    return storage::RunTransaction(pool_, "probe", absl::Now() + absl::Seconds(5),
                                   [](storage::Tx& tx) {
                                     storage::OrderStore(tx).OrderExists(kNoMerchant, "x");
                                     return absl::OkStatus();
                                   });
  };
  // Open several pooled connections, then kill every backend of this database, as a database
  // restart would: the pool's idle connections are all dead now.
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&] { EXPECT_TRUE(probe().ok()); });
  for (auto& t : threads) t.join();
  QueryScalar(ClusterUrl() + "postgres",
              "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" +
                  db_.name() + "'");
  // The next transaction notices, drops the dead connections and succeeds on a fresh one.
  absl::Status status = probe();
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(pool_.in_use(), 0);
}

}  // namespace
}  // namespace returns::testing

namespace returns::testing {
namespace {

// PostgreSQL's message for a bad jsonb value quotes the value (its CONTEXT: "JSON data, line 1:
// ...Hidden Lane 42..."). The log names the transaction, the statement and the SQLSTATE only.
// Validation keeps NUL out of requests; the use case is called directly to reach the database.
TEST_F(TransactionTest, ADatabaseErrorIsLoggedByStatementAndSqlstateWithoutItsData) {
  v1::UpsertOrderRequest request = SampleOrder("1001");
  request.mutable_order()->mutable_shipping_address()->set_line1(
      std::string("Hidden Lane 42\0", 15));
  app::CallContext call = Call(request.request_id());
  v1::Order order;
  ::testing::internal::CaptureStderr();
  absl::Status status = app::UpsertOrder(app_, call, request, &order);
  const std::string logs = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(status.message(), "internal error");
  EXPECT_NE(logs.find("\"sqlstate\":\"22P05\""), std::string::npos) << logs;
  EXPECT_NE(logs.find("\"statement\":\"orders/upsert_order\""), std::string::npos) << logs;
  EXPECT_EQ(logs.find("Hidden Lane"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("line1"), std::string::npos) << logs;
}

}  // namespace
}  // namespace returns::testing

namespace returns::testing {
namespace {

// A replica paused inside a transaction (SIGSTOP, a frozen VM, a debugger) holds its row locks
// only until PostgreSQL ends its idle session, so other replicas' writes to those rows wait
// seconds, not until someone restarts the database (issue: a frozen replica stopped tenants).
TEST(PausedSessionTest, ASessionPausedInsideATransactionLosesItsLocksWithinSeconds) {
  TestDatabase db;
  CreateTestMerchant(db.url());
  auto paused = storage::ConnectionPool::Connect(db.url());
  pqxx::work holder(*paused);
  holder.exec("SELECT * FROM merchants FOR UPDATE");  // and then the process stops

  pqxx::connection other(db.url());
  other.set_variable("statement_timeout", "30000");
  pqxx::work waiter(other);
  const absl::Time start = absl::Now();
  EXPECT_NO_THROW(waiter.exec("SELECT * FROM merchants FOR UPDATE"));
  const absl::Duration waited = absl::Now() - start;
  EXPECT_GE(waited, absl::Milliseconds(storage::ConnectionPool::kIdleInTransactionMs - 500));
  EXPECT_LT(waited, absl::Milliseconds(storage::ConnectionPool::kIdleInTransactionMs + 3000));
  waiter.commit();
  // The paused session learns it was ended when it wakes; its transaction is gone.
  EXPECT_ANY_THROW(holder.exec("SELECT 1"));
}

TEST(PausedSessionTest, TimeoutsAreAddedToBothFormsOfConnectionString) {
  const std::string kAll =
      "connect_timeout=3&keepalives=1&keepalives_idle=10&keepalives_interval=5&keepalives_count=3";
  EXPECT_EQ(storage::WithConnectionTimeouts("postgresql://u@h:5/db"),
            "postgresql://u@h:5/db?" + kAll);
  EXPECT_EQ(storage::WithConnectionTimeouts("postgresql://u@h/db?sslmode=disable"),
            "postgresql://u@h/db?sslmode=disable&" + kAll);
  EXPECT_EQ(storage::WithConnectionTimeouts("host=h dbname=db"),
            "host=h dbname=db connect_timeout=3 keepalives=1 keepalives_idle=10 "
            "keepalives_interval=5 keepalives_count=3");
  EXPECT_EQ(storage::WithConnectionTimeouts("postgresql://h/db?keepalives=0&connect_timeout=9"),
            "postgresql://h/db?keepalives=0&connect_timeout=9");
}

}  // namespace
}  // namespace returns::testing

namespace returns::testing {
namespace {

// A real deadlock (SQLSTATE 40P01): two transactions lock two orders in opposite orders.
// PostgreSQL aborts one; the runner reruns it instead of answering INTERNAL, and both succeed.
TEST_F(TransactionTest, ARealDeadlockIsRetriedAndBothTransactionsSucceed) {
  for (const char* id : {"d1", "d2"}) {
    auto sync = Call(std::string("sync-") + id);
    v1::Order order;
    ASSERT_TRUE(app::UpsertOrder(app_, sync, SampleOrder(id), &order).ok());
  }
  std::atomic<int> holding{0};
  auto run = [&](const std::string& first, const std::string& second, int* attempts) {
    return storage::RunTransaction(
        pool_, "Deadlock", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
          ++*attempts;
          storage::OrderStore(tx).LockOrderForSync(merchant_id_, first);
          if (*attempts == 1) {  // the first time, wait until the other holds its first lock too
            ++holding;
            while (holding.load() < 2) absl::SleepFor(absl::Milliseconds(5));
          }
          storage::OrderStore(tx).LockOrderForSync(merchant_id_, second);
          return absl::OkStatus();
        });
  };
  int attempts_a = 0, attempts_b = 0;
  absl::Status a, b;
  std::thread ta([&] { a = run("d1", "d2", &attempts_a); });
  std::thread tb([&] { b = run("d2", "d1", &attempts_b); });
  ta.join();
  tb.join();
  EXPECT_TRUE(a.ok()) << a;
  EXPECT_TRUE(b.ok()) << b;
  // PostgreSQL aborted one (or, when a rerun raced the survivor to the first row again, one
  // more): every abort was rerun, and each transaction took at most its three tries.
  EXPECT_GE(attempts_a + attempts_b, 3);
  EXPECT_LE(attempts_a, 3);
  EXPECT_LE(attempts_b, 3);
}

}  // namespace
}  // namespace returns::testing
