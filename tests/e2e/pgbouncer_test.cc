// returnsd behind Debian's PgBouncer in transaction pooling mode (docs/scaling.md): statements
// go unprepared, LISTEN and the feed sequencer stay on the direct URL. Many concurrent calls,
// idempotent retries and a live stream all work, and the transactions did go through the pooler.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "e2e_fixture.h"
#include "sample_orders.h"

namespace returns::testing {
namespace {

std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[512];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) out += buffer;
  pclose(pipe);
  return std::string(absl::StripTrailingAsciiWhitespace(out));
}

class PgBouncerTest : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    dir_ = absl::StrCat(std::getenv("RETURNS_TEST_DIR") ? std::getenv("RETURNS_TEST_DIR") : "/tmp",
                        "/pgbouncer-", ::testing::UnitTest::GetInstance()->random_seed(), "-",
                        getpid());
    pooled_url_ = Shell(absl::StrCat("RETURNS_PGBOUNCER_DIR=", dir_, " bash ", RETURNS_SOURCE_DIR,
                                     "/deploy/pgbouncer-local.sh start '", db_.url(), "'"));
    ASSERT_EQ(pooled_url_.rfind("postgresql://", 0), 0u) << pooled_url_;
    pooled_server_ = std::make_unique<ServerProcess>(
        pooled_url_, std::vector<std::string>{"--db_transaction_pooling", "--direct_database_url",
                                              db_.url(), "--db_pool_size", "8"});
    options_.address = pooled_server_->address();
    stubs_ = StubsFor(options_);
  }
  void TearDown() override {
    E2ETest::TearDown();
    pooled_server_.reset();
    Shell(absl::StrCat("RETURNS_PGBOUNCER_DIR=", dir_, " bash ", RETURNS_SOURCE_DIR,
                       "/deploy/pgbouncer-local.sh stop"));
  }
  // SHOW STATS on PgBouncer's admin console (through psql: libpqxx refuses the console's
  // version string): the transactions it carried to this database.
  int64_t PooledTransactions() {
    const std::string admin = pooled_url_.substr(0, pooled_url_.rfind('/')) + "/pgbouncer";
    const std::string database = db_.url().substr(db_.url().rfind('/') + 1);
    const std::string out = Shell(absl::StrCat("psql '", admin, "' -AtF'|' -c 'SHOW STATS'"));
    for (absl::string_view line : absl::StrSplit(out, '\n')) {
      std::vector<std::string> fields = absl::StrSplit(line, '|');
      if (fields.size() > 1 && fields[0] == database) return std::stoll(fields[1]);
    }
    return -1;
  }

  std::string dir_;
  std::string pooled_url_;
  std::unique_ptr<ServerProcess> pooled_server_;
};

TEST_F(PgBouncerTest, TheServiceRunsThroughATransactionPooler) {
  const int64_t before = PooledTransactions();
  ASSERT_TRUE(Upsert(SampleOrder("pb-0", 50)).ok());
  // A live stream first: its wake-ups come over LISTEN on the direct connection.
  auto watch_context = Context();
  watch_context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::WatchTimelineRequest watch;
  watch.set_order_id("pb-0");
  auto reader = stubs_.timeline->WatchTimeline(watch_context.get(), watch);
  v1::TimelineEvent event;
  ASSERT_TRUE(reader->Read(&event));  // the order's sync

  // Eight clients, each its own order and ten returns, every request sent twice.
  std::vector<std::thread> clients;
  std::atomic<int> created{0}, failed{0};
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      const std::string order_id = absl::StrCat("pb-", c + 1);
      if (!Upsert(SampleOrder(order_id, 10)).ok()) {
        ++failed;
        return;
      }
      for (int r = 0; r < 10; ++r) {
        v1::CreateReturnRequest request = SampleReturn(order_id, "L1", 1);
        v1::Return first, second;
        const grpc::Status a = Create(request, &first);
        const grpc::Status b = Create(request, &second);  // a retry: the same return
        if (a.ok() && b.ok() && first.return_id() == second.return_id()) {
          ++created;
        } else {
          ++failed;
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(created.load(), 80);
  EXPECT_EQ(failed.load(), 0);

  // The stream sees a return created on its order now.
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("pb-0", "L1", 1), &ret).ok());
  bool seen = false;
  while (!seen && reader->Read(&event)) seen = event.resource_id() == ret.return_id();
  EXPECT_TRUE(seen);
  watch_context->TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();

  // Every one of those calls' transactions went through PgBouncer.
  EXPECT_GE(PooledTransactions() - before, 160);
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns"), "81");
}

}  // namespace
}  // namespace returns::testing
