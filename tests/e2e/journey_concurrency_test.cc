// Orchestration under real concurrency: two returnsd processes on one database, many clients,
// the same carrier events and the same request_ids at once.
#include <map>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "journey_fixture.h"

namespace returns::testing {
namespace {

class JourneyConcurrencyTest : public JourneyTest {
 protected:
  void SetUp() override {
    JourneyTest::SetUp();
    second_ = std::make_unique<ServerProcess>(db_.url());
  }
  // Client i talks to one server or the other.
  client::ClientOptions On(int i, client::ClientOptions options) const {
    options.address = i % 2 == 0 ? server_->address() : second_->address();
    return options;
  }
  std::string Scalar(const std::string& sql) const { return QueryScalar(db_.url(), sql); }

  std::unique_ptr<ServerProcess> second_;
};

TEST_F(JourneyConcurrencyTest, TheSameCarrierEventsFromManyClientsApplyOnce) {
  ASSERT_TRUE(Upsert(SampleOrder("C1")).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("C1", "L1", 1), &ret).ok());
  Approve(ret.return_id());
  const std::string tracking = WaitForLabel(ret.return_id()).tracking_number();
  const std::vector<v1::CarrierEvent> batch = {
      Scan(tracking, "a", v1::CARRIER_EVENT_CODE_ACCEPTED, 1),
      Scan(tracking, "t", v1::CARRIER_EVENT_CODE_IN_TRANSIT, 2),
      Scan(tracking, "d", v1::CARRIER_EVENT_CODE_DELIVERED, 3)};
  absl::Mutex mu;
  std::map<std::string, std::map<v1::CarrierEventOutcome, int>> outcomes;
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&, i] {
      auto options = On(i, carrier_);
      auto stub = v1::LogisticsService::NewStub(client::MakeChannel(options));
      for (int round = 0; round < 3; ++round) {
        v1::RecordCarrierEventsRequest request;
        // Each client sends the batch in its own order.
        for (int k = 0; k < 3; ++k) *request.add_events() = batch[(k + i) % 3];
        v1::RecordCarrierEventsResponse response;
        grpc::Status status =
            stub->RecordCarrierEvents(client::MakeContext(options).get(), request, &response);
        ASSERT_TRUE(status.ok()) << client::DescribeError(status);
        absl::MutexLock lock(&mu);
        for (const auto& r : response.results()) ++outcomes[r.event_id()][r.outcome()];
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(outcomes["a"][v1::CARRIER_EVENT_OUTCOME_APPLIED], 1);
  EXPECT_EQ(outcomes["d"][v1::CARRIER_EVENT_OUTCOME_APPLIED], 1);
  EXPECT_EQ(outcomes["t"][v1::CARRIER_EVENT_OUTCOME_APPLIED] +
                outcomes["t"][v1::CARRIER_EVENT_OUTCOME_RECORDED],
            1);
  for (const char* id : {"a", "t", "d"}) {
    EXPECT_EQ(outcomes[id][v1::CARRIER_EVENT_OUTCOME_DUPLICATE], 23) << id;
  }
  EXPECT_EQ(Scalar("SELECT state FROM shipments"), "DELIVERED");
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "DELIVERED");
  EXPECT_EQ(Scalar("SELECT count(*) FROM timeline_events WHERE event_type = 'return.in_transit'"),
            "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM timeline_events WHERE event_type = 'return.delivered'"),
            "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM carrier_events"), "3");
}

TEST_F(JourneyConcurrencyTest, OneApprovalWhateverTheRetriesAndTheRaces) {
  ASSERT_TRUE(Upsert(SampleOrder("C2")).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("C2", "L1", 1), &ret).ok());
  absl::Mutex mu;
  std::map<grpc::StatusCode, int> codes;
  std::set<std::string> etags;
  std::vector<std::thread> clients;
  for (int i = 0; i < 12; ++i) {
    clients.emplace_back([&, i] {
      auto options = On(i, support_);
      v1::ApproveReturnRequest request;
      // Half retry one request (the same request_id), half are other agents racing it.
      request.set_request_id(i < 6 ? "approve-once" : "agent-" + std::to_string(i));
      request.set_return_id(ret.return_id());
      v1::Return out;
      grpc::Status status = v1::ReturnService::NewStub(client::MakeChannel(options))
                                ->ApproveReturn(client::MakeContext(options).get(), request, &out);
      absl::MutexLock lock(&mu);
      ++codes[status.error_code()];
      if (status.ok()) etags.insert(out.etag());
    });
  }
  for (auto& c : clients) c.join();
  // Either the shared request_id won (6 answers, one effect) or one racing agent did.
  EXPECT_TRUE(
      (codes[grpc::StatusCode::OK] == 6 && codes[grpc::StatusCode::FAILED_PRECONDITION] == 6) ||
      (codes[grpc::StatusCode::OK] == 1 && codes[grpc::StatusCode::FAILED_PRECONDITION] == 11))
      << codes[grpc::StatusCode::OK] << " OK, " << codes[grpc::StatusCode::FAILED_PRECONDITION]
      << " refused";
  EXPECT_EQ(etags.size(), 1u);
  EXPECT_EQ(Scalar("SELECT count(*) FROM timeline_events WHERE event_type = 'return.approved'"),
            "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM shipments"), "1");
}

TEST_F(JourneyConcurrencyTest, TwoServersJobWorkersIssueEachLabelOnce) {
  constexpr int kReturns = 10;
  std::vector<std::string> return_ids;
  for (int i = 0; i < kReturns; ++i) {
    const std::string order_id = "C3-" + std::to_string(i);
    ASSERT_TRUE(Upsert(SampleOrder(order_id)).ok());
    v1::Return ret;
    ASSERT_TRUE(Create(SampleReturn(order_id, "L1", 1), &ret).ok());
    return_ids.push_back(ret.return_id());
  }
  std::vector<std::thread> agents;
  for (int i = 0; i < kReturns; ++i) {
    agents.emplace_back([&, i] {
      auto options = On(i, support_);
      v1::ApproveReturnRequest request;
      request.set_request_id("approve-" + return_ids[i]);
      request.set_return_id(return_ids[i]);
      v1::Return out;
      EXPECT_TRUE(v1::ReturnService::NewStub(client::MakeChannel(options))
                      ->ApproveReturn(client::MakeContext(options).get(), request, &out)
                      .ok());
    });
  }
  for (auto& a : agents) a.join();
  for (const auto& id : return_ids) WaitForLabel(id);
  for (int i = 0; i < 100 && Scalar("SELECT count(*) FROM jobs WHERE state <> 'SUCCEEDED'") != "0";
       ++i) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(Scalar("SELECT count(*) FROM jobs WHERE state <> 'SUCCEEDED'"), "0");
  EXPECT_EQ(Scalar("SELECT count(*) FROM jobs"),
            std::to_string(2 * kReturns));  // label + notification
  EXPECT_EQ(
      Scalar("SELECT count(*) FROM timeline_events WHERE event_type = 'shipment.label_created'"),
      std::to_string(kReturns));
  EXPECT_EQ(Scalar("SELECT count(*) FROM timeline_events WHERE event_type = 'customer.notified'"),
            std::to_string(kReturns));
  EXPECT_EQ(Scalar("SELECT count(DISTINCT tracking_number) FROM shipments"),
            std::to_string(kReturns));
}

}  // namespace
}  // namespace returns::testing

namespace returns::testing {
namespace {

TEST_F(JourneyTest, AJobEnqueuedBeforeACrashRunsAfterTheRestart) {
  // A replica without job workers takes the approval, then dies (SIGKILL) before any worker ran.
  server_ =
      std::make_unique<ServerProcess>(db_.url(), std::vector<std::string>{"--job_workers", "0"});
  options_.address = server_->address();
  stubs_ = StubsFor(options_);
  ASSERT_TRUE(Upsert(SampleOrder("K1")).ok());
  v1::Return ret;
  ASSERT_TRUE(Create(SampleReturn("K1", "L1", 1), &ret).ok());
  Approve(ret.return_id());
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT state FROM jobs"), "PENDING");
  server_->Kill();
  // The acknowledged approval and its job survived; a new replica's workers issue the label.
  RestartServer();
  const v1::Shipment label = WaitForLabel(ret.return_id());
  EXPECT_FALSE(label.tracking_number().empty());
  EXPECT_EQ(QueryScalar(
                db_.url(),
                "SELECT count(*) FROM timeline_events WHERE event_type = 'shipment.label_created'"),
            "1");
}

}  // namespace
}  // namespace returns::testing
