// The GetKpis benchmark (docs/kpis.md, docs/performance.md): one merchant seeded with N returns
// (default 1,000,000) spread over the last 365 days - with their orders, resolutions, labels,
// tokens and claims - then GetKpis for the last 90 days through returnsd: the first (cold) call
// that writes the rollups, then warm calls (p50/p99), for the merchant and for one SKU, next to
// the raw PostgreSQL statements that read the same rollups and to the same figures computed
// from the base tables without them.
//   deploy/kpis-bench.sh [--returns N] [--calls N]
#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "app/use_cases.h"
#include "client/returns_client.h"
#include "returns/v1/analytics_service.grpc.pb.h"
#include "storage/connection_pool.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Latencies {
  std::vector<double> ms;
  double Percentile(double p) {
    std::sort(ms.begin(), ms.end());
    return ms.empty() ? 0
                      : ms[std::min(ms.size() - 1,
                                    static_cast<size_t>(p * static_cast<double>(ms.size())))];
  }
};

// Row i of n at (n - i) / n x 365 days ago: chronological, as a real merchant's rows are
// inserted (so a day's rows share pages, as they would).
std::string Spread(const std::string& i, int64_t n) {
  return absl::StrCat("now() - (", n, " - ", i, ") * (31536000.0 / ", n, ") * interval '1 second'");
}

// Seeds in one transaction per table, with generate_series: orders (1.25 per return, two lines
// each of 200 SKUs), returns (90% resolved after 1 hour to 20 days), return lines, labels for
// half the returns, tokens for a tenth (70% settled) and claims for one order in fifty.
void Seed(pqxx::connection& db, const std::string& merchant, int64_t returns) {
  const int64_t orders = returns + returns / 4;
  const std::string m = db.quote(merchant);
  auto run = [&](const std::string& what, const std::string& sql) {
    const auto start = Clock::now();
    pqxx::work tx(db);
    tx.exec0(sql);
    tx.commit();
    std::cout << absl::StrFormat("  seeded %-14s %8.1f s\n", what, Ms(Clock::now() - start) / 1000);
  };
  run("orders", absl::StrCat("INSERT INTO orders (merchant_id, order_id, customer_id, "
                             "currency_code, order_time, delivered_time, "
                             "content_hash, create_time, update_time) "
                             "SELECT ",
                             m,
                             ", 'o' || i, 'c' || (i % 50000), 'EUR', t - interval '5 days', t - "
                             "interval '2 days', '', t, t "
                             "FROM (SELECT i, ",
                             Spread("i", orders),
                             " AS t "
                             "FROM generate_series(1, ",
                             orders, ") i) s"));
  run("order lines",
      absl::StrCat(
          "INSERT INTO order_lines (merchant_id, order_id, line_id, position, sku, quantity, "
          "unit_price_minor, "
          "returned_quantity) "
          "SELECT ",
          m,
          ", 'o' || i, 'L' || l, l, 'SKU-' || ((i * 7 + l * 13) % 200), 2, 1000 + (i % 50) * 100, "
          "CASE WHEN l = 1 AND i <= ",
          returns,
          " THEN 1 ELSE 0 END "
          "FROM generate_series(1, ",
          orders, ") i, generate_series(1, 2) l"));
  run("returns",
      absl::StrCat(
          "INSERT INTO returns (merchant_id, return_id, order_id, state, currency_code, "
          "create_time, update_time, "
          "resolve_time, refund_minor, fees_minor, policy_version) "
          "SELECT ",
          m, ", md5(", m,
          " || i)::uuid, 'o' || i, CASE WHEN is_open THEN 'REQUESTED' ELSE 'RESOLVED' END, "
          "'EUR', t, t, CASE WHEN is_open THEN NULL ELSE r END, CASE WHEN is_open THEN 0 ELSE 900 "
          "END, "
          "CASE WHEN is_open THEN 0 ELSE 300 END, 1 "
          "FROM (SELECT i, t, r, i % 10 = 0 OR r > now() AS is_open FROM (SELECT i, t, "
          "t + (3600 + (i::bigint * 7919) % 1728000) * interval '1 second' AS r "
          "FROM (SELECT i, ",
          Spread("i", returns),
          " AS t "
          "FROM generate_series(1, ",
          returns, ") i) a) b) s"));
  run("return lines",
      absl::StrCat(
          "INSERT INTO return_lines (merchant_id, return_id, position, order_id, order_line_id, "
          "quantity, reason, "
          "resolution, replacement_sku, unit_price_minor, refund_minor, condition) "
          "SELECT ",
          m, ", md5(", m,
          " || i)::uuid, 0, 'o' || i, 'L1', 1, 'TOO_SMALL', "
          "(ARRAY['REFUND', 'STORE_CREDIT', 'EXCHANGE'])[1 + i % 3], CASE WHEN i % 3 = 2 THEN "
          "'SKU-1' ELSE '' END, "
          "1000 + (i % 50) * 100, CASE WHEN i % 3 = 0 AND i % 10 <> 0 THEN 1200 ELSE 0 END, "
          "CASE WHEN i % 10 = 0 THEN 'UNSPECIFIED' WHEN i % 97 = 0 THEN 'DAMAGED' ELSE 'OK' END "
          "FROM generate_series(1, ",
          returns, ") i"));
  run("labels", absl::StrCat("INSERT INTO shipments (merchant_id, order_id, return_id, direction, "
                             "state, label_format, create_time) "
                             "SELECT ",
                             m, ", 'o' || i, md5(", m,
                             " || i)::uuid, 'INBOUND', 'DELIVERED', 'PDF', ", Spread("i", returns),
                             " "
                             "FROM generate_series(2, ",
                             returns, ", 2) i"));
  run("tokens",
      absl::StrCat(
          "INSERT INTO exchange_tokens (merchant_id, token_hash, return_id, order_id, "
          "order_line_id, replacement_sku, "
          "quantity, state, currency_code, charge_minor, expire_time, charge_window_days, "
          "create_time, settle_time) "
          "SELECT ",
          m, ", 'h' || i, md5(", m,
          " || i)::uuid, 'o' || i, 'L1', 'SKU-1', 1, "
          "CASE WHEN i % 100 < 70 THEN 'SETTLED' ELSE 'EXPIRED' END, 'EUR', 1000, t + interval '14 "
          "days', 14, t, "
          "CASE WHEN i % 100 < 70 AND t + interval '6 days' < now() THEN t + interval '6 days' END "
          "FROM (SELECT i, ",
          Spread("i", returns),
          " AS t "
          "FROM generate_series(5, ",
          returns, ", 10) i) s"));
  run("claims",
      absl::StrCat(
          "WITH c AS (INSERT INTO claims (merchant_id, order_id, shipment_id, type, state, "
          "currency_code, "
          "claim_value_minor, create_time, resolve_time) "
          "SELECT ",
          m,
          ", 'o' || i, gen_random_uuid(), 'LOST', CASE WHEN i % 3 = 0 THEN 'DENIED' ELSE "
          "'RESOLVED' END, "
          "'EUR', 2000, t, CASE WHEN t + interval '2 days' < now() THEN t + interval '2 days' END "
          "FROM (SELECT i, ",
          Spread("i", orders),
          " AS t "
          "FROM generate_series(3, ",
          orders,
          ", 50) i) s RETURNING merchant_id, claim_id, order_id) "
          "INSERT INTO claim_lines (merchant_id, claim_id, position, order_line_id, sku, quantity, "
          "unit_price_minor) "
          "SELECT c.merchant_id, c.claim_id, 0, 'L2', ol.sku, 1, 1000 FROM c "
          "JOIN order_lines ol ON ol.merchant_id = c.merchant_id AND ol.order_id = c.order_id AND "
          "ol.line_id = 'L2'"));
  pqxx::work tx(db);
  tx.exec0("ANALYZE");
  tx.commit();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace returns;
  std::string addr, database_url;
  int64_t returns_count = 1000000;
  int calls = 50;
  CLI::App cli{"GetKpis over a merchant with many returns"};
  cli.add_option("--addr", addr)->required();
  cli.add_option("--database_url", database_url)->required();
  cli.add_option("--returns", returns_count, "returns to seed")->capture_default_str();
  cli.add_option("--calls", calls, "warm calls per case")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);
  std::cout << std::unitbuf;
  try {
    storage::ConnectionPool pool(database_url, 1);
    auto created = app::CreateMerchant(pool, "kpis-bench", false);
    if (!created.ok()) throw std::runtime_error(std::string(created.status().message()));
    const std::string merchant = created->merchant_id();
    pqxx::connection db(database_url);
    std::cout << "seeding one merchant with " << returns_count << " returns over 365 days...\n";
    const auto seeding = Clock::now();
    Seed(db, merchant, returns_count);
    std::cout << absl::StrFormat("seeded in %.0f s\n", Ms(Clock::now() - seeding) / 1000);

    client::ClientOptions options;
    options.address = addr;
    options.api_key = created->admin_key_secret();
    options.timeout = absl::Seconds(600);
    auto stub = v1::AnalyticsService::NewStub(client::MakeChannel(options));
    pqxx::work clock(db);
    const std::string end =
        clock.exec1("SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')")[0]
            .as<std::string>();
    const std::string start =
        clock.exec1("SELECT to_char((now() AT TIME ZONE 'UTC')::date - 89, 'YYYY-MM-DD')")[0]
            .as<std::string>();
    const std::string final_day = clock
                                      .exec1(
                                          "SELECT to_char(((now() - interval '1 hour') AT TIME "
                                          "ZONE 'UTC')::date - 1, 'YYYY-MM-DD')")[0]
                                      .as<std::string>();
    clock.commit();

    auto call = [&](const std::string& sku, v1::Kpis* kpis) {
      v1::GetKpisRequest request;
      request.set_start_date(start);
      request.set_end_date(end);
      request.set_sku(sku);
      const auto t0 = Clock::now();
      grpc::Status status = stub->GetKpis(client::MakeContext(options).get(), request, kpis);
      if (!status.ok()) throw std::runtime_error("GetKpis: " + client::DescribeError(status));
      return Ms(Clock::now() - t0);
    };
    // Cold: the range's rollups written by the calls themselves (the sweeper, which would write
    // them in the background, runs once a minute); a call that reaches its deadline keeps what it
    // wrote, and the next continues.
    {
      pqxx::work tx(db);
      for (const char* table : {"kpi_rollup_days", "kpi_daily", "kpi_resolution_days"}) {
        tx.exec_params(absl::StrCat("DELETE FROM ", table, " WHERE merchant_id = $1::uuid"),
                       merchant);
      }
      tx.commit();
    }
    v1::Kpis kpis;
    int cold_calls = 0;
    double cold = 0;
    while (true) {
      ++cold_calls;
      v1::GetKpisRequest request;
      request.set_start_date(start);
      request.set_end_date(end);
      const auto t0 = Clock::now();
      grpc::Status status = stub->GetKpis(client::MakeContext(options).get(), request, &kpis);
      cold += Ms(Clock::now() - t0);
      if (status.ok()) break;
      if (status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED || cold_calls > 20) {
        throw std::runtime_error("GetKpis: " + client::DescribeError(status));
      }
    }
    std::cout << absl::StrFormat(
        "range %s..%s: %lld returns, %lld resolved, return rate by items %.3f, resolution p50 "
        "%lds\n",
        start, end, static_cast<long long>(kpis.totals().returns()),
        static_cast<long long>(kpis.totals().returns_resolved()),
        kpis.totals().return_rate_by_items(),
        static_cast<long>(kpis.totals().resolution_time_p50().seconds()));
    std::cout << absl::StrFormat(
        "GetKpis cold (writes the rollups of 90 days): %.0f ms over %d call(s)\n", cold,
        cold_calls);

    // The raw statements GetKpis runs for the same answer, on one connection, same run.
    auto raw = [&](const std::string& sku) {
      const auto t0 = Clock::now();
      pqxx::work tx(db);
      tx.exec_params(
          "SELECT * FROM kpi_daily WHERE merchant_id = $1::uuid AND sku = $2 AND day BETWEEN "
          "$3::date AND $4::date",
          merchant, sku, start, final_day);
      tx.exec_params(
          "SELECT day, bucket, sum(returns) FROM kpi_resolution_days WHERE merchant_id = $1::uuid "
          "AND sku = $2 "
          "AND day BETWEEN $3::date AND $4::date GROUP BY 1, 2",
          merchant, sku, start, final_day);
      tx.exec_params(
          "SELECT * FROM kpi_figures($1::uuid, $2::date + 1, $3::date + 1) WHERE sku = $4",
          merchant, final_day, end, sku);
      tx.exec_params(
          "SELECT * FROM kpi_resolution_buckets($1::uuid, $2::date + 1, $3::date + 1) WHERE sku = "
          "$4",
          merchant, final_day, end, sku);
      tx.exec_params(
          "SELECT * FROM kpi_retention_figures($1::uuid, $2::date + 1, $3::date + 1) WHERE sku = "
          "$4",
          merchant, final_day, end, sku);
      tx.commit();
      return Ms(Clock::now() - t0);
    };
    std::cout << absl::StrFormat("%-28s %8s %8s %8s %12s\n", "case", "p50 ms", "p99 ms", "calls/s",
                                 "raw SQL p50");
    for (const std::string& sku : {std::string(), std::string("SKU-7")}) {
      Latencies api, sql;
      const auto t0 = Clock::now();
      for (int i = 0; i < calls; ++i) api.ms.push_back(call(sku, &kpis));
      const double seconds = Ms(Clock::now() - t0) / 1000;
      for (int i = 0; i < calls; ++i) sql.ms.push_back(raw(sku));
      std::cout << absl::StrFormat("%-28s %8.1f %8.1f %8.1f %12.1f  (ratio %.2f)\n",
                                   sku.empty() ? "GetKpis, 90 days" : "GetKpis, 90 days, one SKU",
                                   api.Percentile(0.5), api.Percentile(0.99), calls / seconds,
                                   sql.Percentile(0.5),
                                   api.Percentile(0.5) / std::max(sql.Percentile(0.5), 0.001));
    }
    // For scale: the same 90 days computed from the base tables, without rollups.
    const auto t0 = Clock::now();
    {
      pqxx::work tx(db);
      tx.exec_params(
          "SELECT count(*) FROM kpi_figures($1::uuid, $2::date, $3::date + 1) WHERE sku = ''",
          merchant, start, end);
      tx.commit();
    }
    std::cout << absl::StrFormat(
        "the same 90 days from the base tables, without rollups: %.0f ms\n", Ms(Clock::now() - t0));
  } catch (const std::exception& e) {
    std::cerr << "kpis_benchmark: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
