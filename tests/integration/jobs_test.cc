// Durable jobs: retries with backoff and jitter, dead letters, leases and concurrent workers,
// against a real PostgreSQL, with a carrier that fails on demand.
#include <thread>
#include <vector>

#include "orchestration_fixture.h"
#include "storage/job_store.h"
#include "storage/transaction.h"

namespace returns::testing {
namespace {

using JobsTest = OrchestrationTest;

TEST_F(JobsTest, ApprovalIssuesTheLabelThroughTheCarrier) {
  const std::string return_id = ApprovedReturn("1001");
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "APPROVED");
  EXPECT_EQ(Scalar("SELECT state FROM shipments"), "REQUESTED");
  EXPECT_EQ(RunJobs(), 2);  // the label, then the customer's notification
  const std::string shipment_id = Scalar("SELECT shipment_id FROM shipments");
  EXPECT_EQ(Scalar("SELECT state FROM shipments"), "LABEL_CREATED");
  EXPECT_EQ(Scalar("SELECT tracking_number FROM shipments"),
            integrations::SandboxCarrier::TrackingNumberFor(shipment_id));
  EXPECT_EQ(Scalar("SELECT label_format FROM shipments"), "ZPL");
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "LABEL_ISSUED");
  EXPECT_EQ(carrier_->Calls(shipment_id), 1);
  EXPECT_EQ(notifier_->Sent()["notify:return_label_ready:" + shipment_id], 1);
  EXPECT_EQ(Count("jobs WHERE state = 'SUCCEEDED'"), "2");
  EXPECT_EQ(Count("timeline_events WHERE event_type = 'return.label_issued'"), "1");
}

TEST_F(JobsTest, AFailedCallIsRetriedWithExponentialBackoffAndJitter) {
  ApprovedReturn("1001");
  const std::string shipment_id = Scalar("SELECT shipment_id FROM shipments");
  carrier_->FailNext(2);
  app::JobRunOptions options;
  options.retry_base = absl::Seconds(10);
  EXPECT_EQ(app::RunDueJobs(app_, options).value(), 1);
  EXPECT_EQ(Scalar("SELECT state || ' ' || attempts FROM jobs"), "PENDING 1");
  EXPECT_EQ(Scalar("SELECT last_error FROM jobs"), "carrier down");
  // 10 s, jittered to 50-100% of it.
  EXPECT_EQ(
      Scalar("SELECT run_after - now() BETWEEN interval '4.5 s' AND interval '10 s' FROM jobs"),
      "t");
  EXPECT_EQ(app::RunDueJobs(app_, options).value(), 0);  // not due yet
  TimePasses();
  EXPECT_EQ(app::RunDueJobs(app_, options).value(), 1);
  EXPECT_EQ(Scalar("SELECT state || ' ' || attempts FROM jobs"), "PENDING 2");
  // The second delay doubles: 20 s, jittered.
  EXPECT_EQ(
      Scalar("SELECT run_after - now() BETWEEN interval '9.5 s' AND interval '20 s' FROM jobs"),
      "t");
  TimePasses();
  EXPECT_EQ(app::RunDueJobs(app_, options).value(),
            2);  // the label, then the notification it enqueued
  EXPECT_EQ(Scalar("SELECT state || ' ' || attempts FROM jobs WHERE kind = 'ISSUE_LABEL'"),
            "SUCCEEDED 3");
  EXPECT_EQ(carrier_->Calls(shipment_id), 3);
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "LABEL_ISSUED");
}

TEST_F(JobsTest, AJobOutOfAttemptsIsDeadLetteredListedAndRetriedByAnOperator) {
  ApprovedReturn("1001");
  const std::string job_id = Scalar("SELECT job_id FROM jobs");
  Scalar("UPDATE jobs SET max_attempts = 3");
  carrier_->FailNext(100);
  for (int i = 0; i < 3; ++i) {
    TimePasses();
    RunJobs(Fast(), 1);
  }
  EXPECT_EQ(Scalar("SELECT state || ' ' || attempts FROM jobs"), "DEAD 3");
  EXPECT_EQ(Count("timeline_events WHERE event_type = 'job.dead_lettered'"), "1");
  TimePasses();
  EXPECT_EQ(RunJobs(), 0);  // dead jobs are not taken again

  v1::ListJobsRequest list;
  list.set_state(v1::JOB_STATE_DEAD);
  v1::ListJobsResponse dead;
  ASSERT_TRUE(app::ListJobs(app_, Call(), list, &dead).ok());
  ASSERT_EQ(dead.jobs_size(), 1);
  EXPECT_EQ(dead.jobs(0).job_id(), job_id);
  EXPECT_EQ(dead.jobs(0).kind(), v1::JOB_KIND_ISSUE_LABEL);
  EXPECT_EQ(dead.jobs(0).last_error(), "carrier down");

  carrier_->FailNext(0);
  v1::RetryJobRequest retry;
  retry.set_request_id("retry-1");
  retry.set_job_id(job_id);
  v1::Job revived;
  auto call = Call("retry-1");
  ASSERT_TRUE(app::RetryJob(app_, call, retry, &revived).ok());
  EXPECT_EQ(revived.state(), v1::JOB_STATE_PENDING);
  EXPECT_EQ(revived.attempts(), 3);       // attempts keep counting: they fence late workers
  EXPECT_EQ(revived.max_attempts(), 11);  // eight more
  RunJobs();
  EXPECT_EQ(Scalar("SELECT state FROM jobs WHERE job_id = '" + job_id + "'"), "SUCCEEDED");
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "LABEL_ISSUED");

  // Retrying a job that is not dead is refused, naming its state.
  retry.set_request_id("retry-2");
  call = Call("retry-2");
  absl::Status refused = app::RetryJob(app_, call, retry, &revived);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("SUCCEEDED"), std::string::npos);
}

TEST_F(JobsTest, AJobWhoseWorkersKeepDyingIsDeadLettered) {
  ApprovedReturn("1001");
  // Every attempt was claimed and its worker died before finishing (the lease ran out each time).
  Scalar(
      "UPDATE jobs SET state = 'RUNNING', attempts = max_attempts, "
      "locked_until = now() - interval '1 second'");
  RunJobs();
  EXPECT_EQ(Scalar("SELECT state FROM jobs"), "DEAD");
  EXPECT_EQ(carrier_->AllCalls().size(), 0u);  // not tried a ninth time
}

TEST_F(JobsTest, ApprovalWithADefaultCarrierWithoutAdapterIsRefused) {
  Scalar("UPDATE policies SET default_carrier = 'pigeon'");
  auto call = Call("order-1");
  v1::Order order;
  ASSERT_TRUE(app::UpsertOrder(app_, call, SampleOrder("1001"), &order).ok());
  v1::Return ret;
  call = Call("return-1");
  ASSERT_TRUE(app::CreateReturn(app_, call, SampleReturn("1001", "L1", 1), &ret).ok());
  v1::ApproveReturnRequest approve;
  approve.set_request_id("approve-1");
  approve.set_return_id(ret.return_id());
  call = Call("approve-1");
  absl::Status refused = app::ApproveReturn(app_, call, approve, &ret);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("pigeon"), std::string::npos);
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "REQUESTED");
  EXPECT_EQ(Count("shipments"), "0");
}

TEST_F(JobsTest, APermanentRefusalDeadLettersAtOnce) {
  ApprovedReturn("1001");
  carrier_->Refuse(true);
  RunJobs();
  EXPECT_EQ(Scalar("SELECT state || ' ' || attempts FROM jobs"), "DEAD 1");
  EXPECT_EQ(Scalar("SELECT last_error FROM jobs"), "the carrier refuses the address");
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "APPROVED");
}

TEST_F(JobsTest, ACrashBetweenTheCallAndTheCommitNeverMakesASecondLabel) {
  ApprovedReturn("1001");
  const std::string shipment_id = Scalar("SELECT shipment_id FROM shipments");
  const std::string job_id = Scalar("SELECT job_id FROM jobs");
  // A worker claimed the job, called the carrier and died before its commit: the claim (with
  // its lease) is in the database, the label exists at the carrier, nothing else was written.
  Scalar(
      "UPDATE jobs SET state = 'RUNNING', attempts = 1, locked_until = now() + interval '1 hour'");
  auto made = carrier_->CreateLabel({shipment_id, merchant_id_, "1001", "", "{}"});
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(RunJobs(), 0);  // the lease still holds: nobody else takes the job
  Scalar("UPDATE jobs SET locked_until = now() - interval '1 second'");  // the lease ran out
  RunJobs();
  EXPECT_EQ(Scalar("SELECT state || ' ' || attempts FROM jobs WHERE job_id = '" + job_id + "'"),
            "SUCCEEDED 2");
  EXPECT_EQ(carrier_->Calls(shipment_id), 2);  // asked twice with the same key ...
  EXPECT_EQ(Scalar("SELECT tracking_number FROM shipments"),
            made->tracking_number);  // ... one label
  EXPECT_EQ(Count("timeline_events WHERE event_type = 'shipment.label_created'"), "1");
  // The dead worker's late commit is fenced off by its attempt number.
  absl::Status late = storage::RunTransaction(
      pool_, "LateCommit", absl::Now() + absl::Seconds(5), [&](storage::Tx& tx) {
        EXPECT_FALSE(storage::JobStore(tx).CompleteJob(merchant_id_, job_id, 1));
        return absl::OkStatus();
      });
  EXPECT_TRUE(late.ok());
}

TEST_F(JobsTest, ConcurrentWorkersRunEveryJobExactlyOnce) {
  constexpr int kReturns = 12;
  for (int i = 0; i < kReturns; ++i) ApprovedReturn(std::to_string(2000 + i));
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      app::JobRunOptions options = Fast();
      options.batch = 2;
      for (int idle = 0; idle < 5;) {
        auto ran = app::RunDueJobs(app_, options);
        if (ran.ok() && *ran == 0)
          ++idle;
        else
          idle = 0;
        if (idle) absl::SleepFor(absl::Milliseconds(20));
      }
    });
  }
  for (auto& worker : workers) worker.join();
  auto calls = carrier_->AllCalls();
  EXPECT_EQ(calls.size(), static_cast<size_t>(kReturns));
  for (const auto& [key, count] : calls) EXPECT_EQ(count, 1) << key;
  auto sent = notifier_->Sent();
  EXPECT_EQ(sent.size(), static_cast<size_t>(kReturns));
  for (const auto& [key, count] : sent) EXPECT_EQ(count, 1) << key;
  EXPECT_EQ(Count("jobs WHERE state <> 'SUCCEEDED'"), "0");
  EXPECT_EQ(Count("timeline_events WHERE event_type = 'shipment.label_created'"),
            std::to_string(kReturns));
}

TEST_F(JobsTest, VoidingALabelCancelsItAtTheCarrierAndANewOneCanBeMade) {
  const std::string return_id = ApprovedReturn("1001");
  RunJobs();
  const std::string shipment_id = Scalar("SELECT shipment_id FROM shipments");
  v1::VoidLabelRequest void_request;
  void_request.set_request_id("void-1");
  void_request.set_shipment_id(shipment_id);
  v1::Shipment voided;
  auto call = Call("void-1");
  ASSERT_TRUE(app::VoidLabel(app_, call, void_request, &voided).ok());
  EXPECT_EQ(voided.state(), v1::SHIPMENT_STATE_VOIDED);
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "APPROVED");
  RunJobs();
  EXPECT_EQ(carrier_->Voids(shipment_id), 1);

  // Voiding again is refused, naming the state.
  void_request.set_request_id("void-2");
  call = Call("void-2");
  absl::Status again = app::VoidLabel(app_, call, void_request, &voided);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.message().find("VOIDED"), std::string::npos);

  v1::CreateReturnLabelRequest label;
  label.set_request_id("label-2");
  label.set_return_id(return_id);
  label.set_carrier("sandbox");
  v1::Shipment fresh;
  call = Call("label-2");
  ASSERT_TRUE(app::CreateReturnLabel(app_, call, label, &fresh).ok());
  EXPECT_NE(fresh.shipment_id(), shipment_id);
  EXPECT_EQ(fresh.carrier(), "sandbox");
  RunJobs();
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "LABEL_ISSUED");
  // Asking again answers the live label, not a second one.
  label.set_request_id("label-3");
  call = Call("label-3");
  v1::Shipment same;
  ASSERT_TRUE(app::CreateReturnLabel(app_, call, label, &same).ok());
  EXPECT_EQ(same.shipment_id(), fresh.shipment_id());
  EXPECT_EQ(same.state(), v1::SHIPMENT_STATE_LABEL_CREATED);
  EXPECT_EQ(Count("shipments"), "2");
}

TEST_F(JobsTest, AnUnknownCarrierIsRefusedNamingTheField) {
  const std::string return_id = ApprovedReturn("1001");
  v1::VoidLabelRequest void_request;
  void_request.set_request_id("void-1");
  void_request.set_shipment_id(Scalar("SELECT shipment_id FROM shipments"));
  v1::Shipment shipment;
  auto call = Call("void-1");
  ASSERT_TRUE(app::VoidLabel(app_, call, void_request, &shipment).ok());
  v1::CreateReturnLabelRequest label;
  label.set_request_id("label-x");
  label.set_return_id(return_id);
  label.set_carrier("pigeon");
  call = Call("label-x");
  absl::Status refused = app::CreateReturnLabel(app_, call, label, &shipment);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("pigeon"), std::string::npos);
}

}  // namespace
}  // namespace returns::testing
