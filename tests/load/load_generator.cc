// The load generator: drives the real returnsd over real channels with N calls outstanding
// (gRPC's callback client API: no thread per call), for a bounded time per scenario, and prints
// per scenario: calls/s, p50, p99, p99.9, errors by status code, the server's CPU per call and
// its resident memory. In the same run it measures the ceilings: pgbench with the statements the
// service executes (recorded from the use cases, tests/load/statement_script.h) at the same
// concurrency on the same database, and gRPC's own ceiling (a health check, an empty unary call),
// and prints each scenario's ratio to its ceiling. Run it with deploy/bench.sh, which starts a
// throwaway PostgreSQL and returnsd.
//
//   returns_load --addr HOST:PORT --database_url URL --server_pid PID
//                [--outstanding 1,16,64,256] [--seconds 5] [--only CreateReturn,...]
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "app/use_cases.h"
#include "client/returns_client.h"
#include "domain/exchange_token_codec.h"
#include "exchange_fixture.h"
#include "returns/v1/exchange_service.grpc.pb.h"
#include "returns/v1/inventory_service.grpc.pb.h"
#include "returns/v1/logistics_service.grpc.pb.h"
#include "returns/v1/order_service.grpc.pb.h"
#include "returns/v1/return_service.grpc.pb.h"
#include "returns/v1/timeline_service.grpc.pb.h"
#include "sample_orders.h"
#include "statement_script.h"
#include "storage/connection_pool.h"

namespace returns::bench {
namespace {

// One call to make: the method's path and the request's bytes. An empty path: nothing left.
struct Call {
  std::string method;
  std::string request;
  int key = 0;  // index into the scenario's keys
};

struct Scenario {
  std::string name;
  std::vector<std::string> keys;                    // API keys the calls use
  std::function<Call(int slot, int64_t seq)> next;  // thread-safe per slot
  std::string ceiling;                              // the ceiling to compare with, if any
  std::function<void(const grpc::ByteBuffer&)> on_response = nullptr;  // an OK answer, if wanted
};

// Tokens issued by the IssueExchangeToken runs, redeemed by the RedeemExchangeToken runs.
class TokenPool {
 public:
  void Add(std::string token) {
    std::lock_guard<std::mutex> lock(mu_);
    tokens_.push_back(std::move(token));
  }
  std::optional<std::string> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (tokens_.empty()) return std::nullopt;
    std::string token = std::move(tokens_.back());
    tokens_.pop_back();
    return token;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> tokens_;
};

struct Outcome {
  int64_t calls = 0;
  double seconds = 0;
  double p50 = 0, p99 = 0, p999 = 0;
  std::map<std::string, int64_t> errors;
  double cpu_us_per_call = 0;
  int64_t rss_kb = 0;
};

// The server's CPU time so far (user + system) and its resident memory, from /proc.
struct ServerSample {
  double cpu_seconds = 0;
  int64_t rss_kb = 0;
  int64_t peak_rss_kb = 0;
};

ServerSample SampleServer(int pid) {
  ServerSample sample;
  if (pid <= 0) return sample;
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::vector<std::string> fields = absl::StrSplit(text.substr(text.rfind(')') + 2), ' ');
  if (fields.size() > 13) {
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    sample.cpu_seconds = (std::stod(fields[11]) + std::stod(fields[12])) / ticks;
  }
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    int64_t kb = 0;
    if (absl::StartsWith(line, "VmRSS:") &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(6, line.size() - 9)), &kb)) {
      sample.rss_kb = kb;
    }
    if (absl::StartsWith(line, "VmHWM:") &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(6, line.size() - 9)), &kb)) {
      sample.peak_rss_kb = kb;
    }
  }
  return sample;
}

// gRPC's and Abseil's codes share their numbers and names.
std::string CodeName(grpc::StatusCode code) {
  return std::string(absl::StatusCodeToString(static_cast<absl::StatusCode>(code)));
}

// Keeps `outstanding` calls in flight for `duration`: each completion starts the slot's next call.
Outcome Drive(const std::vector<std::shared_ptr<grpc::Channel>>& channels, const Scenario& scenario,
              int outstanding, absl::Duration duration, int server_pid) {
  struct Slot {
    std::unique_ptr<grpc::ClientContext> context;
    grpc::ByteBuffer request, response;
    absl::Time start;
    int64_t seq = 0;
    std::vector<double> latencies_ms;
    std::map<std::string, int64_t> errors;
  };
  std::vector<Slot> slots(outstanding);
  // Sequence numbers never repeat across runs, so request ids stay unique in the whole run.
  static std::atomic<int64_t> runs{0};
  const int64_t base = ++runs * 1000000000LL;
  for (Slot& slot : slots) slot.seq = base;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (const auto& channel : channels)
    stubs.push_back(std::make_unique<grpc::GenericStub>(channel));
  std::mutex mu;
  std::condition_variable all_done;
  int running = outstanding;
  const absl::Time stop = absl::Now() + duration;
  const ServerSample before = SampleServer(server_pid);
  const absl::Time started = absl::Now();

  std::function<void(int)> issue = [&](int index) {
    Slot& slot = slots[index];
    Call call = absl::Now() < stop ? scenario.next(index, slot.seq++) : Call{};
    if (call.method.empty()) {
      std::lock_guard<std::mutex> lock(mu);
      if (--running == 0) all_done.notify_all();
      return;
    }
    client::ClientOptions options;
    options.api_key = scenario.keys[call.key];
    options.timeout = absl::Seconds(30);
    slot.context = client::MakeContext(options);
    grpc::Slice slice(call.request);
    slot.request = grpc::ByteBuffer(&slice, 1);
    slot.start = absl::Now();
    stubs[index % stubs.size()]->UnaryCall(
        slot.context.get(), call.method, grpc::StubOptions(), &slot.request, &slot.response,
        [&, index](grpc::Status status) {
          Slot& done = slots[index];
          if (status.ok()) {
            done.latencies_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - done.start));
            if (scenario.on_response) scenario.on_response(done.response);
          } else {
            ++done.errors[CodeName(status.error_code())];
          }
          issue(index);
        });
  };
  for (int i = 0; i < outstanding; ++i) issue(i);
  {
    std::unique_lock<std::mutex> lock(mu);
    all_done.wait(lock, [&] { return running == 0; });
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - started);
  const ServerSample after = SampleServer(server_pid);

  Outcome outcome;
  std::vector<double> all;
  for (auto& slot : slots) {
    all.insert(all.end(), slot.latencies_ms.begin(), slot.latencies_ms.end());
    for (const auto& [code, count] : slot.errors) outcome.errors[code] += count;
  }
  std::sort(all.begin(), all.end());
  outcome.calls = static_cast<int64_t>(all.size());
  outcome.seconds = seconds;
  auto at = [&](double q) {
    return all.empty() ? 0 : all[std::min(all.size() - 1, static_cast<size_t>(all.size() * q))];
  };
  outcome.p50 = at(0.5);
  outcome.p99 = at(0.99);
  outcome.p999 = at(0.999);
  int64_t finished = outcome.calls;
  for (const auto& [code, count] : outcome.errors) finished += count;
  outcome.cpu_us_per_call =
      finished > 0 ? (after.cpu_seconds - before.cpu_seconds) * 1e6 / finished : 0;
  outcome.rss_kb = after.rss_kb;
  return outcome;
}

std::string Serialize(const google::protobuf::Message& message) {
  return message.SerializeAsString();
}

// One open WatchTimeline stream held by the callback client (no thread per stream).
class Watcher : public grpc::ClientReadReactor<v1::TimelineEvent> {
 public:
  Watcher(v1::TimelineService::Stub* stub, const std::string& key, const std::string& order_id,
          std::atomic<int>* live, std::atomic<int>* ended)
      : live_(live), ended_(ended) {
    client::ClientOptions options;
    options.api_key = key;
    options.timeout = absl::Hours(1);
    context_ = client::MakeContext(options);
    request_.set_order_id(order_id);
    stub->async()->WatchTimeline(context_.get(), &request_, this);
    StartRead(&event_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (!counted_) {
      counted_ = true;
      ++*live_;
    }
    last_event_us_ = absl::ToUnixMicros(absl::Now());
    ++events_;
    StartRead(&event_);
  }
  int events() const { return events_.load(); }
  int64_t last_event_us() const { return last_event_us_.load(); }
  void OnDone(const grpc::Status& status) override {
    status_ = status;
    ++*ended_;
  }
  void Cancel() { context_->TryCancel(); }
  const grpc::Status& status() const { return status_; }

 private:
  std::unique_ptr<grpc::ClientContext> context_;
  v1::WatchTimelineRequest request_;
  v1::TimelineEvent event_;
  std::atomic<int>* live_;
  std::atomic<int>* ended_;
  bool counted_ = false;
  std::atomic<int> events_{0};
  std::atomic<int64_t> last_event_us_{0};
  grpc::Status status_;
};

// Setup must succeed: a failed call ends the run with its reason.
void Must(const grpc::Status& status, const std::string& what) {
  if (!status.ok()) throw std::runtime_error(what + ": " + client::DescribeError(status));
}

}  // namespace
}  // namespace returns::bench

int main(int argc, char** argv) {
  using namespace returns;
  using namespace returns::bench;
  std::string addr, database_url, outstanding_list = "1,16,64,256", only;
  int seconds = 5, server_pid = 0;
  CLI::App cli{
      "load generator: scenarios through returnsd against their PostgreSQL and gRPC ceilings"};
  cli.add_option("--addr", addr)->required();
  cli.add_option("--database_url", database_url)->required();
  cli.add_option("--server_pid", server_pid, "returnsd's pid, for CPU per call and memory");
  cli.add_option("--outstanding", outstanding_list, "calls in flight, per scenario run")
      ->capture_default_str();
  cli.add_option("--seconds", seconds, "per scenario and concurrency")->capture_default_str();
  cli.add_option("--only", only, "comma-separated scenario names (default: all)");
  int watchers = 0;
  cli.add_option("--watchers", watchers,
                 "open this many WatchTimeline streams: memory per stream, and GetTimeline's p99 "
                 "with them open");
  int watcher_rounds = 1;
  cli.add_option("--watcher_rounds", watcher_rounds, "open and close the watchers this many times");
  std::string scripts_dir;
  cli.add_option("--scripts_dir", scripts_dir, "also write the pgbench scripts here");
  int soak_rounds = 0;
  cli.add_option("--soak_rounds", soak_rounds,
                 "instead of the ceilings and scenarios: the mixed storefront this many times "
                 "(--seconds each, at "
                 "the first --outstanding), printing memory, connections, latency and queues after "
                 "each round");
  CLI11_PARSE(cli, argc, argv);
  std::cout << std::unitbuf;  // each line as it is printed, also into a file or a pipe
  std::vector<int> outstanding;
  for (absl::string_view n : absl::StrSplit(outstanding_list, ','))
    outstanding.push_back(std::stoi(std::string(n)));
  const int max_outstanding = *std::max_element(outstanding.begin(), outstanding.end());

  try {
    // Merchants: one for most scenarios, sixteen for the spread-out CreateReturn.
    storage::ConnectionPool pool(database_url, 2);
    std::vector<std::string> merchant_ids, keys;
    for (int m = 0; m < 17; ++m) {
      auto created = app::CreateMerchant(pool, absl::StrCat("load-", m), false);
      if (!created.ok()) throw std::runtime_error(std::string(created.status().message()));
      merchant_ids.push_back(created->merchant_id());
      keys.push_back(created->admin_key_secret());
    }
    client::ClientOptions options;
    options.address = addr;
    options.api_key = keys[0];
    options.timeout = absl::Seconds(60);
    auto setup_channel = client::MakeChannel(options);
    auto orders = v1::OrderService::NewStub(setup_channel);
    auto returns_stub = v1::ReturnService::NewStub(setup_channel);
    auto exchanges = v1::ExchangeService::NewStub(setup_channel);
    auto as = [&](int merchant) {
      client::ClientOptions o = options;
      o.api_key = keys[merchant];
      return o;
    };
    auto upsert = [&](int merchant, const v1::UpsertOrderRequest& request) {
      v1::Order order;
      Must(v1::OrderService::NewStub(setup_channel)
               ->UpsertOrder(client::MakeContext(as(merchant)).get(), request, &order),
           "setup UpsertOrder");
    };
    std::cout << "setting up..." << std::endl;
    // CreateReturn: an order per slot and merchant, 100000 units to return one at a time.
    for (int m = 0; m < 17; ++m) {
      for (int s = 0; s < max_outstanding; ++s) {
        if (m > 0 && s % 16 != m - 1) continue;  // spread: each of the 16 merchants gets its share
        upsert(m, testing::SampleOrder(absl::StrCat("cr-", s), 100000));
      }
    }
    // IssueExchangeToken: returns of 100 exchange lines each, and stock for the replacements.
    v1::SetInventoryLevelsResponse levels;
    Must(v1::InventoryService::NewStub(setup_channel)
             ->SetInventoryLevels(client::MakeContext(options).get(),
                                  testing::ReplacementStock(1000000000), &levels),
         "setup stock");
    // Enough fresh lines for every IssueExchangeToken run (about 700 tokens a second here), and
    // at least one L98/L99 pair per two slots for the replays.
    const int exchange_returns = std::clamp(
        std::max(max_outstanding / 2, seconds * 7 * static_cast<int>(outstanding.size())), 8, 256);
    std::vector<std::string> exchange_return_ids;
    for (int r = 0; r < exchange_returns; ++r) {
      upsert(0, testing::ExchangeOrder(absl::StrCat("ex-", r), 100));
      v1::Return ret;
      Must(returns_stub->CreateReturn(client::MakeContext(options).get(),
                                      testing::ExchangeReturn(absl::StrCat("ex-", r), 100), &ret),
           "setup exchange return");
      exchange_return_ids.push_back(ret.return_id());
    }
    std::atomic<int64_t> next_line{0};
    // Replays: one issued token per slot, its request sent again and again.
    std::vector<std::string> replays;
    for (int s = 0; s < max_outstanding; ++s) {
      auto request = testing::IssueRequest(exchange_return_ids[s % exchange_returns], 0);
      request.set_order_line_id(absl::StrCat("L", 99 - s / exchange_returns));
      v1::IssueExchangeTokenResponse issued;
      Must(exchanges->IssueExchangeToken(client::MakeContext(options).get(), request, &issued),
           "setup token");
      replays.push_back(Serialize(request));
    }
    // GetTimeline: orders with a few events each.
    for (int s = 0; s < 16; ++s) upsert(0, testing::SampleOrder(absl::StrCat("tl-", s), 10));
    for (int s = 0; s < 16; ++s) {
      for (int r = 0; r < 3; ++r) {
        v1::Return ret;
        Must(returns_stub->CreateReturn(client::MakeContext(options).get(),
                                        testing::SampleReturn(absl::StrCat("tl-", s), "L1", 1),
                                        &ret),
             "setup timeline");
      }
    }

    // RecordCarrierEvents: sixteen approved returns, whose labels the sandbox carrier issues.
    std::vector<std::string> tracking_numbers;
    {
      std::vector<std::string> approved;
      for (int s = 0; s < 16; ++s) {
        upsert(0, testing::SampleOrder(absl::StrCat("lb-", s), 2));
        v1::Return ret;
        Must(returns_stub->CreateReturn(client::MakeContext(options).get(),
                                        testing::SampleReturn(absl::StrCat("lb-", s), "L1", 1),
                                        &ret),
             "setup label return");
        v1::ApproveReturnRequest approve;
        approve.set_request_id(absl::StrCat("approve-", ret.return_id()));
        approve.set_return_id(ret.return_id());
        v1::Return out;
        Must(returns_stub->ApproveReturn(client::MakeContext(options).get(), approve, &out),
             "setup approve");
        approved.push_back(ret.return_id());
      }
      auto logistics = v1::LogisticsService::NewStub(setup_channel);
      const absl::Time give_up = absl::Now() + absl::Seconds(60);
      while (tracking_numbers.size() < approved.size() && absl::Now() < give_up) {
        tracking_numbers.clear();
        for (const auto& return_id : approved) {
          v1::ListShipmentsRequest list;
          list.set_return_id(return_id);
          v1::ListShipmentsResponse shipments;
          Must(logistics->ListShipments(client::MakeContext(options).get(), list, &shipments),
               "setup labels");
          for (const auto& shipment : shipments.shipments()) {
            if (!shipment.tracking_number().empty())
              tracking_numbers.push_back(shipment.tracking_number());
          }
        }
        if (tracking_numbers.size() < approved.size()) absl::SleepFor(absl::Milliseconds(200));
      }
      if (tracking_numbers.empty()) throw std::runtime_error("no labels were issued");
    }
    TokenPool tokens;
    const std::string run_id = absl::StrCat(absl::ToUnixMicros(absl::Now()));
    auto rid = [&](int slot, int64_t seq) {
      return absl::StrCat("load-", run_id, "-", slot, "-", seq);
    };
    std::vector<Scenario> scenarios;
    scenarios.push_back({"empty call (health)",
                         {keys[0]},
                         [](int, int64_t) {
                           return Call{"/grpc.health.v1.Health/Check", "", 0};
                         },
                         ""});
    scenarios.push_back(
        {"UpsertOrder",
         {keys[0]},
         [&](int slot, int64_t seq) {
           auto request = testing::SampleOrder(absl::StrCat("up-", run_id, "-", slot, "-", seq));
           request.set_request_id(rid(slot, seq));
           return Call{"/returns.v1.OrderService/UpsertOrder", Serialize(request), 0};
         },
         ""});
    scenarios.push_back(
        {"CreateReturn",
         {keys[0]},
         [&](int slot, int64_t seq) {
           auto request = testing::SampleReturn(absl::StrCat("cr-", slot), "L1", 1);
           request.set_request_id(rid(slot, seq));
           return Call{"/returns.v1.ReturnService/CreateReturn", Serialize(request), 0};
         },
         "CreateReturn"});
    scenarios.push_back(
        {"CreateReturn, 16 merchants", std::vector<std::string>(keys.begin() + 1, keys.end()),
         [&](int slot, int64_t seq) {
           auto request = testing::SampleReturn(absl::StrCat("cr-", slot), "L1", 1);
           request.set_request_id(rid(slot, seq));
           return Call{"/returns.v1.ReturnService/CreateReturn", Serialize(request), slot % 16};
         },
         "CreateReturn"});
    scenarios.push_back(
        {"IssueExchangeToken",
         {keys[0]},
         [&](int slot, int64_t seq) {
           // Lines L0..L(98-) of the returns, each once (the replays hold the last ones).
           const int64_t n = next_line++;
           const int64_t line = n / exchange_returns;
           if (line >= 97) return Call{};  // L97: the ceiling's recording; L98, L99: the replays
           auto request = testing::IssueRequest(exchange_return_ids[n % exchange_returns], 0);
           request.set_order_line_id(absl::StrCat("L", line));
           request.set_request_id(rid(slot, seq));
           return Call{"/returns.v1.ExchangeService/IssueExchangeToken", Serialize(request), 0};
         },
         "IssueExchangeToken",
         [&](const grpc::ByteBuffer& bytes) {
           grpc::Slice slice;
           v1::IssueExchangeTokenResponse issued;
           if (bytes.DumpToSingleSlice(&slice).ok() &&
               issued.ParseFromArray(slice.begin(), static_cast<int>(slice.size()))) {
             tokens.Add(issued.token());
           }
         }});
    scenarios.push_back(
        {"IssueExchangeToken replay",
         {keys[0]},
         [&](int slot, int64_t) {
           return Call{"/returns.v1.ExchangeService/IssueExchangeToken", replays[slot], 0};
         },
         ""});
    scenarios.push_back(
        {"RedeemExchangeToken",
         {keys[0]},
         [&](int slot, int64_t seq) {
           // The tokens the IssueExchangeToken runs issued, each redeemed once.
           std::optional<std::string> token = tokens.Take();
           if (!token.has_value()) return Call{};
           v1::RedeemExchangeTokenRequest request;
           request.set_request_id(rid(slot, seq));
           request.set_token(*token);
           return Call{"/returns.v1.ExchangeService/RedeemExchangeToken", Serialize(request), 0};
         },
         ""});
    scenarios.push_back(
        {"RecordCarrierEvents x100",
         {keys[0]},
         [&](int slot, int64_t seq) {
           // 100 scans of one of the labels, each new.
           v1::RecordCarrierEventsRequest request;
           const std::string& tracking = tracking_numbers[slot % tracking_numbers.size()];
           for (int e = 0; e < 100; ++e) {
             v1::CarrierEvent* event = request.add_events();
             event->set_carrier("sandbox");
             event->set_tracking_number(tracking);
             event->set_event_id(absl::StrCat(rid(slot, seq), "-", e));
             event->set_code(v1::CARRIER_EVENT_CODE_IN_TRANSIT);
             event->mutable_event_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 3600);
             event->set_location("Hub");
           }
           return Call{"/returns.v1.LogisticsService/RecordCarrierEvents", Serialize(request), 0};
         },
         ""});
    scenarios.push_back(
        {"GetTimeline (20)",
         {keys[0]},
         [&](int slot, int64_t) {
           v1::GetTimelineRequest request;
           request.set_order_id(absl::StrCat("tl-", slot % 16));
           request.set_page_size(20);
           return Call{"/returns.v1.TimelineService/GetTimeline", Serialize(request), 0};
         },
         "GetTimeline"});
    scenarios.push_back(
        {"mixed storefront",
         {keys[0]},
         [&](int slot, int64_t seq) {
           switch (seq % 10) {
             case 0:
             case 1:
             case 2: {
               v1::GetOrderRequest request;
               request.set_order_id(absl::StrCat("cr-", slot));
               return Call{"/returns.v1.OrderService/GetOrder", Serialize(request), 0};
             }
             case 3:
             case 4: {
               v1::GetTimelineRequest request;
               request.set_order_id(absl::StrCat("tl-", slot % 16));
               request.set_page_size(20);
               return Call{"/returns.v1.TimelineService/GetTimeline", Serialize(request), 0};
             }
             case 5:
             case 6:
             case 7: {
               auto request =
                   testing::SampleOrder(absl::StrCat("mx-", run_id, "-", slot, "-", seq));
               request.set_request_id(rid(slot, seq));
               return Call{"/returns.v1.OrderService/UpsertOrder", Serialize(request), 0};
             }
             default: {
               auto request = testing::SampleReturn(absl::StrCat("cr-", slot), "L1", 1);
               request.set_request_id(rid(slot, seq));
               return Call{"/returns.v1.ReturnService/CreateReturn", Serialize(request), 0};
             }
           }
         },
         ""});

    // The ceilings' scripts: each use case run once in-process, recorded.
    // Recorded on one warm connection, as the service runs in steady state (a connection's first
    // use sets its statement_timeout; later ones mostly do not).
    Recording recording;
    storage::PoolOptions record_options;
    record_options.recorder = recording.recorder();
    storage::ConnectionPool record_pool(database_url, 1, record_options);
    app::AppContext app;
    app.pool = &record_pool;
    app.page_token_secret = "the load generator's page tokens";
    std::map<std::string, std::string> scripts;
    std::vector<storage::RecordedStatement> issue_recording;
    std::string issue_token_id, issue_return_id;
    {
      upsert(0, testing::SampleOrder("900000", 100000));
      for (int c = 0; c < max_outstanding; ++c)
        upsert(0, testing::SampleOrder(absl::StrCat(900001 + c), 100000));
      app::CallContext call;
      call.merchant_id = merchant_ids[0];
      call.deadline = absl::Now() + absl::Seconds(30);
      call.request_id = "ceiling-request-id";
      v1::CreateReturnRequest request = testing::SampleReturn("900000", "L1", 1);
      v1::Return ret;
      request.set_request_id("ceiling-warm-up");
      call.request_id = request.request_id();
      if (!app::CreateReturn(app, call, request, &ret).ok())
        throw std::runtime_error("warm-up failed");
      call.request_id = "ceiling-request-id";
      request.set_request_id(call.request_id);
      auto recorded = recording.Record([&] {
        // What every call does first: authenticate its key (api/call_runner.cc).
        if (!app::AuthenticateApiKey(app, "Bearer " + keys[0], call.deadline).ok()) {
          throw std::runtime_error("cannot authenticate");
        }
        absl::Status status = app::CreateReturn(app, call, request, &ret);
        if (!status.ok()) throw std::runtime_error(std::string(status.message()));
      });
      scripts["CreateReturn"] = PgbenchScript(
          recorded, {{"ceiling-request-id", "rid"}, {"900000", "oid"}},
          {"\\set rid random(1, 9000000000000000000)", "\\set oid 900001 + :client_id"});
    }
    {
      app::CallContext call;
      call.merchant_id = merchant_ids[0];
      call.deadline = absl::Now() + absl::Seconds(30);
      v1::GetTimelineRequest request;
      request.set_order_id("tl-0");
      request.set_page_size(20);
      v1::GetTimelineResponse response;
      if (!app::GetTimeline(app, call, request, &response).ok())
        throw std::runtime_error("warm-up failed");
      response.Clear();
      auto recorded = recording.Record([&] {
        if (!app::AuthenticateApiKey(app, "Bearer " + keys[0], call.deadline).ok()) {
          throw std::runtime_error("cannot authenticate");
        }
        absl::Status status = app::GetTimeline(app, call, request, &response);
        if (!status.ok()) throw std::runtime_error(std::string(status.message()));
      });
      scripts["GetTimeline"] = PgbenchScript(recorded, {}, {});
    }

    {
      // IssueExchangeToken on a return line of its own per transaction: the line, the token's id
      // and its hash must be new each time (one live token per line; both are unique), so the
      // script first takes them with one extra statement (\gset), which the service does not
      // run: this ceiling is a little lower than the true one, the ratio a little kinder.
      auto codec = ExchangeTokenCodec::Create({{"load", std::string(32, 'k')}});
      app.token_codec = &*codec;
      app::CallContext call;
      call.merchant_id = merchant_ids[0];
      call.deadline = absl::Now() + absl::Seconds(30);
      v1::IssueExchangeTokenRequest request = testing::IssueRequest(exchange_return_ids[0], 0);
      request.set_order_line_id("L99");
      request.set_request_id("ceiling-issue-warm-up");
      call.request_id = request.request_id();
      v1::IssueExchangeTokenResponse issued;
      absl::Status warm = app::IssueExchangeToken(app, call, request, &issued);
      (void)warm;  // L99 may hold a replay's token already; only the connection needs warming
      request = testing::IssueRequest(exchange_return_ids[1 % exchange_returns], 0);
      request.set_order_line_id("L97");
      request.set_request_id("ceiling-issue-request-id");
      call.request_id = request.request_id();
      issued.Clear();
      auto recorded = recording.Record([&] {
        if (!app::AuthenticateApiKey(app, "Bearer " + keys[0], call.deadline).ok()) {
          throw std::runtime_error("cannot authenticate");
        }
        absl::Status status = app::IssueExchangeToken(app, call, request, &issued);
        if (!status.ok()) throw std::runtime_error(std::string(status.message()));
      });
      std::cout << "recorded IssueExchangeToken: " << recorded.size() << " statements\n";
      issue_recording = recorded;
      issue_token_id = issued.exchange_token().exchange_token_id();
      issue_return_id = exchange_return_ids[1 % exchange_returns];
      app.token_codec = nullptr;
    }
    {
      // Its own pool of fresh return lines, numbered, for the \gset that starts each transaction.
      const int ceiling_returns =
          std::clamp(seconds * 12 * static_cast<int>(outstanding.size()), 4, 240);
      auto connection = storage::ConnectionPool::Connect(database_url);
      pqxx::work tx(*connection);
      tx.exec(
          "CREATE TABLE load_ceiling_lines (n bigint PRIMARY KEY, return_id text, line_id text)");
      tx.exec("CREATE SEQUENCE load_ceiling_next");
      int64_t n = 0;
      for (int r = 0; r < ceiling_returns; ++r) {
        upsert(0, testing::ExchangeOrder(absl::StrCat("ce-", r), 100));
        v1::Return ret;
        Must(returns_stub->CreateReturn(client::MakeContext(options).get(),
                                        testing::ExchangeReturn(absl::StrCat("ce-", r), 100), &ret),
             "setup ceiling return");
        for (int line = 0; line < 100; ++line) {
          tx.exec_params("INSERT INTO load_ceiling_lines VALUES ($1, $2, $3)", ++n, ret.return_id(),
                         absl::StrCat("L", line));
        }
      }
      tx.commit();
      std::string token_hash;
      for (const auto& statement : issue_recording) {
        if (statement.name == sql::kExchangeTokensInsertExchangeToken.name())
          token_hash = statement.params.at(1).value_or("");
      }
      scripts["IssueExchangeToken"] = PgbenchScript(
          issue_recording,
          {{"ceiling-issue-request-id", "rid"},
           {issue_return_id, "ret"},
           {"L97", "line"},
           {token_hash, "th"}},
          {"\\set rid random(1, 9000000000000000000)",
           "SELECT return_id AS ret, line_id AS line, md5(random()::text) || md5(random()::text) "
           "AS th "
           "FROM load_ceiling_lines WHERE n = (SELECT nextval('load_ceiling_next')) \\gset"});
    }
    if (!scripts_dir.empty()) {
      for (const auto& [name, script] : scripts)
        std::ofstream(scripts_dir + "/" + name + ".sql") << script;
    }
    std::vector<std::shared_ptr<grpc::Channel>> channels;
    for (int i = 0; i < 4; ++i) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL,
                  1);  // four connections, as several clients would have
      channels.push_back(grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(), args));
    }
    std::cout << absl::StrFormat("%-28s %5s %9s %8s %8s %8s %9s %8s %7s  %s\n", "scenario", "out",
                                 "calls/s", "p50 ms", "p99 ms", "p99.9", "cpu us", "rss MB",
                                 "ceiling", "errors");
    if (soak_rounds > 0) {
      const Scenario& mixed =
          *std::find_if(scenarios.begin(), scenarios.end(),
                        [](const Scenario& s) { return s.name == "mixed storefront"; });
      pqxx::connection db(database_url);
      auto count = [&](const std::string& sql) {
        pqxx::nontransaction read(db);
        return read.exec(sql)[0][0].as<int64_t>();
      };
      std::cout << absl::StrFormat("%-6s %9s %8s %8s %8s %11s %12s %13s %12s\n", "round", "calls/s",
                                   "p50 ms", "p99 ms", "rss MB", "db conns", "jobs waiting",
                                   "feed pending", "errors");
      std::vector<Outcome> rounds;
      for (int round = 1; round <= soak_rounds; ++round) {
        Outcome o = Drive(channels, mixed, outstanding[0], absl::Seconds(seconds), server_pid);
        int64_t errors = 0;
        for (const auto& [code, n] : o.errors) errors += n;
        std::cout << absl::StrFormat(
            "%-6d %9.0f %8.2f %8.2f %8.1f %11d %12d %13d %12d\n", round,
            o.seconds > 0 ? o.calls / o.seconds : 0, o.p50, o.p99, o.rss_kb / 1024.0,
            count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"),
            count("SELECT count(*) FROM jobs WHERE state IN ('PENDING', 'RUNNING')"),
            count("SELECT count(*) FROM outbox_pending"), errors);
        rounds.push_back(o);
      }
      std::cout << absl::StrFormat(
          "soak: rss %.1f -> %.1f MB, p99 %.2f -> %.2f ms over %d rounds of %d s\n",
          rounds.front().rss_kb / 1024.0, rounds.back().rss_kb / 1024.0, rounds.front().p99,
          rounds.back().p99, soak_rounds, seconds);
      return 0;
    }
    std::map<std::pair<std::string, int>, double> ceilings;
    for (const auto& [name, script] : scripts) {
      for (int n : outstanding) {
        if (n > 90) {  // PostgreSQL's max_connections is 100, and returnsd holds a few
          std::cout << absl::StrFormat("%-28s %5d %9s  (more clients than max_connections)\n",
                                       "pgbench " + name, n, "n/a");
          continue;
        }
        PgbenchResult r = RunPgbench(database_url, script, n, seconds);
        if (!r.error.empty())
          std::cerr << "pgbench " << name << ": " << r.error.substr(0, 2000) << "\n";
        ceilings[{name, n}] = r.tps;
        std::cout << absl::StrFormat("%-28s %5d %9.0f %8.2f %8s %8s %9s %8s %7s\n",
                                     "pgbench " + name, n, r.tps, r.latency_ms, "-", "-", "-", "-",
                                     "-")
                  << std::flush;
      }
    }
    for (const auto& scenario : scenarios) {
      if (!only.empty() &&
          !absl::StrContains(absl::StrCat(",", only, ","), absl::StrCat(",", scenario.name, ",")))
        continue;
      for (int n : outstanding) {
        Outcome o = Drive(channels, scenario, n, absl::Seconds(seconds), server_pid);
        const double rate = o.seconds > 0 ? o.calls / o.seconds : 0;
        std::string errors;
        for (const auto& [code, count] : o.errors) absl::StrAppend(&errors, code, "=", count, " ");
        std::string ratio = "-";
        if (auto it = ceilings.find({scenario.ceiling, n});
            it != ceilings.end() && it->second > 0) {
          ratio = absl::StrFormat("%.2f", rate / it->second);
        }
        std::cout << absl::StrFormat("%-28s %5d %9.0f %8.2f %8.2f %8.2f %9.0f %8.1f %7s  %s\n",
                                     scenario.name, n, rate, o.p50, o.p99, o.p999,
                                     o.cpu_us_per_call, o.rss_kb / 1024.0, ratio, errors)
                  << std::flush;
      }
    }
    for (int round = 1; watchers > 0 && round <= watcher_rounds; ++round) {
      // Memory per open stream, and a unary scenario's latency with them open and without;
      // repeated, memory must not grow from round to round.
      const Scenario& timeline =
          *std::find_if(scenarios.begin(), scenarios.end(),
                        [](const Scenario& s) { return s.name == "GetTimeline (20)"; });
      const Outcome without = Drive(channels, timeline, 16, absl::Seconds(seconds), server_pid);
      const ServerSample idle = SampleServer(server_pid);
      std::vector<std::unique_ptr<v1::TimelineService::Stub>> stubs;
      for (const auto& channel : channels) stubs.push_back(v1::TimelineService::NewStub(channel));
      std::atomic<int> live{0}, ended{0};
      std::vector<std::unique_ptr<Watcher>> open;
      const absl::Time opening = absl::Now();
      for (int i = 0; i < watchers; ++i) {
        open.push_back(std::make_unique<Watcher>(stubs[i % stubs.size()].get(), keys[0],
                                                 absl::StrCat("tl-", i % 16), &live, &ended));
        if (i % 500 == 499)
          absl::SleepFor(absl::Milliseconds(50));  // a stream of connections, not one burst
      }
      while (live + ended < watchers && absl::Now() - opening < absl::Seconds(120))
        absl::SleepFor(absl::Milliseconds(100));
      absl::SleepFor(absl::Seconds(1));
      const ServerSample with_streams = SampleServer(server_pid);
      // Live latency: a return opened on a watched order, from CreateReturn's answer to each of
      // that order's watchers receiving the event.
      std::vector<double> delivery_ms;
      for (int k = 0; k < 16; ++k) {
        const std::string order_id = absl::StrCat("tl-", k);
        std::vector<std::pair<Watcher*, int>> watching;
        for (int i = k; i < watchers; i += 16)
          watching.push_back({open[i].get(), open[i]->events()});
        v1::Return ret;
        auto request = testing::SampleReturn(order_id, "L1", 1);
        request.set_request_id(absl::StrCat("watch-", run_id, "-", round, "-", k));
        grpc::Status created =
            returns_stub->CreateReturn(client::MakeContext(options).get(), request, &ret);
        if (!created.ok()) break;  // the order has nothing left to return
        const int64_t answered_us = absl::ToUnixMicros(absl::Now());
        const absl::Time give_up = absl::Now() + absl::Seconds(10);
        for (auto& [watcher, before] : watching) {
          while (watcher->events() <= before && absl::Now() < give_up)
            absl::SleepFor(absl::Milliseconds(1));
          if (watcher->events() > before) {
            delivery_ms.push_back(std::max<int64_t>(0, watcher->last_event_us() - answered_us) /
                                  1000.0);
          }
        }
      }
      std::sort(delivery_ms.begin(), delivery_ms.end());
      auto pct = [&](double q) {
        return delivery_ms.empty()
                   ? 0.0
                   : delivery_ms[std::min(delivery_ms.size() - 1,
                                          static_cast<size_t>(delivery_ms.size() * q))];
      };
      std::cout << absl::StrFormat(
          "live latency (CreateReturn's answer -> each watcher of the order): "
          "%zu deliveries, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
          delivery_ms.size(), pct(0.5), pct(0.99), pct(1.0));
      const Outcome with = Drive(channels, timeline, 16, absl::Seconds(seconds), server_pid);
      for (auto& watcher : open) watcher->Cancel();
      while (ended < watchers && absl::Now() - opening < absl::Seconds(300))
        absl::SleepFor(absl::Milliseconds(100));
      absl::SleepFor(absl::Seconds(1));
      const ServerSample after = SampleServer(server_pid);
      std::map<std::string, int> endings;
      for (auto& watcher : open) ++endings[CodeName(watcher->status().error_code())];
      std::string ended_as;
      for (const auto& [code, count] : endings) absl::StrAppend(&ended_as, code, "=", count, " ");
      std::cout << absl::StrFormat(
          "watchers round %d: %d of %d live in %.1f s; RSS %.1f MB idle, %.1f MB with them open "
          "(%.0f bytes per "
          "stream), %.1f MB after they closed; ended %s\n"
          "GetTimeline at 16 without streams: %.0f calls/s, p99 %.2f ms; with %d open: %.0f "
          "calls/s, "
          "p99 %.2f ms (x%.2f)\n",
          round, live.load(), watchers, absl::ToDoubleSeconds(absl::Now() - opening),
          idle.rss_kb / 1024.0, with_streams.rss_kb / 1024.0,
          (with_streams.rss_kb - idle.rss_kb) * 1024.0 / std::max(1, live.load()),
          after.rss_kb / 1024.0, ended_as, without.calls / without.seconds, without.p99, watchers,
          with.calls / with.seconds, with.p99, without.p99 > 0 ? with.p99 / without.p99 : 0);
    }
    const ServerSample end = SampleServer(server_pid);
    std::cout << absl::StrFormat("returnsd peak RSS %.1f MB\n", end.peak_rss_kb / 1024.0);
  } catch (const std::exception& e) {
    std::cerr << "returns_load: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
