// returns_faults: the whole service under a mixed workload while several things break, checked
// afterwards. Run by deploy/faults.sh (a reduced run is in the test suite, `ctest -L faults`).
//
// It starts its own PostgreSQL cluster (deploy/pg-local.sh) and --replicas returnsd processes on
// it, then for --seconds:
//   - --clients good clients walk the exchange journey on fresh orders (UpsertOrder,
//     CreateReturn, IssueExchangeToken, RedeemExchangeToken, GetTimeline), each call on a random
//     replica, retrying with the same request_id on UNAVAILABLE, ABORTED, DEADLINE_EXCEEDED and
//     RESOURCE_EXHAUSTED with jittered backoff, as the docs ask of clients;
//   - a change-feed consumer follows StreamEvents across replicas, resuming from its cursor;
//   - faults, each at a random moment: PostgreSQL fast shutdown and restart, immediate shutdown
//     (crash recovery) and restart, SIGKILL of a replica then a restart, SIGTERM of a replica
//     then a restart, SIGSTOP of a replica for longer than a job lease then SIGCONT;
//   - once, first, a long freeze: one replica SIGSTOPped for longer than every deadline (the
//     server's 30 s cap), job lease, idle-transaction timeout (5 s) and stream lifetime (the
//     replicas' --stream_max_lifetime_seconds), while PostgreSQL is crashed twice and stopped
//     once, another replica is killed and restarted, and streams to the frozen replica are
//     opened and given up by their clients (their requests wait in its socket, to be opened and
//     cancelled at once on SIGCONT); it must come back alive and SERVING.
// Afterwards: every replica must be SERVING again by itself; the invariant checker must pass;
// every acknowledged mutation, replayed with its request_id, must answer what it answered; the
// feed consumer must have seen every sequence. It prints a table and exits 1 on any violation.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/returns_client.h"
#include "exchange_fixture.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "invariants.h"
#include "returns/v1/claim_service.grpc.pb.h"
#include "returns/v1/exchange_service.grpc.pb.h"
#include "returns/v1/inventory_service.grpc.pb.h"
#include "returns/v1/logistics_service.grpc.pb.h"
#include "returns/v1/order_service.grpc.pb.h"
#include "returns/v1/return_service.grpc.pb.h"
#include "returns/v1/timeline_service.grpc.pb.h"
#include "server_process.h"
#include "test_database.h"

namespace returns::testing {
namespace {

struct Flags {
  int seconds = 60;
  int long_freeze_seconds = 36;  // 0: no long freeze
  uint32_t seed = 1;
  int replicas = 2;
  int clients = 6;
  std::string pg_script;
  std::string pg_dir;
};

// Job leases short enough that a replica paused for kPause loses its jobs to the others.
constexpr int kLeaseSeconds = 3;
constexpr absl::Duration kPause = absl::Seconds(kLeaseSeconds + 2);
// The replicas' stream lifetime: shorter than the long freeze, so open streams outlive it frozen.
constexpr int kStreamLifetimeSeconds = 20;

// The database cluster and the replicas, as the fault thread changes them.
class Cluster {
 public:
  explicit Cluster(const Flags& flags) : flags_(flags) {}

  std::string StartDatabase(bool fresh) {
    return Run(absl::StrCat("start", fresh ? " --fresh" : ""));
  }
  void StopDatabase(bool immediate) { Run(absl::StrCat("stop", immediate ? " --immediate" : "")); }

  void StartReplica(int index) {
    auto process = std::make_unique<ServerProcess>(
        url_,
        std::vector<std::string>{"--job_lease_seconds", std::to_string(kLeaseSeconds),
                                 "--job_retry_base_ms", "100", "--drain_seconds", "5",
                                 "--sweep_interval_seconds", "1", "--stream_max_lifetime_seconds",
                                 std::to_string(kStreamLifetimeSeconds)},
        /*wait_until_ready=*/false);
    std::unique_ptr<ServerProcess> old;
    {
      absl::MutexLock lock(&mu_);
      if (replicas_.size() <= static_cast<size_t>(index)) replicas_.resize(index + 1);
      old = std::move(replicas_[index]);
      replicas_[index] = std::move(process);
    }
  }
  // Runs `action` on replica `index` (its process may be replaced afterwards).
  template <typename Action>
  void OnReplica(int index, Action action) {
    ServerProcess* process;
    {
      absl::MutexLock lock(&mu_);
      process = replicas_[index].get();
    }
    action(*process);
  }
  std::string Address(int index) {
    absl::MutexLock lock(&mu_);
    return replicas_[index]->address();
  }
  std::shared_ptr<grpc::Channel> Channel(int index) {
    const std::string address = Address(index);
    absl::MutexLock lock(&mu_);
    auto& channel = channels_[address];
    if (channel == nullptr)
      channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    return channel;
  }
  int replicas() const { return flags_.replicas; }
  void set_url(std::string url) { url_ = std::move(url); }
  const std::string& url() const { return url_; }
  bool Running(int index) {
    ServerProcess* process;
    {
      absl::MutexLock lock(&mu_);
      process = replicas_[index].get();
    }
    return process->running();
  }
  void StopAll() {
    absl::MutexLock lock(&mu_);
    replicas_.clear();
  }

 private:
  std::string Run(const std::string& args) {
    const std::string command = absl::StrCat("RETURNS_PG_DIR=", flags_.pg_dir,
                                             " RETURNS_PG_PORT=auto RETURNS_PG_DB=faults bash ",
                                             flags_.pg_script, " ", args);
    std::string out;
    if (FILE* pipe = popen(command.c_str(), "r")) {
      char buffer[512];
      while (fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
      pclose(pipe);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }

  const Flags& flags_;
  std::string url_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<ServerProcess>> replicas_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_ ABSL_GUARDED_BY(mu_);
};

bool Retryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::ABORTED ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

// An acknowledged mutation, to replay at the end.
struct Acknowledged {
  std::string method;
  std::string request;   // serialized
  std::string response;  // serialized
};

struct Stats {
  std::atomic<int64_t> calls{0}, acknowledged{0}, retries{0}, journeys{0};
  std::atomic<int64_t> carrier_batches{0}, received{0};
  absl::Mutex mu;
  std::map<std::string, int> refused ABSL_GUARDED_BY(mu);  // final non-retryable errors
  std::vector<Acknowledged> acks ABSL_GUARDED_BY(mu);
};

// One function per acknowledged mutation: the journey sends through it, and the replay at the
// end sends the same request through it again.
using Channel = std::shared_ptr<grpc::Channel>;
grpc::Status SendCreateReturn(Channel c, grpc::ClientContext* x, const v1::CreateReturnRequest& q,
                              v1::Return* r) {
  return v1::ReturnService::NewStub(c)->CreateReturn(x, q, r);
}
grpc::Status SendApproveReturn(Channel c, grpc::ClientContext* x, const v1::ApproveReturnRequest& q,
                               v1::Return* r) {
  return v1::ReturnService::NewStub(c)->ApproveReturn(x, q, r);
}
grpc::Status SendReceiveReturn(Channel c, grpc::ClientContext* x, const v1::ReceiveReturnRequest& q,
                               v1::Return* r) {
  return v1::ReturnService::NewStub(c)->ReceiveReturn(x, q, r);
}
grpc::Status SendIssueExchangeToken(Channel c, grpc::ClientContext* x,
                                    const v1::IssueExchangeTokenRequest& q,
                                    v1::IssueExchangeTokenResponse* r) {
  return v1::ExchangeService::NewStub(c)->IssueExchangeToken(x, q, r);
}
grpc::Status SendRedeemExchangeToken(Channel c, grpc::ClientContext* x,
                                     const v1::RedeemExchangeTokenRequest& q,
                                     v1::ExchangeToken* r) {
  return v1::ExchangeService::NewStub(c)->RedeemExchangeToken(x, q, r);
}

grpc::Status SendFileClaim(Channel c, grpc::ClientContext* x, const v1::FileClaimRequest& q,
                           v1::Claim* r) {
  return v1::ClaimService::NewStub(c)->FileClaim(x, q, r);
}

class GoodClient {
 public:
  GoodClient(Cluster& cluster, Stats& stats, std::string api_key, uint32_t seed)
      : cluster_(cluster), stats_(stats), rng_(seed) {
    options_.api_key = std::move(api_key);
    options_.timeout = absl::Seconds(5);
  }

  // One call, retried as a good client does: same request (same request_id), another replica,
  // backoff with jitter, for at most a minute.
  template <typename Call>
  grpc::Status Retrying(const std::string& method, Call call) {
    const absl::Time give_up = absl::Now() + absl::Minutes(1);
    absl::Duration backoff = absl::Milliseconds(50);
    for (;;) {
      ++stats_.calls;
      auto channel = cluster_.Channel(static_cast<int>(rng_() % cluster_.replicas()));
      auto context = client::MakeContext(options_);
      grpc::Status status = call(channel, context.get());
      if (status.ok()) return status;
      if (!Retryable(status.error_code()) || absl::Now() > give_up) {
        absl::MutexLock lock(&stats_.mu);
        ++stats_.refused[absl::StrCat(method, " ", status.error_code(), " ",
                                      status.error_message().substr(0, 80))];
        return status;
      }
      ++stats_.retries;
      absl::SleepFor(backoff * (0.5 + (rng_() % 1000) / 1000.0));
      backoff = std::min(backoff * 2, absl::Seconds(1));
    }
  }

  void Acknowledge(const std::string& method, const google::protobuf::Message& request,
                   const google::protobuf::Message& response) {
    ++stats_.acknowledged;
    absl::MutexLock lock(&stats_.mu);
    stats_.acks.push_back({method, request.SerializeAsString(), response.SerializeAsString()});
  }

  // A mutation sent as a good client does and, once answered, remembered for the replay.
  template <typename Request, typename Response>
  bool Mutate(const std::string& method, const Request& request, Response* response,
              grpc::Status (*send)(Channel, grpc::ClientContext*, const Request&, Response*)) {
    if (!Retrying(method, [&](auto channel, auto* context) {
           return send(channel, context, request, response);
         }).ok()) {
      return false;
    }
    Acknowledge(method, request, *response);
    return true;
  }

  // A return of line L<line> of the watched order: events on the order a watcher follows.
  void ReturnOnWatchedOrder(const std::string& order_id, int line) {
    auto create = ExchangeReturn(order_id, 1);
    create.mutable_lines(0)->set_order_line_id("L" + std::to_string(line));
    v1::Return ret;
    (void)Mutate("CreateReturn", create, &ret, SendCreateReturn);
  }

  // The rest of the return's road: approval, the label (a job through the sandbox carrier),
  // carrier scans sent as a flood (out of order, repeated within a batch and across batches),
  // and the receipt, which resolves the return.
  void ReturnTheParcel(const v1::Return& ret) {
    v1::ApproveReturnRequest approve;
    approve.set_request_id(client::NewRequestId());
    approve.set_return_id(ret.return_id());
    v1::Return approved;
    if (!Mutate("ApproveReturn", approve, &approved, SendApproveReturn)) return;
    v1::Shipment label;
    const absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (label.tracking_number().empty() && absl::Now() < give_up) {
      v1::ListShipmentsRequest list;
      list.set_return_id(ret.return_id());
      v1::ListShipmentsResponse shipments;
      if (!Retrying("ListShipments", [&](auto channel, auto* context) {
             return v1::LogisticsService::NewStub(channel)->ListShipments(context, list,
                                                                          &shipments);
           }).ok()) {
        return;
      }
      for (const auto& shipment : shipments.shipments()) {
        if (shipment.direction() == v1::SHIPMENT_DIRECTION_INBOUND &&
            !shipment.tracking_number().empty()) {
          label = shipment;
        }
      }
      if (label.tracking_number().empty()) absl::SleepFor(absl::Milliseconds(100));
    }
    if (label.tracking_number().empty()) {
      absl::MutexLock lock(&stats_.mu);
      ++stats_.refused["label not issued within 30 s"];
      return;
    }
    const int64_t start = absl::ToUnixSeconds(absl::Now()) - 3 * 3600;
    auto scan = [&](int n, v1::CarrierEventCode code) {
      v1::CarrierEvent event;
      event.set_carrier(label.carrier());
      event.set_tracking_number(label.tracking_number());
      event.set_event_id(absl::StrCat(label.shipment_id(), "-", n));
      event.set_code(code);
      event.mutable_event_time()->set_seconds(start + n * 3600);
      return event;
    };
    v1::RecordCarrierEventsRequest flood;
    for (const auto& event :
         {scan(3, v1::CARRIER_EVENT_CODE_DELIVERED), scan(1, v1::CARRIER_EVENT_CODE_ACCEPTED),
          scan(2, v1::CARRIER_EVENT_CODE_IN_TRANSIT), scan(2, v1::CARRIER_EVENT_CODE_IN_TRANSIT),
          scan(3, v1::CARRIER_EVENT_CODE_DELIVERED)}) {
      *flood.add_events() = event;
    }
    for (int copy = 0; copy < 2; ++copy) {
      v1::RecordCarrierEventsResponse recorded;
      if (!Retrying("RecordCarrierEvents", [&](auto channel, auto* context) {
             return v1::LogisticsService::NewStub(channel)->RecordCarrierEvents(context, flood,
                                                                                &recorded);
           }).ok()) {
        return;
      }
      ++stats_.carrier_batches;
    }
    v1::ReceiveReturnRequest receive;
    receive.set_request_id(client::NewRequestId());
    receive.set_return_id(ret.return_id());
    auto* item = receive.add_items();
    item->set_order_line_id(ret.lines(0).order_line_id());
    item->set_condition(v1::ITEM_CONDITION_OK);
    v1::Return received;
    if (!Mutate("ReceiveReturn", receive, &received, SendReceiveReturn)) return;
    ++stats_.received;
  }

  // The storefront syncs an order, retried as a good client does; counted when acknowledged.
  bool SyncOrder(const v1::UpsertOrderRequest& upsert) {
    v1::Order order;
    if (!Retrying("UpsertOrder", [&](auto channel, auto* context) {
           return v1::OrderService::NewStub(channel)->UpsertOrder(context, upsert, &order);
         }).ok()) {
      return false;
    }
    ++stats_.acknowledged;
    return true;
  }

  // An order with its parcel, lost in transit: a LOST claim, decided by the rules (approved and
  // refunded or reshipped, or sent to review) in the same call.
  void ClaimJourney(const std::string& order_id) {
    auto upsert = ExchangeOrder(order_id, 2);
    v1::OrderShipment* parcel = upsert.add_shipments();
    parcel->set_carrier("sandbox");
    parcel->set_tracking_number("LOST-" + order_id);
    parcel->mutable_promise_time()->set_seconds(
        absl::ToUnixSeconds(absl::Now() - absl::Hours(24 * 10)));
    for (const char* line : {"L0", "L1"}) {
      v1::ShipmentLine* in = parcel->add_lines();
      in->set_order_line_id(line);
      in->set_quantity(1);
    }
    if (!SyncOrder(upsert)) return;
    v1::FileClaimRequest file;
    file.set_request_id(client::NewRequestId());
    file.set_order_id(order_id);
    file.set_type(v1::CLAIM_TYPE_LOST);
    file.add_lines()->set_order_line_id(rng_() % 2 == 0 ? "L0" : "L1");
    file.mutable_lines(0)->set_quantity(1);
    v1::Claim claim;
    if (Mutate("FileClaim", file, &claim, SendFileClaim)) ++stats_.journeys;
  }

  void Journey(const std::string& order_id) {
    auto upsert = ExchangeOrder(order_id);
    if (!SyncOrder(upsert)) return;
    v1::Return ret;
    auto create = ExchangeReturn(order_id);
    create.set_request_id(client::NewRequestId());
    if (!Mutate("CreateReturn", create, &ret, SendCreateReturn)) return;
    v1::IssueExchangeTokenResponse issued;
    auto issue = IssueRequest(ret.return_id());
    issue.set_request_id(client::NewRequestId());
    if (!Mutate("IssueExchangeToken", issue, &issued, SendIssueExchangeToken)) return;
    v1::ExchangeToken redeemed;
    v1::RedeemExchangeTokenRequest redeem;
    redeem.set_request_id(client::NewRequestId());
    redeem.set_token(issued.token());
    if (!Mutate("RedeemExchangeToken", redeem, &redeemed, SendRedeemExchangeToken)) return;
    if (rng_() % 2 == 0) ReturnTheParcel(ret);
    v1::GetTimelineRequest read;
    read.set_order_id(order_id);
    v1::GetTimelineResponse timeline;
    (void)Retrying("GetTimeline", [&](auto channel, auto* context) {
      return v1::TimelineService::NewStub(channel)->GetTimeline(context, read, &timeline);
    });
    ++stats_.journeys;
  }

 private:
  Cluster& cluster_;
  Stats& stats_;
  std::mt19937 rng_;
  client::ClientOptions options_;
};

// Follows the merchant's feed across replicas and breaks, resuming from its cursor.
class FeedConsumer {
 public:
  FeedConsumer(Cluster& cluster, std::string api_key)
      : cluster_(cluster), thread_([this, api_key] { Loop(api_key); }) {}
  ~FeedConsumer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  void StopAt(int64_t last_sequence, absl::Duration patience) {
    const absl::Time give_up = absl::Now() + patience;
    while (cursor_.load() < last_sequence && absl::Now() < give_up)
      absl::SleepFor(absl::Milliseconds(100));
    stop_ = true;
    thread_.join();
  }
  std::map<int64_t, int> seen() const { return seen_; }
  int reconnects() const { return reconnects_; }

 private:
  void Loop(const std::string& api_key) {
    client::ClientOptions options;
    options.api_key = api_key;
    options.timeout = absl::Seconds(5);
    std::mt19937 rng(7);
    while (!stop_) {
      auto context = client::MakeContext(options);
      v1::StreamEventsRequest request;
      request.set_after_sequence(cursor_.load());
      auto reader = v1::TimelineService::NewStub(
                        cluster_.Channel(static_cast<int>(rng() % cluster_.replicas())))
                        ->StreamEvents(context.get(), request);
      v1::ChangeEvent event;
      while (!stop_ && reader->Read(&event)) {
        ++seen_[event.sequence()];
        cursor_ = event.sequence();
      }
      context->TryCancel();
      (void)reader->Finish();
      ++reconnects_;
      absl::SleepFor(absl::Milliseconds(50));
    }
  }

  Cluster& cluster_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> cursor_{0};
  std::map<int64_t, int> seen_;  // only the consumer's thread writes it, read after join
  int reconnects_ = 0;
  std::thread thread_;
};

// Watches one order's timeline (WatchTimeline) across replicas and breaks, resuming after the
// last event_id it received.
class TimelineWatcher {
 public:
  TimelineWatcher(Cluster& cluster, std::string api_key, std::string order_id)
      : cluster_(cluster),
        order_id_(std::move(order_id)),
        thread_([this, api_key] { Loop(api_key); }) {}
  ~TimelineWatcher() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // Stops once every id of `expected` arrived, or `patience` passed.
  void StopWhenSeen(const std::set<int64_t>& expected, absl::Duration patience) {
    const absl::Time give_up = absl::Now() + patience;
    while (absl::Now() < give_up) {
      {
        absl::MutexLock lock(&mu_);
        if (std::includes(seen_.begin(), seen_.end(), expected.begin(), expected.end())) break;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    stop_ = true;
    thread_.join();
  }
  std::set<int64_t> seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }
  int repeated() const { return repeated_; }
  int reconnects() const { return reconnects_; }

 private:
  void Loop(const std::string& api_key) {
    client::ClientOptions options;
    options.api_key = api_key;
    options.timeout = absl::Seconds(5);
    std::mt19937 rng(11);
    int64_t last = 0;
    while (!stop_) {
      auto context = client::MakeContext(options);
      v1::WatchTimelineRequest request;
      request.set_order_id(order_id_);
      request.set_after_event_id(last);
      auto reader = v1::TimelineService::NewStub(
                        cluster_.Channel(static_cast<int>(rng() % cluster_.replicas())))
                        ->WatchTimeline(context.get(), request);
      v1::TimelineEvent event;
      while (!stop_ && reader->Read(&event)) {
        last = std::stoll(event.event_id());
        absl::MutexLock lock(&mu_);
        if (!seen_.insert(last).second) ++repeated_;
      }
      context->TryCancel();
      (void)reader->Finish();
      ++reconnects_;
      absl::SleepFor(absl::Milliseconds(50));
    }
  }

  Cluster& cluster_;
  const std::string order_id_;
  std::atomic<bool> stop_{false};
  absl::Mutex mu_;
  std::set<int64_t> seen_ ABSL_GUARDED_BY(mu_);
  int repeated_ = 0;
  int reconnects_ = 0;
  std::thread thread_;
};

// Sends an acknowledged request again (same request_id) as a good client would; `got` is the
// answer, serialized, to compare with the acknowledged one.
template <typename Request, typename Response>
grpc::Status Replay(GoodClient& client, const Acknowledged& ack, std::string* got,
                    grpc::Status (*send)(Channel, grpc::ClientContext*, const Request&,
                                         Response*)) {
  Request request;
  request.ParseFromString(ack.request);
  Response response;
  grpc::Status status = client.Retrying("replay", [&](auto channel, auto* context) {
    return send(channel, context, request, &response);
  });
  *got = response.SerializeAsString();
  return status;
}

grpc::health::v1::HealthCheckResponse::ServingStatus Health(const std::string& address) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
  grpc::health::v1::HealthCheckResponse response;
  return stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response).ok()
             ? response.status()
             : grpc::health::v1::HealthCheckResponse::UNKNOWN;
}

// The long freeze (see the top of the file): `replica` is stopped for `freeze`; meanwhile
// PostgreSQL is crashed twice and stopped fast once, another replica is killed and restarted,
// and streams are opened to the frozen replica and abandoned by their clients after 1 s.
void LongFreeze(Cluster& cluster, const std::string& api_key, int replica, absl::Duration freeze,
                std::mt19937& rng) {
  cluster.OnReplica(replica, [](ServerProcess& p) { p.Signal(SIGSTOP); });
  const absl::Time thaw = absl::Now() + freeze;
  std::atomic<bool> churning{true};
  std::vector<std::thread> churn;
  for (int t = 0; t < 4; ++t)
    churn.emplace_back([&] {
      client::ClientOptions options;
      options.api_key = api_key;
      options.timeout = absl::Seconds(1);
      auto stub = v1::TimelineService::NewStub(cluster.Channel(replica));
      for (int n = 0; churning; ++n) {
        auto context = client::MakeContext(options);
        if (n % 2 == 0) {
          auto reader = stub->StreamEvents(context.get(), v1::StreamEventsRequest());
          v1::ChangeEvent event;
          while (reader->Read(&event)) {
          }
          (void)reader->Finish();
        } else {
          v1::WatchTimelineRequest request;
          request.set_order_id("watched");
          auto reader = stub->WatchTimeline(context.get(), request);
          v1::TimelineEvent event;
          while (reader->Read(&event)) {
          }
          (void)reader->Finish();
        }
      }
    });
  const int other = (replica + 1) % cluster.replicas();
  for (int restart = 0; restart < 3; ++restart) {
    absl::SleepFor(absl::Seconds(3 + rng() % 3));
    cluster.StopDatabase(/*immediate=*/restart < 2);
    absl::SleepFor(absl::Milliseconds(500 + rng() % 1500));
    cluster.StartDatabase(false);
    if (restart == 1) {
      cluster.OnReplica(other, [](ServerProcess& p) { p.Kill(); });
      cluster.StartReplica(other);
    }
  }
  absl::SleepFor(std::max(absl::ZeroDuration(), thaw - absl::Now()));
  churning = false;
  for (auto& thread : churn) thread.join();
  cluster.OnReplica(replica, [](ServerProcess& p) { p.Signal(SIGCONT); });
  absl::SleepFor(absl::Seconds(2));  // the crash this fault was made for came 0.3 s after SIGCONT
}

int Run(const Flags& flags) {
  Cluster cluster(flags);
  cluster.set_url(cluster.StartDatabase(/*fresh=*/true));
  for (int i = 0; i < flags.replicas; ++i) cluster.StartReplica(i);
  // Wait for the first to have migrated the database.
  for (int i = 0;
       i < 300 && Health(cluster.Address(0)) != grpc::health::v1::HealthCheckResponse::SERVING;
       ++i) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  const TestMerchant merchant = CreateTestMerchant(cluster.url(), "Fault Shop");
  {
    client::ClientOptions options;
    options.api_key = merchant.admin_key;
    v1::SetInventoryLevelsResponse levels;
    auto context = client::MakeContext(options);
    grpc::Status stocked =
        v1::InventoryService::NewStub(cluster.Channel(0))
            ->SetInventoryLevels(context.get(), ReplacementStock(1000000), &levels);
    if (!stocked.ok()) {
      std::cerr << "cannot stock the replacement: " << stocked.error_message() << "\n";
      return 2;
    }
  }

  // The order a WatchTimeline watcher follows through the faults: one line per return opened on it.
  constexpr int kWatchedLines = 300;
  {
    client::ClientOptions options;
    options.api_key = merchant.admin_key;
    v1::Order order;
    auto context = client::MakeContext(options);
    if (!v1::OrderService::NewStub(cluster.Channel(0))
             ->UpsertOrder(context.get(), ExchangeOrder("watched", kWatchedLines), &order)
             .ok()) {
      std::cerr << "cannot sync the watched order\n";
      return 2;
    }
  }
  std::atomic<int> next_watched_line{0};
  TimelineWatcher watcher(cluster, merchant.admin_key, "watched");

  Stats stats;
  std::atomic<bool> stop_clients{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < flags.clients; ++c) {
    clients.emplace_back([&, c] {
      GoodClient client(cluster, stats, merchant.admin_key, flags.seed * 1000 + c);
      for (int k = 0; !stop_clients; ++k) {
        const std::string order_id = absl::StrCat("f", flags.seed, "-", c, "-", k);
        if (k % 3 == 2) {
          client.ClaimJourney(order_id);
        } else {
          client.Journey(order_id);
        }
        if (k % 4 == 0) {
          const int line = next_watched_line++;
          if (line < kWatchedLines) client.ReturnOnWatchedOrder("watched", line);
        }
      }
    });
  }
  FeedConsumer feed(cluster, merchant.admin_key);

  // The faults.
  std::mt19937 rng(flags.seed);
  std::map<std::string, int> faults;
  std::vector<std::string> violations;
  absl::Duration slowest_recovery;
  const absl::Time end = absl::Now() + absl::Seconds(flags.seconds);
  const char* kKinds[] = {"postgres fast restart", "postgres immediate restart (crash recovery)",
                          "replica SIGKILL + restart", "replica SIGTERM + restart",
                          "replica SIGSTOP past its job lease + SIGCONT"};
  const char* kLongFreeze = "long freeze of a replica with PostgreSQL crashes and stream churn";
  bool long_freeze_due = flags.long_freeze_seconds > 0;
  while (absl::Now() < end || long_freeze_due) {
    absl::SleepFor(absl::Milliseconds(2000 + rng() % 3000));
    if (absl::Now() >= end && !long_freeze_due) break;
    const int kind = long_freeze_due ? -1 : static_cast<int>(rng() % 5);
    const int replica = static_cast<int>(rng() % flags.replicas);
    if (long_freeze_due) {
      long_freeze_due = false;
      LongFreeze(cluster, merchant.admin_key, replica, absl::Seconds(flags.long_freeze_seconds),
                 rng);
      ++faults[kLongFreeze];
      if (!cluster.Running(replica)) {
        violations.push_back(absl::StrCat("replica ", replica, " died after the long freeze"));
        cluster.StartReplica(replica);
      }
    }
    switch (kind) {
      case 0:
      case 1:
        cluster.StopDatabase(kind == 1);
        absl::SleepFor(absl::Milliseconds(500 + rng() % 1500));
        cluster.StartDatabase(false);
        break;
      case 2:
        cluster.OnReplica(replica, [](ServerProcess& p) { p.Kill(); });
        cluster.StartReplica(replica);
        break;
      case 3:
        cluster.OnReplica(replica, [](ServerProcess& p) { p.Terminate(absl::Seconds(30)); });
        cluster.StartReplica(replica);
        break;
      case 4:
        cluster.OnReplica(replica, [](ServerProcess& p) { p.Signal(SIGSTOP); });
        absl::SleepFor(kPause);
        cluster.OnReplica(replica, [](ServerProcess& p) { p.Signal(SIGCONT); });
        break;
    }
    if (kind >= 0) ++faults[kKinds[kind]];
    const char* what = kind >= 0 ? kKinds[kind] : kLongFreeze;
    // Every replica SERVING again by itself.
    const absl::Time fixed = absl::Now();
    for (int i = 0; i < flags.replicas; ++i) {
      bool serving = false;
      for (int t = 0; t < 300 && !serving; ++t) {
        serving = Health(cluster.Address(i)) == grpc::health::v1::HealthCheckResponse::SERVING;
        if (!serving) absl::SleepFor(absl::Milliseconds(100));
      }
      if (!serving)
        violations.push_back(absl::StrCat("replica ", i, " not SERVING 30 s after ", what));
    }
    slowest_recovery = std::max(slowest_recovery, absl::Now() - fixed);
  }
  stop_clients = true;
  for (auto& client : clients) client.join();

  // The feed: every sequence the database numbered reached the consumer.
  absl::SleepFor(absl::Seconds(1));  // the sequencer numbers the last commits
  const int64_t last_sequence = std::stoll(QueryScalar(
      cluster.url(),
      absl::StrCat("SELECT last_sequence FROM change_feed_sequences WHERE merchant_id = '",
                   merchant.merchant_id, "'")));
  feed.StopAt(last_sequence, absl::Seconds(30));
  const auto seen = feed.seen();
  int64_t missing = 0, repeated = 0;
  for (int64_t s = 1; s <= last_sequence; ++s) {
    auto it = seen.find(s);
    if (it == seen.end())
      ++missing;
    else
      repeated += it->second - 1;
  }
  if (missing > 0)
    violations.push_back(
        absl::StrCat("feed consumer missed ", missing, " of ", last_sequence, " sequences"));

  // The watcher: every event of the watched order, each once.
  std::set<int64_t> watched_events;
  {
    pqxx::connection conn(cluster.url());
    pqxx::nontransaction read(conn);
    for (const auto& row : read.exec_params("SELECT event_id FROM timeline_events WHERE "
                                            "merchant_id = $1::uuid AND order_id = 'watched'",
                                            merchant.merchant_id)) {
      watched_events.insert(row[0].as<int64_t>());
    }
  }
  watcher.StopWhenSeen(watched_events, absl::Seconds(30));
  const std::set<int64_t> watched_seen = watcher.seen();
  int watch_missing = 0;
  for (int64_t id : watched_events) watch_missing += watched_seen.count(id) == 0;
  if (watch_missing > 0) {
    violations.push_back(absl::StrCat("timeline watcher missed ", watch_missing, " of ",
                                      watched_events.size(), " events"));
  }

  // Replays: the same request_id answers what it answered.
  std::vector<Acknowledged> acks;
  {
    absl::MutexLock lock(&stats.mu);
    acks = stats.acks;
  }
  GoodClient replayer(cluster, stats, merchant.admin_key, flags.seed + 99);
  int replay_mismatches = 0;
  for (const auto& ack : acks) {
    std::string got;
    grpc::Status status;
    if (ack.method == "CreateReturn") {
      status = Replay(replayer, ack, &got, SendCreateReturn);
    } else if (ack.method == "ApproveReturn") {
      status = Replay(replayer, ack, &got, SendApproveReturn);
    } else if (ack.method == "ReceiveReturn") {
      status = Replay(replayer, ack, &got, SendReceiveReturn);
    } else if (ack.method == "RedeemExchangeToken") {
      status = Replay(replayer, ack, &got, SendRedeemExchangeToken);
    } else if (ack.method == "FileClaim") {
      status = Replay(replayer, ack, &got, SendFileClaim);
    } else {
      status = Replay(replayer, ack, &got, SendIssueExchangeToken);
      // The token string is minted anew on a replay (only its hash is stored): the token is the
      // same.
      v1::IssueExchangeTokenResponse first, again;
      first.ParseFromString(ack.response);
      again.ParseFromString(got);
      if (again.exchange_token().exchange_token_id() == first.exchange_token().exchange_token_id())
        got = ack.response;
    }
    if (!status.ok() || got != ack.response) ++replay_mismatches;
  }
  if (replay_mismatches > 0) {
    violations.push_back(absl::StrCat(
        replay_mismatches, " replays answered differently from the acknowledged response"));
  }

  // The invariants, over the whole database, with the replicas still up.
  const auto broken = CheckInvariants(cluster.url());
  for (const auto& b : broken) violations.push_back("invariant broken: " + b.name);

  std::cout << absl::StrFormat("fault run: seed %u, %d s, %d replicas, %d clients\n", flags.seed,
                               flags.seconds, flags.replicas, flags.clients);
  std::cout << "faults injected:\n";
  for (const auto& [kind, n] : faults) std::cout << absl::StrFormat("  %-48s %d\n", kind, n);
  std::cout << absl::StrFormat(
      "journeys completed %lld (%lld returned, scanned and received); carrier batches %lld (each "
      "out of order, "
      "with repeats, sent twice)\n"
      "calls %lld; acknowledged %lld; retries %lld; replays checked %zu\n"
      "feed: %lld sequences, consumer reconnected %d times, %lld delivered again (at least once), "
      "%lld missed\n"
      "watched order: %zu events, watcher reconnected %d times, %d delivered again, %d missed\n"
      "slowest return to SERVING after a fault: %s\n"
      "invariants checked %d; violations %zu\n",
      static_cast<long long>(stats.journeys.load()), static_cast<long long>(stats.received.load()),
      static_cast<long long>(stats.carrier_batches.load()),
      static_cast<long long>(stats.calls.load()), static_cast<long long>(stats.acknowledged.load()),
      static_cast<long long>(stats.retries.load()), acks.size(),
      static_cast<long long>(last_sequence), feed.reconnects(), static_cast<long long>(repeated),
      static_cast<long long>(missing), watched_events.size(), watcher.reconnects(),
      watcher.repeated(), watch_missing, absl::FormatDuration(slowest_recovery), InvariantCount(),
      violations.size());
  {
    absl::MutexLock lock(&stats.mu);
    for (const auto& [what, n] : stats.refused)
      std::cout << "  refused (not retried): " << what << " x" << n << "\n";
  }
  for (const auto& v : violations) std::cout << "VIOLATION: " << v << "\n";
  if (!broken.empty()) std::cout << Describe(broken);
  cluster.StopAll();
  cluster.StopDatabase(false);
  return violations.empty() ? 0 : 1;
}

}  // namespace
}  // namespace returns::testing

int main(int argc, char** argv) {
  returns::testing::Flags flags;
  CLI::App cli{"the service under a mixed workload and injected faults, checked afterwards"};
  cli.add_option("--seconds", flags.seconds, "how long faults are injected")->capture_default_str();
  cli.add_option("--long_freeze_seconds", flags.long_freeze_seconds,
                 "the long freeze, run first (0: none); longer than every deadline and lease")
      ->capture_default_str();
  cli.add_option("--seed", flags.seed, "the faults' and clients' random seed")
      ->capture_default_str();
  cli.add_option("--replicas", flags.replicas)->capture_default_str()->check(CLI::Range(2, 8));
  cli.add_option("--clients", flags.clients)->capture_default_str()->check(CLI::Range(1, 64));
  cli.add_option("--pg_script", flags.pg_script, "deploy/pg-local.sh")->required();
  cli.add_option("--pg_dir", flags.pg_dir, "a folder for the run's PostgreSQL cluster")->required();
  CLI11_PARSE(cli, argc, argv);
  std::cout << std::unitbuf;
  signal(SIGPIPE, SIG_IGN);
  return returns::testing::Run(flags);
}
