// Measures CreateReturn through the real returnsd against the same transaction sent straight to
// PostgreSQL with libpqxx, in alternating rounds of the same run, and prints throughput, p50,
// p99 and their ratio. Run it with deploy/bench.sh, which starts PostgreSQL and returnsd.
//
//   create_return_bench --addr 127.0.0.1:50051 --database_url URL [--clients 8] [--seconds 5]
//                       [--rounds 3] [--raw_connections 4] [--watchers 200]
//
// With --watchers N, a last phase repeats the returnsd rounds while N WatchTimeline streams are
// open on N of the orders being returned: it prints the unary latency with them next to the
// rounds without, and the live latency (CreateReturn's response -> the watcher's event).
//
// Each client returns one unit at a time, cycling over orders of its own (no lock contention
// between clients, and no single row updated thousands of times: this measures the service's
// cost per call, not queueing on one row).
#include <algorithm>
#include <atomic>
#include <set>
#include <iostream>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "app/use_cases.h"
#include "client/returns_client.h"
#include "returns/v1/order_service.grpc.pb.h"
#include "returns/v1/return_service.grpc.pb.h"
#include "sample_orders.h"
#include "timeline_watchers.h"
#include "storage/connection_pool.h"

namespace returns::bench {
namespace {

struct Result {
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int failures = 0;
};

Result Summarise(std::vector<double> latencies_ms, absl::Duration elapsed, int failures) {
  Result r;
  r.failures = failures;
  if (latencies_ms.empty()) return r;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  r.per_second = latencies_ms.size() / absl::ToDoubleSeconds(elapsed);
  r.p50_ms = latencies_ms[latencies_ms.size() / 2];
  r.p99_ms = latencies_ms[std::min(latencies_ms.size() - 1, latencies_ms.size() * 99 / 100)];
  return r;
}

// Runs `work(thread_index)` on `threads` threads for `duration`; each call returns success.
template <typename Work>
Result Drive(int threads, absl::Duration duration, Work work) {
  std::vector<std::vector<double>> latencies(threads);
  std::atomic<int> failures{0};
  const absl::Time start = absl::Now();
  const absl::Time stop = start + duration;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      while (absl::Now() < stop) {
        const absl::Time begin = absl::Now();
        const bool ok = work(t);
        const double ms = absl::ToDoubleMilliseconds(absl::Now() - begin);
        if (ok) latencies[t].push_back(ms); else ++failures;
      }
    });
  }
  for (auto& th : pool) th.join();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  return Summarise(std::move(all), absl::Now() - start, failures.load());
}

// The lines JSON that create_return.cc builds for one unit of L1, for a refund.
constexpr char kLinesJson[] =
    R"([{"position":0,"order_line_id":"L1","quantity":1,"reason":"TOO_SMALL","reason_note":"","resolution":"REFUND","replacement_sku":""}])";

// One CreateReturn transaction, statement for statement as the service runs it.
void RawCreateReturn(pqxx::connection& conn, const std::string& merchant, const std::string& order_id,
                     const std::string& request_id) {
  pqxx::work tx(conn, "CreateReturn");
  tx.exec("SET LOCAL statement_timeout = 30000");
  tx.exec_prepared("idempotency/claim_request_id", merchant, "CreateReturn", request_id,
                   std::string(64, 'f'), 86400);
  tx.exec_prepared("orders/get_return_window", merchant, order_id);
  tx.exec_prepared("orders/lock_order_lines", merchant, order_id);
  auto created = tx.exec_prepared("returns/insert_return", merchant, order_id, kLinesJson);
  const std::string return_id = created[0][0].as<std::string>();
  tx.exec_prepared("timeline/record_event", merchant, order_id, "return", return_id,
                   "return.requested", "REQUESTED", "Return requested for 1 unit(s) on 1 line(s)",
                   request_id, absl::StrCat(R"({"return_id":")", return_id, R"(","state":"REQUESTED"})"));
  tx.exec_prepared("idempotency/store_response", merchant, "CreateReturn", request_id,
                   absl::BytesToHexString(std::string(120, 'r')));
  tx.commit();
}

void Print(const std::string& label, int round, const Result& r) {
  std::cout << absl::StrFormat("round %d  %-28s %8.1f /s   p50 %6.2f ms   p99 %6.2f ms   failures %d\n",
                               round, label, r.per_second, r.p50_ms, r.p99_ms, r.failures);
}

}  // namespace
}  // namespace returns::bench

constexpr int kOrdersPerClient = 50;

std::string OrderId(const char* prefix, int i) { return prefix + std::to_string(i); }

int main(int argc, char** argv) {
  using namespace returns;
  std::string addr = "127.0.0.1:50051", database_url;
  int clients = 8, seconds = 5, rounds = 3, raw_connections = 4, watchers = 0;
  CLI::App cli{"CreateReturn through returnsd vs. the same transaction on raw PostgreSQL"};
  cli.add_option("--addr", addr)->capture_default_str();
  cli.add_option("--database_url", database_url)->required();
  cli.add_option("--clients", clients)->capture_default_str();
  cli.add_option("--seconds", seconds, "per phase per round")->capture_default_str();
  cli.add_option("--rounds", rounds)->capture_default_str();
  cli.add_option("--raw_connections", raw_connections, "match returnsd's --db_pool_size")->capture_default_str();
  cli.add_option("--watchers", watchers, "WatchTimeline streams open in a last phase (0: none)")
      ->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  // A merchant and one order per client (and per raw connection), with plenty to return.
  storage::ConnectionPool setup_pool(database_url, 1);
  auto created = app::CreateMerchant(setup_pool, "bench", false);
  if (!created.ok()) {
    std::cerr << "cannot create the bench merchant: " << created.status() << "\n";
    return 1;
  }
  const std::string merchant = created->merchant_id();
  client::ClientOptions options;
  options.address = addr;
  options.api_key = created->admin_key_secret();
  auto channel = client::MakeChannel(options);
  auto orders = v1::OrderService::NewStub(channel);
  const int order_count = std::max(clients, raw_connections);
  for (int i = 0; i < order_count * kOrdersPerClient; ++i) {
    for (const char* prefix : {"svc-", "raw-"}) {
      v1::Order order;
      auto status = orders->UpsertOrder(client::MakeContext(options).get(),
                                        testing::SampleOrder(OrderId(prefix, i), 100000), &order);
      if (!status.ok()) {
        std::cerr << "setup failed: " << client::DescribeError(status) << "\n";
        return 1;
      }
    }
  }
  std::vector<std::unique_ptr<v1::ReturnService::Stub>> stubs;
  for (int i = 0; i < clients; ++i) {
    // A channel per client, as separate storefront processes would have.
    stubs.push_back(v1::ReturnService::NewStub(client::MakeChannel(options)));
  }
  std::vector<std::unique_ptr<pqxx::connection>> raw;
  for (int i = 0; i < raw_connections; ++i) raw.push_back(storage::ConnectionPool::Connect(database_url));

  std::cout << "CreateReturn: " << clients << " gRPC clients vs " << raw_connections
            << " raw connections, " << seconds << " s per phase, " << rounds << " rounds\n";
  std::vector<int64_t> calls(std::max(clients, raw_connections), 0);
  auto next_order = [&](const char* prefix, int t) {
    return OrderId(prefix, t * kOrdersPerClient + static_cast<int>(calls[t]++ % kOrdersPerClient));
  };
  std::vector<double> ratios;
  for (int round = 1; round <= rounds; ++round) {
    bench::Result service = bench::Drive(clients, absl::Seconds(seconds), [&](int t) {
      v1::Return ret;
      v1::CreateReturnRequest request = testing::SampleReturn(next_order("svc-", t), "L1", 1);
      return stubs[t]->CreateReturn(client::MakeContext(options).get(), request, &ret).ok();
    });
    bench::Result direct = bench::Drive(raw_connections, absl::Seconds(seconds), [&](int t) {
      try {
        bench::RawCreateReturn(*raw[t], merchant, next_order("raw-", t), client::NewRequestId());
        return true;
      } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return false;
      }
    });
    bench::Print("returnsd CreateReturn", round, service);
    bench::Print("raw PostgreSQL transaction", round, direct);
    const double ratio = direct.per_second > 0 ? service.per_second / direct.per_second : 0;
    ratios.push_back(ratio);
    std::cout << absl::StrFormat("round %d  throughput ratio returnsd / raw = %.2f\n", round, ratio);
  }
  std::sort(ratios.begin(), ratios.end());
  std::cout << absl::StrFormat("median ratio %.2f (min %.2f, max %.2f)\n", ratios[ratios.size() / 2],
                               ratios.front(), ratios.back());
  if (watchers <= 0) return 0;

  // The same returnsd rounds with `watchers` timelines open: first on orders nobody writes to
  // (what holding streams costs), then on the orders being returned (what delivering costs).
  std::vector<std::string> idle;
  for (int w = 0; w < watchers; ++w) {
    idle.push_back(OrderId("idle-", w));
    v1::Order order;
    if (!orders->UpsertOrder(client::MakeContext(options).get(), testing::SampleOrder(idle.back()), &order).ok()) {
      std::cerr << "setup of idle orders failed\n";
      return 1;
    }
  }
  {
    bench::TimelineWatchers idle_watchers(options, idle);
    for (int i = 0; i < 300 && idle_watchers.open() < watchers; ++i) absl::SleepFor(absl::Milliseconds(100));
    std::cout << idle_watchers.open() << " of " << watchers << " WatchTimeline streams open on idle orders\n";
    for (int round = 1; round <= rounds; ++round) {
      bench::Result service = bench::Drive(clients, absl::Seconds(seconds), [&](int t) {
        v1::Return ret;
        v1::CreateReturnRequest request = testing::SampleReturn(next_order("svc-", t), "L1", 1);
        return stubs[t]->CreateReturn(client::MakeContext(options).get(), request, &ret).ok();
      });
      bench::Print(absl::StrCat("returnsd + ", watchers, " idle watchers"), round, service);
    }
  }
  std::vector<std::string> watched;
  for (int w = 0; w < watchers; ++w) watched.push_back(OrderId("svc-", w % (clients * kOrdersPerClient)));
  bench::TimelineWatchers open_watchers(options, watched);
  for (int i = 0; i < 300 && open_watchers.open() < watchers; ++i) absl::SleepFor(absl::Milliseconds(100));
  std::cout << open_watchers.open() << " of " << watchers
            << " WatchTimeline streams open on the orders being returned\n";
  absl::Mutex mu;
  const std::set<std::string> watched_orders(watched.begin(), watched.end());
  struct Answer {
    std::string order_id, return_id;
    absl::Time at;
  };
  std::vector<Answer> answered;
  for (int round = 1; round <= rounds; ++round) {
    bench::Result service = bench::Drive(clients, absl::Seconds(seconds), [&](int t) {
      v1::Return ret;
      v1::CreateReturnRequest request = testing::SampleReturn(next_order("svc-", t), "L1", 1);
      if (!stubs[t]->CreateReturn(client::MakeContext(options).get(), request, &ret).ok()) return false;
      absl::MutexLock lock(&mu);
      answered.push_back({request.order_id(), ret.return_id(), absl::Now()});
      return true;
    });
    bench::Print(absl::StrCat("returnsd + ", watchers, " live watchers"), round, service);
  }
  absl::SleepFor(absl::Seconds(2));  // let the last events arrive
  std::vector<double> live_ms;
  int missed = 0;
  for (const auto& a : answered) {
    if (!watched_orders.count(a.order_id)) continue;
    auto got = open_watchers.ReceivedAt(a.return_id);
    if (!got) {
      ++missed;
      continue;
    }
    live_ms.push_back(std::max(0.0, absl::ToDoubleMilliseconds(*got - a.at)));
  }
  std::sort(live_ms.begin(), live_ms.end());
  std::cout << "events on watched orders never delivered: " << missed << "\n";
  if (!live_ms.empty()) {
    std::cout << absl::StrFormat(
        "live WatchTimeline latency (response -> watcher) over %d events: p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
        static_cast<int>(live_ms.size()), live_ms[live_ms.size() / 2],
        live_ms[std::min(live_ms.size() - 1, live_ms.size() * 99 / 100)], live_ms.back());
  }
  return 0;
}
