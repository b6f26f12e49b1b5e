#pragma once

#include <memory>
#include <string>

#include "returns/v1/admin_service.grpc.pb.h"
#include "returns/v1/analytics_service.grpc.pb.h"
#include "returns/v1/claim_service.grpc.pb.h"
#include "returns/v1/exchange_service.grpc.pb.h"
#include "returns/v1/inventory_service.grpc.pb.h"
#include "returns/v1/logistics_service.grpc.pb.h"
#include "returns/v1/money_service.grpc.pb.h"
#include "returns/v1/webhook_service.grpc.pb.h"
#include "returns/v1/order_service.grpc.pb.h"
#include "returns/v1/policy_service.grpc.pb.h"
#include "returns/v1/return_service.grpc.pb.h"
#include "returns/v1/timeline_service.grpc.pb.h"
#include "returns_client.h"

// The C++ client library for storefront backends and tools: one object over every service of
// the contract, on one channel, with the caller's key, TLS and default deadline (ClientOptions),
// and safe retries (RetryPolicy): a mutation's request_id is drawn once per logical operation and
// sent unchanged on every retry, so a retry - across a lost response or a server restart -
// never acts twice. returnsctl is built on it.
//
//   returns::client::ReturnsClient client({.address = "returns:50051", .api_key = key});
//   v1::Return ret;
//   auto result = client.Call(client.returns(), &v1::ReturnService::Stub::CreateReturn, request,
//   &ret); if (!result.ok()) std::cerr << result.error.reason << " on " << result.error.field;
namespace returns::client {

struct CallResult {
  grpc::Status status;
  ErrorDetails error;      // the reason, field, metadata and RetryInfo of a failure
  int attempts = 0;        // how many times the call was sent
  std::string request_id;  // the request_id every attempt carried ("" for reads)
  bool ok() const { return status.ok(); }
};

// One stub per service of the contract, all on one channel made from the options: the one place
// a channel and stubs are made, for ReturnsClient and for returnsctl's commands. MakeChannel's
// std::runtime_error (an unreadable TLS file, refused plaintext) passes through.
struct Services {
  explicit Services(const ClientOptions& options)
      : channel(MakeChannel(options)),
        orders(v1::OrderService::NewStub(channel)),
        returns(v1::ReturnService::NewStub(channel)),
        exchanges(v1::ExchangeService::NewStub(channel)),
        inventory(v1::InventoryService::NewStub(channel)),
        logistics(v1::LogisticsService::NewStub(channel)),
        timeline(v1::TimelineService::NewStub(channel)),
        claims(v1::ClaimService::NewStub(channel)),
        policies(v1::PolicyService::NewStub(channel)),
        analytics(v1::AnalyticsService::NewStub(channel)),
        admin(v1::AdminService::NewStub(channel)),
        money(v1::MoneyService::NewStub(channel)),
        webhooks(v1::WebhookService::NewStub(channel)) {}

  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::OrderService::Stub> orders;
  std::unique_ptr<v1::ReturnService::Stub> returns;
  std::unique_ptr<v1::ExchangeService::Stub> exchanges;
  std::unique_ptr<v1::InventoryService::Stub> inventory;
  std::unique_ptr<v1::LogisticsService::Stub> logistics;
  std::unique_ptr<v1::TimelineService::Stub> timeline;
  std::unique_ptr<v1::ClaimService::Stub> claims;
  std::unique_ptr<v1::PolicyService::Stub> policies;
  std::unique_ptr<v1::AnalyticsService::Stub> analytics;
  std::unique_ptr<v1::AdminService::Stub> admin;
  std::unique_ptr<v1::MoneyService::Stub> money;
  std::unique_ptr<v1::WebhookService::Stub> webhooks;
};

class ReturnsClient {
 public:
  explicit ReturnsClient(ClientOptions options, RetryPolicy retry = {})
      : options_(std::move(options)), retry_(retry), services_(options_) {}

  // One unary call of `stub` with retries. `request` is copied once: its request_id (when the
  // message has one and it is empty) is set then, and every attempt sends that same message.
  template <typename Stub, typename Request, typename Response>
  CallResult Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  Request request, Response* response) const {
    CallResult result;
    result.request_id = EnsureRequestId(&request);
    result.status = CallWithRetries(
        options_, retry_,
        [&](grpc::ClientContext* context) { return (stub.*method)(context, request, response); },
        &result.attempts);
    if (!result.status.ok()) result.error = ParseErrorDetails(result.status);
    return result;
  }

  // A context for a stream (deadline and credentials), e.g. client.timeline().WatchTimeline(...).
  std::unique_ptr<grpc::ClientContext> StreamContext() const { return MakeContext(options_); }

  v1::OrderService::Stub& orders() const { return *services_.orders; }
  v1::ReturnService::Stub& returns() const { return *services_.returns; }
  v1::ExchangeService::Stub& exchanges() const { return *services_.exchanges; }
  v1::InventoryService::Stub& inventory() const { return *services_.inventory; }
  v1::LogisticsService::Stub& logistics() const { return *services_.logistics; }
  v1::TimelineService::Stub& timeline() const { return *services_.timeline; }
  v1::ClaimService::Stub& claims() const { return *services_.claims; }
  v1::PolicyService::Stub& policies() const { return *services_.policies; }
  v1::AnalyticsService::Stub& analytics() const { return *services_.analytics; }
  v1::AdminService::Stub& admin() const { return *services_.admin; }
  const std::shared_ptr<grpc::Channel>& channel() const { return services_.channel; }
  const ClientOptions& options() const { return options_; }

 private:
  ClientOptions options_;
  RetryPolicy retry_;
  Services services_;
};

}  // namespace returns::client
