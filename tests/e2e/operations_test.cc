// What operators and support agents rely on: health, reflection, a taken port, SIGTERM drain,
// credentials, JSON logs, and refusing a database whose migrations were edited.
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "e2e_fixture.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace returns::testing {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using grpc::reflection::v1alpha::ServerReflection;
using grpc::reflection::v1alpha::ServerReflectionRequest;
using grpc::reflection::v1alpha::ServerReflectionResponse;

using OperationsTest = E2ETest;

HealthCheckResponse::ServingStatus Health(const std::string& address,
                                          const std::string& service = "") {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  return status.ok() ? response.status() : HealthCheckResponse::UNKNOWN;
}

// One reflection request/response exchange, as grpcurl does it.
ServerReflectionResponse Reflect(const std::string& address,
                                 const ServerReflectionRequest& request) {
  auto stub =
      ServerReflection::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto stream = stub->ServerReflectionInfo(&context);
  ServerReflectionResponse response;
  stream->Write(request);
  stream->WritesDone();
  stream->Read(&response);
  stream->Finish();
  return response;
}

// Kubernetes' liveness probe asks "liveness": the process is up, whatever the database.
TEST_F(OperationsTest, LivenessIsServingWhileTheProcessRuns) {
  EXPECT_EQ(Health(server_->address(), "liveness"), HealthCheckResponse::SERVING);
}

TEST_F(OperationsTest, HealthIsServingWithADatabase) {
  EXPECT_EQ(Health(server_->address()), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(server_->address(), "returns.v1.ReturnService"), HealthCheckResponse::SERVING);
}

TEST_F(OperationsTest, ReflectionListsAndDescribesEveryService) {
  ServerReflectionRequest list;
  list.set_list_services("");
  ServerReflectionResponse services = Reflect(server_->address(), list);
  std::set<std::string> names;
  for (const auto& s : services.list_services_response().service()) names.insert(s.name());
  for (const char* expected :
       {"returns.v1.OrderService", "returns.v1.ReturnService", "returns.v1.TimelineService",
        "returns.v1.ClaimService", "returns.v1.AdminService", "grpc.health.v1.Health"}) {
    EXPECT_TRUE(names.count(expected)) << expected;
    // `grpcurl describe SERVICE` asks for the file that defines the symbol.
    ServerReflectionRequest describe;
    describe.set_file_containing_symbol(expected);
    ServerReflectionResponse file = Reflect(server_->address(), describe);
    EXPECT_GT(file.file_descriptor_response().file_descriptor_proto_size(), 0) << expected;
  }
  ServerReflectionRequest method;
  method.set_file_containing_symbol("returns.v1.ReturnService.CreateReturn");
  EXPECT_GT(
      Reflect(server_->address(), method).file_descriptor_response().file_descriptor_proto_size(),
      0);
}

TEST_F(OperationsTest, ATakenPortFailsLoudly) {
  std::string output;
  int code = ServerProcess::RunToCompletion(
      {"--listen", server_->address(), "--database_url", db_.url(), "--no_migrate"}, &output);
  EXPECT_NE(code, 0);
  EXPECT_NE(output.find("cannot listen"), std::string::npos) << output;
}

TEST_F(OperationsTest, LogsAreOneJsonObjectPerLineWithoutCustomerData) {
  v1::UpsertOrderRequest order = SampleOrder("1001");
  ASSERT_TRUE(Upsert(order).ok());
  v1::CreateReturnRequest ret = SampleReturn("1001");
  ASSERT_TRUE(Create(ret).ok());
  ASSERT_EQ(server_->Terminate(), 0);
  const std::string logs = server_->logs();
  int rpc_lines = 0;
  for (absl::string_view line : absl::StrSplit(logs, '\n', absl::SkipEmpty())) {
    auto json = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(json.is_object()) << line;
    EXPECT_TRUE(json.contains("time") && json.contains("level") && json.contains("msg")) << line;
    if (json["msg"] == "rpc") {
      ++rpc_lines;
      for (const char* key : {"method", "status", "latency_ms", "merchant_id", "request_id"}) {
        EXPECT_TRUE(json.contains(key)) << key << " in " << line;
      }
    }
  }
  EXPECT_EQ(rpc_lines, 2);
  EXPECT_NE(logs.find(ret.request_id()), std::string::npos);
  EXPECT_EQ(logs.find("ada@example.com"), std::string::npos);
  EXPECT_EQ(logs.find("Secret Street"), std::string::npos);
}

TEST_F(OperationsTest, SigtermLetsAnInFlightCallFinish) {
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  // Hold the order lines so CreateReturn is still running when SIGTERM arrives.
  pqxx::connection other(db_.url());
  pqxx::work holder(other);
  holder.exec("SELECT * FROM order_lines FOR UPDATE");

  grpc::Status in_flight;
  std::thread call([&] { in_flight = Create(SampleReturn("1001")); });
  for (int i = 0; i < 100; ++i) {
    if (QueryScalar(db_.url(),
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()") == "1")
      break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  int exit_code = -2;
  std::thread stop([&] { exit_code = server_->Terminate(); });
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_TRUE(server_->running());  // still draining
  holder.abort();
  call.join();
  stop.join();
  EXPECT_TRUE(in_flight.ok()) << in_flight.error_message();
  EXPECT_EQ(exit_code, 0);
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns"), "1");
  EXPECT_NE(server_->logs().find("\"msg\":\"draining\""), std::string::npos);
}

// SIGTERM while a background thread waits on the database: health turns NOT_SERVING at once
// (not after the background threads are joined), and the process exits within the drain time
// whatever they wait on.
TEST_F(OperationsTest, SigtermSaysNotServingAtOnceAndExitsInTimeWhileJobsWaitOnALock) {
  ServerProcess server(db_.url(), {"--drain_seconds", "2", "--job_poll_ms", "50"});
  pqxx::connection other(db_.url());
  pqxx::work holder(other);
  holder.exec("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE");  // the job workers' next poll waits
  for (int i = 0; i < 100; ++i) {
    if (QueryScalar(db_.url(),
                    "SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()") == "t")
      break;
    absl::SleepFor(absl::Milliseconds(50));
  }

  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto watch = stub->Watch(&context, HealthCheckRequest());
  HealthCheckResponse response;
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);

  int exit_code = -2;
  const absl::Time start = absl::Now();
  std::thread stop([&] { exit_code = server.Terminate(absl::Seconds(20)); });
  // The watch sees NOT_SERVING (or, at worst, ends with the server) well within a second.
  const bool got = watch->Read(&response);
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  if (got) {
    EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  }
  stop.join();
  EXPECT_EQ(exit_code, 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2 + 2 + 2));  // the drain, the grace, slack
  holder.abort();
}

TEST_F(OperationsTest, RefusesToStartOnAnEditedMigration) {
  QueryScalar(db_.url(), "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
  std::string output;
  int code = ServerProcess::RunToCompletion(
      {"--listen", "127.0.0.1:0", "--database_url", db_.url()}, &output);
  EXPECT_NE(code, 0);
  EXPECT_NE(output.find("V0001__create_merchants was changed after it was applied"),
            std::string::npos)
      << output;
}

// Health follows a database of its own that this test stops and starts.
TEST(HealthFollowsDatabaseTest, NotServingWhileDownServingWhenBack) {
  char dir_template[] = "/tmp/returns-health-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  chmod(dir.c_str(), 0755);  // the cluster runs as an unprivileged user
  const std::string env =
      "RETURNS_PG_DIR=" + dir + "/pg RETURNS_PG_PORT=auto RETURNS_PG_DB=health ";
  const std::string script = std::string(RETURNS_SOURCE_DIR) + "/deploy/pg-local.sh";
  ASSERT_EQ(std::system((env + "bash " + script + " start >/dev/null").c_str()), 0);
  std::string url;
  std::getline(*std::make_unique<std::ifstream>(dir + "/pg/url"), url);

  {
    ServerProcess server(url);
    auto wait_for = [&](HealthCheckResponse::ServingStatus want) {
      for (int i = 0; i < 100; ++i) {
        if (Health(server.address()) == want) return true;
        absl::SleepFor(absl::Milliseconds(100));
      }
      return false;
    };
    EXPECT_TRUE(wait_for(HealthCheckResponse::SERVING));
    ASSERT_EQ(std::system((env + "bash " + script + " stop").c_str()), 0);
    EXPECT_TRUE(wait_for(HealthCheckResponse::NOT_SERVING));
    // The process is still alive: a liveness probe must not restart it for the database.
    EXPECT_EQ(Health(server.address(), "liveness"), HealthCheckResponse::SERVING);
    ASSERT_EQ(std::system((env + "bash " + script + " start >/dev/null").c_str()), 0);
    EXPECT_TRUE(wait_for(HealthCheckResponse::SERVING));
    EXPECT_TRUE(server.running());
    // And calls work again on the same process.
    client::ClientOptions options;
    options.address = server.address();
    options.api_key = CreateTestMerchant(url).admin_key;
    v1::Order order;
    EXPECT_TRUE(v1::OrderService::NewStub(client::MakeChannel(options))
                    ->UpsertOrder(client::MakeContext(options).get(), SampleOrder("1"), &order)
                    .ok());
  }
  std::system((env + "bash " + script + " stop").c_str());
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace returns::testing

namespace returns::testing {
namespace {

// A replica started before its database: it listens, says NOT_SERVING and refuses calls with
// UNAVAILABLE (not at their deadline), then migrates the database once it appears and serves.
TEST(StartWithoutDatabaseTest, ListensNotServingThenServesWhenTheDatabaseArrives) {
  const std::string name = absl::StrCat("late_", absl::ToUnixMicros(absl::Now()));
  const std::string url = ClusterUrl() + name;
  ServerProcess server(url, {}, /*wait_until_ready=*/false);
  EXPECT_EQ(Health(server.address()), HealthCheckResponse::NOT_SERVING);

  client::ClientOptions options;
  options.address = server.address();
  options.api_key = "rk_aaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  v1::Order order;
  const absl::Time start = absl::Now();
  grpc::Status early =
      v1::OrderService::NewStub(client::MakeChannel(options))
          ->GetOrder(client::MakeContext(options).get(), v1::GetOrderRequest(), &order);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::UNAVAILABLE) << early.error_message();
  EXPECT_EQ(Reason(early), "DATABASE_UNAVAILABLE");
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_TRUE(server.running());

  // The database appears, empty: the replica applies the migrations itself and serves.
  {
    pqxx::connection admin(ClusterUrl() + "postgres");
    pqxx::nontransaction(admin).exec("CREATE DATABASE " + name);
  }
  bool serving = false;
  for (int i = 0; i < 100 && !serving; ++i) {
    serving = Health(server.address()) == HealthCheckResponse::SERVING;
    if (!serving) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(serving);
  options.api_key = CreateTestMerchant(url).admin_key;
  EXPECT_TRUE(v1::OrderService::NewStub(client::MakeChannel(options))
                  ->UpsertOrder(client::MakeContext(options).get(), SampleOrder("1"), &order)
                  .ok());
  EXPECT_EQ(server.Terminate(), 0);
  pqxx::connection admin(ClusterUrl() + "postgres");
  pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

TEST(StartWithoutDatabaseTest, SigtermWhileWaitingForTheDatabaseExitsAtOnce) {
  ServerProcess server(ClusterUrl() + "never_created", {}, /*wait_until_ready=*/false);
  const absl::Time start = absl::Now();
  EXPECT_EQ(server.Terminate(), 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
}

}  // namespace
}  // namespace returns::testing
