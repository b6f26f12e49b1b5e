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

// Where each RPC goes: its use case (server/app/<resource>/<snake_case>.cc, whose SQL is under
// server/storage/sql/). The method is the use case's request type less "Request"
// (CreateReturnRequest -> CreateReturn); its roles are declared on the method in the proto.
// Decoding, authentication, the role check (authorization.cc), validation (api/validation/) and
// the status mapping happen in CallRunner for all alike.
namespace returns::api {

std::vector<std::unique_ptr<ByteService>> MakeServices(CallRunner& runner) {
  std::vector<std::unique_ptr<ByteService>> services;
  auto add = [&](const char* name) -> ByteService& {
    return *services.emplace_back(std::make_unique<ByteService>(name));
  };

  ByteService& orders = add("returns.v1.OrderService");
  runner.AddUnary(orders, app::UpsertOrder);
  runner.AddUnary(orders, app::GetOrder);
  runner.AddUnary(orders, app::ListOrders);

  ByteService& returns = add("returns.v1.ReturnService");
  runner.AddUnary(returns, app::CheckEligibility);
  runner.AddUnary(returns, app::PreviewReturn);
  runner.AddUnary(returns, app::CreateReturn);
  runner.AddUnary(returns, app::GetReturn);
  runner.AddUnary(returns, app::ListReturns);
  runner.AddUnary(returns, app::CancelReturn);
  runner.AddUnary(returns, app::ReceiveReturn);
  runner.AddUnary(returns, app::ApproveReturn);
  runner.AddUnary(returns, app::RejectReturn);
  runner.AddUnary(returns, app::ResolveReturn);

  ByteService& timeline = add("returns.v1.TimelineService");
  runner.AddUnary(timeline, app::GetTimeline);
  runner.AddServerStream(timeline, app::OpenStreamEvents);
  runner.AddServerStream(timeline, app::OpenWatchTimeline);

  ByteService& exchanges = add("returns.v1.ExchangeService");
  runner.AddUnary(exchanges, app::IssueExchangeToken);
  runner.AddUnary(exchanges, app::GetExchangeToken);
  runner.AddUnary(exchanges, app::ListExchangeTokens);
  runner.AddUnary(exchanges, app::RedeemExchangeToken);
  runner.AddUnary(exchanges, app::RevokeExchangeToken);
  runner.AddUnary(exchanges, app::ReportChargeOutcome);
  runner.AddUnary(exchanges, app::RetryExchangeTokenCharge);

  ByteService& money = add("returns.v1.MoneyService");
  runner.AddUnary(money, app::GetMoneyMovement);
  runner.AddUnary(money, app::ListMoneyMovements);
  runner.AddUnary(money, app::ReportMoneyMovementOutcome);
  runner.AddUnary(money, app::RetryMoneyMovement);
  runner.AddUnary(money, app::CancelMoneyMovement);

  ByteService& webhooks = add("returns.v1.WebhookService");
  runner.AddUnary(webhooks, app::CreateWebhookEndpoint);
  runner.AddUnary(webhooks, app::ListWebhookEndpoints);
  runner.AddUnary(webhooks, app::UpdateWebhookEndpoint);
  runner.AddUnary(webhooks, app::RotateWebhookSecret);
  runner.AddUnary(webhooks, app::DeleteWebhookEndpoint);
  runner.AddUnary(webhooks, app::ListWebhookDeliveries);
  runner.AddUnary(webhooks, app::ReplayWebhookEvents);

  ByteService& inventory = add("returns.v1.InventoryService");
  runner.AddUnary(inventory, app::SetInventoryLevels);
  runner.AddUnary(inventory, app::GetInventoryLevel);
  runner.AddUnary(inventory, app::ListInventoryLevels);

  ByteService& logistics = add("returns.v1.LogisticsService");
  runner.AddUnary(logistics, app::CreateReturnLabel);
  runner.AddUnary(logistics, app::VoidLabel);
  runner.AddUnary(logistics, app::ConfirmFulfillment);
  runner.AddUnary(logistics, app::RecordCarrierEvents);
  runner.AddUnary(logistics, app::GetShipment);
  runner.AddUnary(logistics, app::ListShipments);
  runner.AddUnary(logistics, app::SetCarrierAccount);
  runner.AddUnary(logistics, app::ListCarrierAccounts);
  runner.AddUnary(logistics, app::DeleteCarrierAccount);

  ByteService& claims = add("returns.v1.ClaimService");
  runner.AddUnary(claims, app::FileClaim);
  runner.AddUnary(claims, app::AddClaimEvidence);
  runner.AddUnary(claims, app::GetClaim);
  runner.AddUnary(claims, app::ListClaims);
  runner.AddUnary(claims, app::ReviewClaim);
  runner.AddUnary(claims, app::DownloadClaimEvidence);

  ByteService& policies = add("returns.v1.PolicyService");
  runner.AddUnary(policies, app::GetPolicy);
  runner.AddUnary(policies, app::UpdatePolicy);
  runner.AddUnary(policies, app::ListPolicyVersions);

  ByteService& analytics = add("returns.v1.AnalyticsService");
  runner.AddUnary(analytics, app::GetKpis);

  ByteService& admin = add("returns.v1.AdminService");
  runner.AddUnary<v1::CreateMerchantRequest, v1::CreateMerchantResponse>(admin,
                                                                         app::CreateMerchant);
  runner.AddUnary(admin, app::CreateApiKey);
  runner.AddUnary(admin, app::RevokeApiKey);
  runner.AddUnary(admin, app::ListApiKeys);
  runner.AddUnary(admin, app::ListDecisions);
  runner.AddUnary(admin, app::ListJobs);
  runner.AddUnary(admin, app::RetryJob);
  runner.AddUnary(admin, app::OverrideDecision);

  for (const auto& service : services) service->Finish();
  return services;
}

}  // namespace returns::api
