#include "api/services.h"

#include "app/use_cases.h"
#include "returns/v1/admin_service.pb.h"
#include "returns/v1/analytics_service.pb.h"
#include "returns/v1/claim_service.pb.h"
#include "returns/v1/policy_service.pb.h"
#include "returns/v1/exchange_service.pb.h"
#include "returns/v1/inventory_service.pb.h"
#include "returns/v1/logistics_service.pb.h"
#include "returns/v1/order_service.pb.h"
#include "returns/v1/return_service.pb.h"
#include "returns/v1/timeline_service.pb.h"

// Where each RPC goes: the method's name, then its use case (server/app/<snake_case>.cc, whose
// SQL is under server/storage/sql/). Decoding, authentication, the role check (authorization.cc),
// validation (request_validation.cc) and the status mapping happen in CallRunner for all alike.
namespace returns::api {

std::vector<std::unique_ptr<ByteService>> MakeServices(CallRunner& runner) {
  std::vector<std::unique_ptr<ByteService>> services;
  auto add = [&](const char* name) -> ByteService& {
    return *services.emplace_back(std::make_unique<ByteService>(name));
  };

  ByteService& orders = add("returns.v1.OrderService");
  runner.AddUnary(orders, "UpsertOrder", app::UpsertOrder);
  runner.AddUnary(orders, "GetOrder", app::GetOrder);
  runner.AddUnary(orders, "ListOrders", app::ListOrders);

  ByteService& returns = add("returns.v1.ReturnService");
  runner.AddUnary(returns, "CheckEligibility", app::CheckEligibility);
  runner.AddUnary(returns, "PreviewReturn", app::PreviewReturn);
  runner.AddUnary(returns, "CreateReturn", app::CreateReturn);
  runner.AddUnary(returns, "GetReturn", app::GetReturn);
  runner.AddUnary(returns, "ListReturns", app::ListReturns);
  runner.AddUnary(returns, "CancelReturn", app::CancelReturn);
  runner.AddUnary(returns, "ReceiveReturn", app::ReceiveReturn);
  runner.AddUnary(returns, "ApproveReturn", app::ApproveReturn);
  runner.AddUnary(returns, "RejectReturn", app::RejectReturn);
  runner.AddUnary(returns, "ResolveReturn", app::ResolveReturn);

  ByteService& timeline = add("returns.v1.TimelineService");
  runner.AddUnary(timeline, "GetTimeline", app::GetTimeline);
  runner.AddServerStream(timeline, "StreamEvents", app::OpenStreamEvents);
  runner.AddServerStream(timeline, "WatchTimeline", app::OpenWatchTimeline);

  ByteService& exchanges = add("returns.v1.ExchangeService");
  runner.AddUnary(exchanges, "IssueExchangeToken", app::IssueExchangeToken);
  runner.AddUnary(exchanges, "GetExchangeToken", app::GetExchangeToken);
  runner.AddUnary(exchanges, "ListExchangeTokens", app::ListExchangeTokens);
  runner.AddUnary(exchanges, "RedeemExchangeToken", app::RedeemExchangeToken);
  runner.AddUnary(exchanges, "RevokeExchangeToken", app::RevokeExchangeToken);
  runner.AddUnary(exchanges, "ReportChargeOutcome", app::ReportChargeOutcome);
  runner.AddUnary(exchanges, "RetryExchangeTokenCharge", app::RetryExchangeTokenCharge);

  ByteService& inventory = add("returns.v1.InventoryService");
  runner.AddUnary(inventory, "SetInventoryLevels", app::SetInventoryLevels);
  runner.AddUnary(inventory, "GetInventoryLevel", app::GetInventoryLevel);
  runner.AddUnary(inventory, "ListInventoryLevels", app::ListInventoryLevels);

  ByteService& logistics = add("returns.v1.LogisticsService");
  runner.AddUnary(logistics, "CreateReturnLabel", app::CreateReturnLabel);
  runner.AddUnary(logistics, "VoidLabel", app::VoidLabel);
  runner.AddUnary(logistics, "ConfirmFulfillment", app::ConfirmFulfillment);
  runner.AddUnary(logistics, "RecordCarrierEvents", app::RecordCarrierEvents);
  runner.AddUnary(logistics, "GetShipment", app::GetShipment);
  runner.AddUnary(logistics, "ListShipments", app::ListShipments);

  ByteService& claims = add("returns.v1.ClaimService");
  runner.AddUnary(claims, "FileClaim", app::FileClaim);
  runner.AddUnary(claims, "AddClaimEvidence", app::AddClaimEvidence);
  runner.AddUnary(claims, "GetClaim", app::GetClaim);
  runner.AddUnary(claims, "ListClaims", app::ListClaims);
  runner.AddUnary(claims, "ReviewClaim", app::ReviewClaim);
  runner.AddUnary(claims, "DownloadClaimEvidence", app::DownloadClaimEvidence);

  ByteService& policies = add("returns.v1.PolicyService");
  runner.AddUnary(policies, "GetPolicy", app::GetPolicy);
  runner.AddUnary(policies, "UpdatePolicy", app::UpdatePolicy);
  runner.AddUnary(policies, "ListPolicyVersions", app::ListPolicyVersions);

  ByteService& analytics = add("returns.v1.AnalyticsService");
  runner.AddUnary(analytics, "GetKpis", app::GetKpis);

  ByteService& admin = add("returns.v1.AdminService");
  runner.AddUnary<v1::CreateMerchantRequest, v1::CreateMerchantResponse>(admin, "CreateMerchant",
                                                                        app::CreateMerchant);
  runner.AddUnary(admin, "CreateApiKey", app::CreateApiKey);
  runner.AddUnary(admin, "RevokeApiKey", app::RevokeApiKey);
  runner.AddUnary(admin, "ListApiKeys", app::ListApiKeys);
  runner.AddUnary(admin, "ListDecisions", app::ListDecisions);
  runner.AddUnary(admin, "ListJobs", app::ListJobs);
  runner.AddUnary(admin, "RetryJob", app::RetryJob);
  runner.AddUnary(admin, "OverrideDecision", app::OverrideDecision);

  for (const auto& service : services) service->Finish();
  return services;
}

}  // namespace returns::api
