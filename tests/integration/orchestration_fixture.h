#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "app/use_cases.h"
#include "app_fixture.h"
#include "integrations/integrations.h"
#include "integrations/postgres_blob_store.h"
#include "integrations/sandbox_carrier.h"
#include "integrations/sandbox_warehouse.h"
#include "sample_orders.h"

namespace returns::testing {

// A carrier that is down for its first `failures_left` calls (UNAVAILABLE), or refuses for good
// when `refuse` is set, and otherwise answers like the sandbox carrier. It counts calls per
// idempotency key, so tests can see what reached the carrier.
class FlakyCarrier : public integrations::CarrierAdapter {
 public:
  std::string code() const override { return "flaky"; }
  bool NeedsAccount() const override { return false; }
  absl::StatusOr<integrations::Label> CreateLabel(
      const integrations::LabelRequest& request) override {
    absl::MutexLock lock(&mu_);
    ++calls_[request.idempotency_key];
    if (refuse_) return absl::InvalidArgumentError("the carrier refuses the address");
    if (failures_left_ > 0) {
      --failures_left_;
      return absl::UnavailableError("carrier down");
    }
    return integrations::SandboxCarrier().CreateLabel(request);
  }
  absl::Status VoidLabel(const std::string& key, const std::string&) override {
    absl::MutexLock lock(&mu_);
    ++voids_[key];
    return absl::OkStatus();
  }
  void FailNext(int n) {
    absl::MutexLock lock(&mu_);
    failures_left_ = n;
  }
  void Refuse(bool refuse) {
    absl::MutexLock lock(&mu_);
    refuse_ = refuse;
  }
  int Calls(const std::string& key) {
    absl::MutexLock lock(&mu_);
    return calls_[key];
  }
  std::map<std::string, int> AllCalls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  int Voids(const std::string& key) {
    absl::MutexLock lock(&mu_);
    return voids_[key];
  }

 private:
  absl::Mutex mu_;
  int failures_left_ = 0;
  bool refuse_ = false;
  std::map<std::string, int> calls_;
  std::map<std::string, int> voids_;
};

// Counts notifications per idempotency key.
class CountingNotifier : public integrations::Notifier {
 public:
  absl::Status Notify(const integrations::Notification& n) override {
    absl::MutexLock lock(&mu_);
    ++sent_[n.idempotency_key];
    return absl::OkStatus();
  }
  std::map<std::string, int> Sent() {
    absl::MutexLock lock(&mu_);
    return sent_;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, int> sent_;
};

// Use cases with the flaky carrier as the merchant's default carrier.
class OrchestrationTest : public AppTest {
 protected:
  OrchestrationTest() {
    integrations_.carriers["flaky"] = carrier_;
    integrations_.carriers["sandbox"] = std::make_shared<integrations::SandboxCarrier>();
    integrations_.warehouse = std::make_shared<integrations::SandboxWarehouse>();
    integrations_.notifier = notifier_;
    integrations_.blob_store = std::make_shared<integrations::PostgresBlobStore>();
    app_.integrations = &integrations_;
    Scalar("UPDATE policies SET default_carrier = 'flaky'");
  }

  // An order `order_id` and an approved return of one unit of L1; returns the return's id.
  std::string ApprovedReturn(const std::string& order_id) {
    auto call = Call("order-" + order_id);
    v1::Order order;
    EXPECT_TRUE(app::UpsertOrder(app_, call, SampleOrder(order_id), &order).ok());
    call = Call("return-" + order_id);
    v1::Return ret;
    EXPECT_TRUE(app::CreateReturn(app_, call, SampleReturn(order_id, "L1", 1), &ret).ok());
    v1::ApproveReturnRequest approve;
    approve.set_request_id("approve-" + order_id);
    approve.set_return_id(ret.return_id());
    call = Call("approve-" + order_id);
    absl::Status approved = app::ApproveReturn(app_, call, approve, &ret);
    EXPECT_TRUE(approved.ok()) << approved;
    return ret.return_id();
  }

  // Runs due jobs until none is due (at most `rounds` batches).
  int RunJobs(app::JobRunOptions options = Fast(), int rounds = 20) {
    int total = 0;
    for (int i = 0; i < rounds; ++i) {
      auto ran = app::RunDueJobs(app_, options);
      EXPECT_TRUE(ran.ok()) << ran.status();
      if (!ran.ok() || *ran == 0) break;
      total += *ran;
    }
    return total;
  }

  static app::JobRunOptions Fast() {
    app::JobRunOptions options;
    options.retry_base = absl::Milliseconds(1);
    options.retry_max = absl::Milliseconds(1);
    return options;
  }

  // Makes every pending job due now, as if its backoff had passed.
  void TimePasses() { Scalar("UPDATE jobs SET run_after = now() WHERE state = 'PENDING'"); }

  std::string Count(const std::string& sql) { return Scalar("SELECT count(*) FROM " + sql); }

  std::shared_ptr<FlakyCarrier> carrier_ = std::make_shared<FlakyCarrier>();
  std::shared_ptr<CountingNotifier> notifier_ = std::make_shared<CountingNotifier>();
  integrations::Integrations integrations_;
};

}  // namespace returns::testing
