// The Prometheus endpoint (--metrics_listen): scraped over HTTP during real calls, its series move
// with them - requests by method and code, latency, calls shed, open streams, the pool, and the
// collector's gauges from the database.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <future>
#include <sstream>
#include <thread>

#include <grpcpp/generic/generic_stub.h>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "e2e_fixture.h"
#include "sample_orders.h"

namespace returns::testing {
namespace {

// GET http://127.0.0.1:port/path, the body.
std::string HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return "";
  }
  const std::string request = absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
  (void)!write(fd, request.data(), request.size());
  std::string response;
  char buffer[65536];
  for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;)
    response.append(buffer, static_cast<size_t>(n));
  close(fd);
  const size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

// The value of the series `name` whose labels include every one of `labels` ("code=\"OK\"");
// -1 when there is none.
double Value(const std::string& text, const std::string& name,
             const std::vector<std::string>& labels = {}) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::StartsWith(line, name + "{") && !absl::StartsWith(line, name + " ")) continue;
    bool all = true;
    for (const auto& label : labels) all = all && absl::StrContains(line, label);
    if (!all) continue;
    return std::strtod(std::string(line.substr(line.rfind(' ') + 1)).c_str(), nullptr);
  }
  return -1;
}

class MetricsTest : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    metrics_server_ = std::make_unique<ServerProcess>(
        db_.url(),
        std::vector<std::string>{"--metrics_listen", "127.0.0.1:0", "--rate_limit_per_second", "20",
                                 "--rate_limit_burst", "20"});
    for (absl::string_view line : absl::StrSplit(metrics_server_->logs(), '\n')) {
      auto parsed = nlohmann::json::parse(line, nullptr, false);
      if (parsed.is_object() && parsed.value("msg", "") == "metrics listening")
        metrics_port_ = parsed.value("port", 0);
    }
    ASSERT_GT(metrics_port_, 0) << metrics_server_->logs();
    options_.address = metrics_server_->address();
    stubs_ = StubsFor(options_);
  }
  std::string Scrape() { return HttpGet(metrics_port_, "/metrics"); }

  std::unique_ptr<ServerProcess> metrics_server_;
  int metrics_port_ = 0;
};

TEST_F(MetricsTest, TheSeriesMoveWithTheCalls) {
  const std::string create = "method=\"returns.v1.ReturnService/CreateReturn\"";
  std::string before = Scrape();
  ASSERT_FALSE(before.empty());
  const double created_before =
      std::max(0.0, Value(before, "returns_rpc_requests_total", {create, "code=\"OK\""}));

  ASSERT_TRUE(Upsert(SampleOrder("m-1", 3)).ok());
  ASSERT_TRUE(Create(SampleReturn("m-1", "L1", 1)).ok());
  ASSERT_TRUE(Create(SampleReturn("m-1", "L1", 1)).ok());
  v1::CreateReturnRequest bad = SampleReturn("m-1", "L1", 1);
  bad.set_order_id("");
  EXPECT_EQ(Create(bad).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // A watcher open while scraping, then closed.
  auto watch_context = Context();
  watch_context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::WatchTimelineRequest watch;
  watch.set_order_id("m-1");
  auto reader = stubs_.timeline->WatchTimeline(watch_context.get(), watch);
  v1::TimelineEvent event;
  ASSERT_TRUE(reader->Read(&event));  // the stream is open and admitted

  std::string after = Scrape();
  EXPECT_EQ(Value(after, "returns_rpc_requests_total", {create, "code=\"OK\""}), created_before + 2)
      << after;
  EXPECT_EQ(Value(after, "returns_rpc_requests_total", {create, "code=\"INVALID_ARGUMENT\""}), 1);
  EXPECT_GE(Value(after, "returns_rpc_duration_seconds_count", {create}), 3);
  EXPECT_GT(Value(after, "returns_rpc_duration_seconds_sum", {create}), 0);
  EXPECT_EQ(Value(after, "returns_open_streams", {"WatchTimeline"}), 1);
  EXPECT_EQ(Value(after, "returns_db_pool_connections", {"state=\"size\""}), 4);
  EXPECT_GE(Value(after, "returns_db_pool_connections", {"state=\"in_use\""}), 0);
  EXPECT_EQ(Value(after, "returns_database_up"), 1);
  // The collector's first read (at start): the feed's lag is there, 0 or more.
  EXPECT_GE(Value(after, "returns_change_feed_lag_events"), 0) << after;
  EXPECT_GE(Value(after, "returns_executor_queued_calls"), 0);

  watch_context->TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (Value(Scrape(), "returns_open_streams", {"WatchTimeline"}) != 0 && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(Value(Scrape(), "returns_open_streams", {"WatchTimeline"}), 0);

  // Past the rate limit (20 a second, burst 20), calls are shed and counted as such.
  v1::GetOrderRequest get;
  get.set_order_id("m-1");
  int shed = 0;
  for (int i = 0; i < 60; ++i) {
    v1::Order order;
    shed += stubs_.orders->GetOrder(Context().get(), get, &order).error_code() ==
            grpc::StatusCode::RESOURCE_EXHAUSTED;
  }
  ASSERT_GT(shed, 0);
  EXPECT_EQ(Value(Scrape(), "returns_calls_shed_total", {"reason=\"RATE_LIMITED\"", "GetOrder"}),
            shed);
}

TEST_F(MetricsTest, EverySeriesOfTheRunbookIsThereFromTheStartAtZero) {
  const std::string text = Scrape();
  for (const char* kind :
       {"ISSUE_LABEL", "VOID_LABEL", "REQUEST_FULFILLMENT", "NOTIFY_CUSTOMER", "ASSESS_EVIDENCE"}) {
    const std::string label = absl::StrCat("kind=\"", kind, "\"");
    EXPECT_EQ(Value(text, "returns_jobs_dead", {label}), 0) << kind << "\n" << text;
    EXPECT_EQ(Value(text, "returns_jobs_queued", {label}), 0) << kind;
    EXPECT_EQ(Value(text, "returns_jobs_oldest_age_seconds", {label}), 0) << kind;
  }
  EXPECT_EQ(Value(text, "returns_exchange_tokens", {"state=\"CHARGE_FAILED\""}), 0);
  const std::string issue = "method=\"returns.v1.ExchangeService/IssueExchangeToken\"";
  EXPECT_EQ(Value(text, "returns_rpc_requests_total", {issue, "code=\"OK\""}), 0);
  EXPECT_EQ(Value(text, "returns_rpc_duration_seconds_count", {issue}), 0);
  EXPECT_EQ(Value(text, "returns_open_streams", {"StreamEvents"}), 0);
  EXPECT_EQ(Value(text, "returns_calls_shed_total", {issue, "reason=\"SERVER_BUSY\""}), 0);
}

// Calls to methods that do not exist, without a key, each with a name of its own: they are
// counted under one label, so no client can grow the registry (or the scrape) call by call.
TEST_F(MetricsTest, MadeUpMethodsShareOneLabel) {
  const size_t before = Scrape().size();
  grpc::GenericStub stub(client::MakeChannel(options_));
  constexpr int kCalls = 200;
  for (int i = 0; i < kCalls; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    const std::string method = absl::StrCat("/made.up.Service", i, "/", std::string(4000, 'x'));
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1), response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                   [&done](grpc::Status status) { done.set_value(status); });
    EXPECT_EQ(done.get_future().get().error_code(), grpc::StatusCode::UNIMPLEMENTED);
  }
  const std::string after = Scrape();
  EXPECT_FALSE(absl::StrContains(after, "made.up.Service"));
  EXPECT_EQ(
      Value(after, "returns_rpc_requests_total", {"method=\"other\"", "code=\"UNIMPLEMENTED\""}),
      kCalls)
      << after.substr(0, 2000);
  EXPECT_LT(after.size(), before + 4096);  // the latency histogram of "other" and a counter or two
}

TEST_F(MetricsTest, TheEndpointServesTheTextFormatWithTypes) {
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (Value(Scrape(), "returns_database_up") != 1 && absl::Now() < until)
    absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(Value(Scrape(), "returns_database_up"), 1);
  ASSERT_TRUE(Upsert(SampleOrder("m-2", 1)).ok());
  const std::string text = Scrape();
  EXPECT_NE(text.find("# TYPE returns_rpc_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("# TYPE returns_rpc_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("# TYPE returns_database_up gauge"), std::string::npos);
}

}  // namespace
}  // namespace returns::testing
