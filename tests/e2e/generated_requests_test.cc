// Every method of the contract driven with generated requests, as a careless or hostile client
// would send them: random and boundary values in every field (NUL, invalid UTF-8, control
// characters, unknown enum numbers, huge and negative numbers, times before 1970 and after 9999,
// empty and long repeated fields), with each role's key, a bad key and none. No answer may be
// INTERNAL or UNKNOWN, each answer's code must be one docs/errors.md lists for the method, every
// INVALID_ARGUMENT carries its reason, and the server stays healthy.
//
// Seeded and bounded: RETURNS_GENERATED_SEED (default 1) and RETURNS_GENERATED_REQUESTS
// (requests per method and key, default 8). A longer run:
//   RETURNS_GENERATED_REQUESTS=200 RETURNS_GENERATED_SEED=7 e2e_tests --gtest_filter='Generated*'
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include <grpcpp/impl/codegen/client_unary_call.h>
#include <grpcpp/impl/codegen/sync_stream.h>

#include "sample_images.h"
#include "absl/status/status.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "e2e_fixture.h"
#include "returns/v1/claim_service.grpc.pb.h"
#include "returns/v1/policy_service.pb.h"
#include "returns/v1/analytics_service.pb.h"
#include "exchange_fixture.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"
#include "returns/v1/exchange_service.grpc.pb.h"
#include "returns/v1/logistics_service.pb.h"
#include "returns/v1/inventory_service.grpc.pb.h"

namespace returns::testing {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::atoi(value);
}

// "ReturnService.CreateReturn" -> the codes docs/errors.md allows besides the common ones.
std::map<std::string, std::set<std::string>> DocumentedCodes() {
  std::ifstream file(std::string(RETURNS_SOURCE_DIR) + "/docs/errors.md");
  std::stringstream text;
  text << file.rdbuf();
  std::map<std::string, std::set<std::string>> codes;
  const std::regex row(R"(^\| (\w+Service\.\w+) \| (.*) \|$)");
  const std::regex code(R"(\b[A-Z][A-Z_]+[A-Z]\b)");
  std::string line;
  while (std::getline(text, line)) {
    std::smatch match;
    if (!std::regex_match(line, match, row)) continue;
    std::set<std::string>& allowed = codes[match[1]];
    const std::string rest = match[2];
    for (auto it = std::sregex_iterator(rest.begin(), rest.end(), code);
         it != std::sregex_iterator(); ++it) {
      allowed.insert(it->str());
    }
  }
  return codes;
}

const std::set<std::string> kCommonCodes = {
    "INVALID_ARGUMENT", "UNAUTHENTICATED",   "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
    "UNAVAILABLE",      "DEADLINE_EXCEEDED", "CANCELLED"};

// gRPC's and Abseil's codes share their numbers and names.
std::string CodeName(grpc::StatusCode code) {
  return std::string(absl::StatusCodeToString(static_cast<absl::StatusCode>(code)));
}

// Fills a message through reflection with values chosen to hit limits and edge cases, often
// naming resources that exist so that requests also get past validation.
class RequestGenerator {
 public:
  RequestGenerator(uint64_t seed, std::vector<std::string> known_ids)
      : random_(seed), known_ids_(std::move(known_ids)) {}

  void Fill(Message* message, int depth = 0) {
    const auto* descriptor = message->GetDescriptor();
    const Reflection* reflection = message->GetReflection();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const FieldDescriptor* field = descriptor->field(i);
      if (Chance(0.25)) continue;  // left unset
      if (field->is_repeated()) {
        const int count =
            depth == 0 && Chance(0.03) ? Pick<int>({101, 501}) : Pick<int>({0, 1, 1, 2, 3});
        for (int n = 0; n < count; ++n) AddValue(message, reflection, field, depth);
      } else {
        SetValue(message, reflection, field, depth);
      }
    }
  }

  // One field somewhere in a valid request set to a generated value: gets past the checks a
  // wholly random request fails early, into the use cases.
  void Mutate(Message* message, int depth = 0) {
    const auto* descriptor = message->GetDescriptor();
    const Reflection* reflection = message->GetReflection();
    if (descriptor->field_count() == 0) return;
    const FieldDescriptor* field = descriptor->field(
        std::uniform_int_distribution<int>(0, descriptor->field_count() - 1)(random_));
    const bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                            field->message_type()->full_name() != "google.protobuf.Timestamp";
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(*message, field);
      if (is_message && size > 0 && depth < 4 && Chance(0.7)) {
        Mutate(reflection->MutableRepeatedMessage(
                   message, field, std::uniform_int_distribution<int>(0, size - 1)(random_)),
               depth + 1);
      } else {
        AddValue(message, reflection, field, depth);
      }
    } else if (is_message && reflection->HasField(*message, field) && depth < 4 && Chance(0.7)) {
      Mutate(reflection->MutableMessage(message, field), depth + 1);
    } else {
      SetValue(message, reflection, field, depth);
    }
  }

 private:
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(random_) < p; }
  template <typename T>
  T Pick(std::initializer_list<T> values) {
    std::uniform_int_distribution<size_t> index(0, values.size() - 1);
    return *(values.begin() + index(random_));
  }

  std::string String(const FieldDescriptor* field) {
    if (field->name() == "request_id" && Chance(0.7)) return client::NewRequestId();
    if (Chance(0.35))
      return known_ids_[std::uniform_int_distribution<size_t>(0, known_ids_.size() - 1)(random_)];
    return Pick<std::string>({"",
                              "L1",
                              "L2",
                              "TEE-BLUE-S",
                              "TEE-BLUE-M",
                              "EUR",
                              "USD",
                              "sandbox",
                              "\"1\"",
                              "ada@example.com",
                              "returns/abc",
                              "exchange_tokens/x",
                              "rk_garbage",
                              std::string("a\0b", 3),
                              "\xff\xfe",
                              "too small \xed\xa0\xbd",
                              "cut \xf0\x9f",
                              "bell\a",
                              "line\nbreak",
                              "\xf0\x9f\x98\x80",
                              std::string(300, 'x'),
                              std::string(5000, 'y'),
                              "00000000-0000-0000-0000-000000000000",
                              "' OR 1=1 --",
                              "%s%n",
                              "../../etc/passwd"});
  }
  int64_t Integer() {
    return Pick<int64_t>({0, 1, 2, 3, -1, 100, 2500, 100001, 1000000001,
                          std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min(),
                          std::numeric_limits<int64_t>::max(),
                          std::numeric_limits<int64_t>::min()});
  }

  void FillTimestamp(Message* message) {
    auto* t = static_cast<google::protobuf::Timestamp*>(message);
    const int64_t now = absl::ToUnixSeconds(absl::Now());
    t->set_seconds(Pick<int64_t>({0, -1, now - 86400, now - 86400 * 400, now + 86400 * 30,
                                  253402300800, std::numeric_limits<int64_t>::max()}));
    t->set_nanos(Pick<int32_t>({0, -1, 999999999, 1000000000}));
  }

  void SetValue(Message* m, const Reflection* r, const FieldDescriptor* f, int depth) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        r->SetString(m, f, String(f));
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(m, f, static_cast<int32_t>(Integer()));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(m, f, Integer());
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r->SetUInt32(m, f, static_cast<uint32_t>(Integer()));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r->SetUInt64(m, f, static_cast<uint64_t>(Integer()));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->SetBool(m, f, Chance(0.5));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r->SetDouble(m, f, Pick<double>({0, -1, 1e308, NAN}));
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r->SetFloat(m, f, Pick<float>({0, -1, 3e38f, NAN}));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r->SetEnumValue(m, f, EnumNumber(f));
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        FillChild(r->MutableMessage(m, f), depth);
        break;
    }
  }
  void AddValue(Message* m, const Reflection* r, const FieldDescriptor* f, int depth) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        r->AddString(m, f, String(f));
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        r->AddInt32(m, f, static_cast<int32_t>(Integer()));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->AddInt64(m, f, Integer());
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r->AddUInt32(m, f, static_cast<uint32_t>(Integer()));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r->AddUInt64(m, f, static_cast<uint64_t>(Integer()));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->AddBool(m, f, Chance(0.5));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r->AddDouble(m, f, Pick<double>({0, -1, 1e308}));
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r->AddFloat(m, f, Pick<float>({0, -1, 3e38f}));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r->AddEnumValue(m, f, EnumNumber(f));
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        FillChild(r->AddMessage(m, f), depth);
        break;
    }
  }
  void FillChild(Message* child, int depth) {
    if (child->GetDescriptor()->full_name() == "google.protobuf.Timestamp") {
      FillTimestamp(child);
    } else if (depth < 4) {
      Fill(child, depth + 1);
    }
  }
  int EnumNumber(const FieldDescriptor* f) {
    if (Chance(0.2)) return Pick<int>({0, 999, -3});
    const auto* e = f->enum_type();
    return e->value(std::uniform_int_distribution<int>(0, e->value_count() - 1)(random_))->number();
  }

  std::mt19937_64 random_;
  std::vector<std::string> known_ids_;
};

// Ids the fixture made in this run, masked so that answers compare across runs.
std::string MaskIds(const std::string& text) {
  static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  static const std::regex token(R"(xt1\.[A-Za-z0-9_.-]+)");  // exchange tokens
  static const std::regex hex_id(R"(\b[0-9a-f]{16}\b)");     // order ids made by the fixture
  return std::regex_replace(
      std::regex_replace(std::regex_replace(text, uuid, "<id>"), token, "<token>"), hex_id, "<id>");
}

// The answers of the default run (seed 1, 8 requests) were recorded on the main before the storage
// and layout rework (issue 23) in tests/e2e/recorded/generated_answers_seed1.txt: code, reason,
// field and message of every request, ids masked. A refactoring changes none of them. To record
// anew after a deliberate change of answers: RETURNS_RECORD_ANSWERS=1 e2e_tests
// --gtest_filter='Generated*', and say why in the commit.
void CompareWithRecordedAnswers(int seed, int per_method, const std::string& answers) {
  if (seed != 1 || per_method != 8) return;
  const std::string path =
      std::string(RETURNS_SOURCE_DIR) + "/tests/e2e/recorded/generated_answers_seed1.txt";
  if (std::getenv("RETURNS_RECORD_ANSWERS") != nullptr) {
    std::ofstream(path) << answers;
    return;
  }
  std::ifstream file(path);
  ASSERT_TRUE(file.good()) << path;
  std::vector<std::string> recorded =
      absl::StrSplit(std::string(std::istreambuf_iterator<char>(file), {}), '\n');
  std::vector<std::string> now = absl::StrSplit(answers, '\n');
  int differences = 0;
  for (size_t i = 0; i < std::max(recorded.size(), now.size()) && differences < 20; ++i) {
    const std::string before = i < recorded.size() ? recorded[i] : "(none)";
    const std::string after = i < now.size() ? now[i] : "(none)";
    if (before != after) {
      ++differences;
      ADD_FAILURE() << "answer " << i << " changed\n before: " << before << "\n after:  " << after;
    }
  }
}

class GeneratedRequestsTest : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    // The rate limit would answer most calls before they reach validation. No job workers: a
    // label job that ran before a later request would change its answer ("return is
    // LABEL_ISSUED" for "APPROVED"), and the answers are compared with the recorded ones.
    server_ = std::make_unique<ServerProcess>(
        db_.url(), std::vector<std::string>{"--rate_limit_per_second", "1000000",
                                            "--rate_limit_burst", "1000000", "--job_workers", "0"});
    options_.address = server_->address();
    stubs_ = StubsFor(options_);
    // Quiet the client's own complaints about the invalid UTF-8 it is made to send.
    previous_handler_ = google::protobuf::SetLogHandler(nullptr);
  }
  void TearDown() override { google::protobuf::SetLogHandler(previous_handler_); }
  google::protobuf::LogHandler* previous_handler_ = nullptr;
};

TEST_F(GeneratedRequestsTest, NoGeneratedRequestIsAnsweredInternalOrOutsideTheDocumentedCodes) {
  // Resources that exist, so that generated requests reach past "not found".
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  ASSERT_TRUE(Upsert(ExchangeOrder("2001")).ok());
  v1::SetInventoryLevelsResponse levels;
  ASSERT_TRUE(v1::InventoryService::NewStub(client::MakeChannel(options_))
                  ->SetInventoryLevels(Context().get(), ReplacementStock(50), &levels)
                  .ok());
  v1::Return ret, exchange_return;
  ASSERT_TRUE(Create(SampleReturn("1001"), &ret).ok());
  ASSERT_TRUE(Create(ExchangeReturn("2001"), &exchange_return).ok());
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(
      v1::ExchangeService::NewStub(client::MakeChannel(options_))
          ->IssueExchangeToken(Context().get(), IssueRequest(exchange_return.return_id()), &issued)
          .ok());
  // An order with a delivered parcel and a claim on it (waiting for its photo).
  v1::UpsertOrderRequest with_parcel = SampleOrder("3003");
  v1::OrderShipment* parcel = with_parcel.add_shipments();
  parcel->set_carrier("sandbox");
  parcel->set_tracking_number("TRK-3003");
  parcel->mutable_promise_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  parcel->add_lines()->set_order_line_id("L1");
  parcel->mutable_lines(0)->set_quantity(2);
  ASSERT_TRUE(Upsert(with_parcel).ok());
  QueryScalar(db_.url(),
              "UPDATE shipments SET state = 'DELIVERED', delivered_time = now() - interval '1 day' "
              "WHERE tracking_number = 'TRK-3003'");
  auto claims = v1::ClaimService::NewStub(client::MakeChannel(options_));
  v1::FileClaimRequest file_claim;
  file_claim.set_request_id("claim-1");
  file_claim.set_order_id("3003");
  file_claim.set_type(v1::CLAIM_TYPE_DAMAGED);
  file_claim.add_lines()->set_order_line_id("L1");
  file_claim.mutable_lines(0)->set_quantity(1);
  v1::Claim claim;
  ASSERT_TRUE(claims->FileClaim(Context().get(), file_claim, &claim).ok());
  const std::vector<std::string> known_ids = {
      "3003",
      claim.claim_id(),
      "claims/" + claim.claim_id(),
      QueryScalar(db_.url(),
                  "SELECT shipment_id FROM shipments WHERE tracking_number = 'TRK-3003'"),
      "1001",
      "2001",
      ret.return_id(),
      exchange_return.return_id(),
      issued.exchange_token().exchange_token_id(),
      issued.token(),
      "returns/" + ret.return_id(),
      QueryScalar(db_.url(), "SELECT key_id FROM api_keys LIMIT 1"),
      QueryScalar(db_.url(), "SELECT coalesce(max(job_id::text), '') FROM jobs")};

  std::vector<std::pair<std::string, std::string>> keys = {
      {"storefront", storefront_key_},
      {"admin", admin_key_},
      {"support", CreateTestApiKey(db_.url(), merchant_id_, v1::API_KEY_ROLE_SUPPORT)},
      {"carrier", CreateTestApiKey(db_.url(), merchant_id_, v1::API_KEY_ROLE_CARRIER)},
      {"operator", CreateTestMerchant(db_.url(), "Operator", true).admin_key},
      {"malformed", "rk_not-a-key"},
      {"none", ""}};

  // Valid requests to mutate one field of.
  std::map<std::string, std::unique_ptr<Message>> templates;
  auto add_template = [&](const Message& request) {
    templates[request.GetDescriptor()->full_name()].reset(request.New());
    templates[request.GetDescriptor()->full_name()]->CopyFrom(request);
  };
  add_template(SampleOrder("3001"));
  add_template(SampleReturn("1001", "L2", 1));
  add_template(IssueRequest(exchange_return.return_id()));
  add_template(ReplacementStock(50));
  v1::GetOrderRequest get_order;
  get_order.set_order_id("1001");
  add_template(get_order);
  v1::GetReturnRequest get_return;
  get_return.set_return_id(ret.return_id());
  add_template(get_return);
  v1::ApproveReturnRequest approve;
  approve.set_request_id("approve-1");
  approve.set_return_id(ret.return_id());
  add_template(approve);
  v1::RedeemExchangeTokenRequest redeem;
  redeem.set_request_id("redeem-1");
  redeem.set_token(issued.token());
  add_template(redeem);
  v1::RecordCarrierEventsRequest scans;
  v1::CarrierEvent* scan = scans.add_events();
  scan->set_carrier("sandbox");
  scan->set_tracking_number("SBX-1");
  scan->set_event_id("e1");
  scan->set_code(v1::CARRIER_EVENT_CODE_IN_TRANSIT);
  scan->mutable_event_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 60);
  add_template(scans);
  file_claim.set_request_id("claim-2");
  add_template(file_claim);
  v1::AddClaimEvidenceRequest photo;
  photo.set_request_id("photo-1");
  photo.set_claim_id(claim.claim_id());
  photo.set_file_name("photo.png");
  photo.set_data(PhotoBytes(128));
  photo.set_last(true);
  add_template(photo);
  v1::ReviewClaimRequest review;
  review.set_request_id("review-1");
  review.set_claim_id(claim.claim_id());
  review.set_action(v1::REVIEW_ACTION_APPROVE);
  review.set_resolution(v1::CLAIM_RESOLUTION_REFUND);
  add_template(review);
  v1::UpdatePolicyRequest update_policy;
  update_policy.set_request_id("policy-1");
  update_policy.mutable_policy()->set_return_window_days(45);
  update_policy.mutable_update_mask()->add_paths("return_window_days");
  add_template(update_policy);
  v1::PreviewReturnRequest preview;
  preview.set_order_id("1001");
  *preview.mutable_lines() = SampleReturn("1001", "L2", 1).lines();
  add_template(preview);
  v1::GetClaimRequest get_claim;
  get_claim.set_claim_id(claim.claim_id());
  add_template(get_claim);
  v1::GetKpisRequest kpis;
  kpis.set_start_date("2026-01-01");
  kpis.set_end_date("2026-01-31");
  add_template(kpis);

  const auto documented = DocumentedCodes();
  const int seed = EnvInt("RETURNS_GENERATED_SEED", 1);
  const int per_method = EnvInt("RETURNS_GENERATED_REQUESTS", 8);
  RequestGenerator generator(seed, known_ids);
  auto channel = client::MakeChannel(options_);
  std::map<std::string, int> answered;  // code -> count, for the report
  std::ostringstream answers;           // one line per request, compared with the recorded answers
  int methods = 0;

  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* service_name :
       {"returns.v1.OrderService", "returns.v1.ReturnService", "returns.v1.TimelineService",
        "returns.v1.ExchangeService", "returns.v1.InventoryService", "returns.v1.LogisticsService",
        "returns.v1.AdminService", "returns.v1.ClaimService", "returns.v1.PolicyService",
        "returns.v1.AnalyticsService", "returns.v1.MoneyService", "returns.v1.WebhookService"}) {
    const auto* service = pool->FindServiceByName(service_name);
    ASSERT_NE(service, nullptr) << service_name;
    for (int m = 0; m < service->method_count(); ++m) {
      const auto* method = service->method(m);
      const std::string short_name = service->name() + "." + method->name();
      ASSERT_TRUE(documented.count(short_name)) << short_name << " has no row in docs/errors.md";
      std::set<std::string> allowed = documented.at(short_name);
      allowed.insert(kCommonCodes.begin(), kCommonCodes.end());
      allowed.insert("OK");
      const std::string path = "/" + service->full_name() + "/" + method->name();
      ++methods;
      for (const auto& [role, key] : keys) {
        for (int n = 0; n < per_method; ++n) {
          std::unique_ptr<Message> request(google::protobuf::MessageFactory::generated_factory()
                                               ->GetPrototype(method->input_type())
                                               ->New());
          auto valid = templates.find(method->input_type()->full_name());
          if (valid != templates.end() && n % 2 == 0) {
            request->CopyFrom(*valid->second);
            generator.Mutate(request.get());
          } else {
            generator.Fill(request.get());
          }
          std::string wire;
          request->SerializeToString(&wire);
          grpc::Slice slice(wire);
          grpc::ByteBuffer bytes(&slice, 1);
          client::ClientOptions as = options_;
          as.api_key = key;
          as.timeout = method->server_streaming() ? absl::Milliseconds(300) : absl::Seconds(10);
          auto context = client::MakeContext(as);
          grpc::Status status;
          if (method->server_streaming()) {
            std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>> reader(
                grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(
                    channel.get(),
                    grpc::internal::RpcMethod(path.c_str(),
                                              grpc::internal::RpcMethod::SERVER_STREAMING),
                    context.get(), bytes));
            grpc::ByteBuffer event;
            while (reader->Read(&event)) {
            }
            status = reader->Finish();
          } else {
            grpc::ByteBuffer response;
            status = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
                channel.get(),
                grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC),
                context.get(), bytes, &response);
          }
          const std::string code = CodeName(status.error_code());
          ++answered[code];
          const std::string what = short_name + " as " + role + " (seed " + std::to_string(seed) +
                                   ", request " + std::to_string(n) +
                                   "): " + client::DescribeError(status) +
                                   "\nrequest: " + request->ShortDebugString().substr(0, 600);
          answers << short_name << " " << role << " " << n << ": " << code << " " << Reason(status)
                  << " " << Field(status) << " " << MaskIds(status.error_message()) << "\n";
          EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL) << what;
          EXPECT_NE(status.error_code(), grpc::StatusCode::UNKNOWN) << what;
          EXPECT_TRUE(allowed.count(code)) << code << " is not documented for " << what;
          if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
            EXPECT_FALSE(Reason(status).empty()) << "no ErrorInfo: " << what;
          }
        }
      }
    }
  }
  EXPECT_EQ(methods, 65);  // every method of the twelve services
  std::string report;
  for (const auto& [code, count] : answered) report += " " + code + "=" + std::to_string(count);
  std::cout << "generated requests, seed " << seed << ":" << report << "\n";
  EXPECT_GT(answered["OK"], 0);
  EXPECT_GT(answered["INVALID_ARGUMENT"], 0);
  CompareWithRecordedAnswers(seed, per_method, answers.str());

  // Still healthy: the server runs and answers a plain read.
  ASSERT_TRUE(server_->running());
  v1::GetOrderRequest get;
  get.set_order_id("1001");
  v1::Order order;
  EXPECT_TRUE(stubs_.orders->GetOrder(Context().get(), get, &order).ok());
  ASSERT_EQ(server_->Terminate(), 0);
  EXPECT_EQ(server_->logs().find("\"level\":\"error\""), std::string::npos)
      << "the server logged an error while answering generated requests";
}

}  // namespace
}  // namespace returns::testing
