#include "api/authorization.h"

#include "absl/strings/str_cat.h"
#include "domain/api_key.h"
#include "domain/errors.h"

namespace returns::api {
namespace {

constexpr auto S = v1::API_KEY_ROLE_STOREFRONT;
constexpr auto U = v1::API_KEY_ROLE_SUPPORT;
constexpr auto A = v1::API_KEY_ROLE_ADMIN;
constexpr auto C = v1::API_KEY_ROLE_CARRIER;

}  // namespace

// S = STOREFRONT, U = SUPPORT, A = ADMIN, C = CARRIER (carriers and warehouses).
// Health and reflection need no key and are not in this table.
const std::map<std::string, std::set<v1::ApiKeyRole>>& MethodRoles() {
  static const auto* const kTable = new std::map<std::string, std::set<v1::ApiKeyRole>>{
      {"returns.v1.OrderService/UpsertOrder", {S, A}},
      {"returns.v1.OrderService/GetOrder", {S, U, A}},
      {"returns.v1.OrderService/ListOrders", {S, U, A}},

      {"returns.v1.ReturnService/CheckEligibility", {S, U, A}},
      {"returns.v1.ReturnService/PreviewReturn", {S, U, A}},
      {"returns.v1.ReturnService/CreateReturn", {S, U, A}},
      {"returns.v1.ReturnService/GetReturn", {S, U, A, C}},
      {"returns.v1.ReturnService/ListReturns", {S, U, A}},
      {"returns.v1.ReturnService/ApproveReturn", {U, A}},
      {"returns.v1.ReturnService/RejectReturn", {U, A}},
      {"returns.v1.ReturnService/CancelReturn", {S, U, A}},
      {"returns.v1.ReturnService/ReceiveReturn", {C, U, A}},
      {"returns.v1.ReturnService/ResolveReturn", {U, A}},

      {"returns.v1.ExchangeService/IssueExchangeToken", {S, U, A}},
      {"returns.v1.ExchangeService/GetExchangeToken", {S, U, A}},
      {"returns.v1.ExchangeService/ListExchangeTokens", {S, U, A}},
      {"returns.v1.ExchangeService/RedeemExchangeToken", {S, A}},
      {"returns.v1.ExchangeService/RevokeExchangeToken", {S, U, A}},
      {"returns.v1.ExchangeService/ReportChargeOutcome", {S, A}},
      // A second charge of a customer is a person's or the payment system's explicit call.
      {"returns.v1.ExchangeService/RetryExchangeTokenCharge", {S, U, A}},

      // Stock comes from the storefront or the warehouse (WMS, with a CARRIER key).
      {"returns.v1.InventoryService/SetInventoryLevels", {S, C, A}},
      {"returns.v1.InventoryService/GetInventoryLevel", {S, U, A, C}},
      {"returns.v1.InventoryService/ListInventoryLevels", {S, U, A, C}},

      {"returns.v1.ClaimService/FileClaim", {S, U, A}},
      {"returns.v1.ClaimService/AddClaimEvidence", {S, U, A}},
      {"returns.v1.ClaimService/GetClaim", {S, U, A}},
      {"returns.v1.ClaimService/ListClaims", {S, U, A}},
      {"returns.v1.ClaimService/ReviewClaim", {U, A}},
      {"returns.v1.ClaimService/DownloadClaimEvidence", {S, U, A}},

      {"returns.v1.LogisticsService/CreateReturnLabel", {S, U, A}},
      {"returns.v1.LogisticsService/VoidLabel", {U, A}},
      {"returns.v1.LogisticsService/ConfirmFulfillment", {C, A}},
      {"returns.v1.LogisticsService/RecordCarrierEvents", {C, A}},
      {"returns.v1.LogisticsService/GetShipment", {S, U, A, C}},
      {"returns.v1.LogisticsService/ListShipments", {S, U, A, C}},

      {"returns.v1.TimelineService/GetTimeline", {S, U, A}},
      {"returns.v1.TimelineService/WatchTimeline", {S, U, A}},
      {"returns.v1.TimelineService/StreamEvents", {S, U, A}},

      {"returns.v1.PolicyService/GetPolicy", {S, U, A}},
      {"returns.v1.PolicyService/UpdatePolicy", {A}},
      {"returns.v1.PolicyService/ListPolicyVersions", {U, A}},

      {"returns.v1.AnalyticsService/GetKpis", {U, A}},

      // CreateMerchant also requires an operator merchant's key (Authorize below).
      {"returns.v1.AdminService/CreateMerchant", {A}},
      {"returns.v1.AdminService/CreateApiKey", {A}},
      {"returns.v1.AdminService/RevokeApiKey", {A}},
      {"returns.v1.AdminService/ListApiKeys", {A}},
      {"returns.v1.AdminService/ListDecisions", {U, A}},
      // Operators' dead-letter queue.
      {"returns.v1.AdminService/ListJobs", {U, A}},
      {"returns.v1.AdminService/RetryJob", {A}},
      // A person's override of an automated decision (PRODUCT.md 4.7).
      {"returns.v1.AdminService/OverrideDecision", {U, A}},
  };
  return *kTable;
}

absl::Status Authorize(const app::Principal& principal, const std::string& method) {
  const auto& table = MethodRoles();
  auto it = table.find(method);
  const bool allowed = it != table.end() && it->second.count(principal.role) > 0 &&
                       (method != "returns.v1.AdminService/CreateMerchant" ||
                        principal.operator_merchant);
  if (allowed) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kPermissionDenied, reason::kPermissionDenied,
                         absl::StrCat("a ", ApiKeyRoleName(principal.role), " key may not call ",
                                      method),
                         {{"role", ApiKeyRoleName(principal.role)}});
}

}  // namespace returns::api
