#pragma once

#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "returns/v1/admin_service.pb.h"
#include "returns/v1/analytics_service.pb.h"
#include "returns/v1/claim_service.pb.h"
#include "returns/v1/policy_service.pb.h"
#include "returns/v1/exchange_service.pb.h"
#include "returns/v1/inventory_service.pb.h"
#include "returns/v1/logistics_service.pb.h"
#include "returns/v1/money_service.pb.h"
#include "returns/v1/order_service.pb.h"
#include "returns/v1/return_service.pb.h"
#include "returns/v1/timeline_service.pb.h"
#include "returns/v1/webhook_service.pb.h"

// Validation of every request before any use case runs (one file per service in api/validation/):
// the first bad field gets INVALID_ARGUMENT naming it (for example "order.lines[2].quantity").
// Nothing is stored for a request that fails here. Limits are in docs/api.md.
namespace returns::api {

// Limits on untrusted input.
inline constexpr int kMaxIdLength = 128;
inline constexpr int kMaxOrderLines = 500;
inline constexpr int kMaxReturnLines = 100;
inline constexpr int kMaxQuantity = 100000;
inline constexpr int kMaxTextLength = 1000;
// Reasons and descriptions people write (claims, reviews, overrides).
inline constexpr int kMaxReasonLength = 2000;
inline constexpr int kMaxClaimLines = 100;
inline constexpr int kMaxOrderShipments = 50;
inline constexpr int kMaxVariantAttributes = 20;
inline constexpr int kMaxInventoryLevels = 500;
inline constexpr int kMaxOnHand = 1000000000;
// A catalogue size's label and explicit place in the size order.
inline constexpr size_t kMaxSizeLength = 32;
inline constexpr int kMaxSizeRank = 1000;
inline constexpr int kMaxCarrierEvents = 500;
// How far ahead of this server's clock a past time (a delivery, an order) may be.
inline constexpr absl::Duration kClockSkew = absl::Minutes(5);

// True for the canonical text form of a UUID.
bool IsUuid(absl::string_view text);

absl::Status Validate(const v1::UpsertOrderRequest& request);
absl::Status Validate(const v1::FileClaimRequest& request);
absl::Status Validate(const v1::AddClaimEvidenceRequest& request);
absl::Status Validate(const v1::GetClaimRequest& request);
absl::Status Validate(const v1::ListClaimsRequest& request);
absl::Status Validate(const v1::ReviewClaimRequest& request);
absl::Status Validate(const v1::DownloadClaimEvidenceRequest& request);
absl::Status Validate(const v1::OverrideDecisionRequest& request);
absl::Status Validate(const v1::PreviewReturnRequest& request);
absl::Status Validate(const v1::CheckEligibilityRequest& request);
absl::Status Validate(const v1::GetPolicyRequest& request);
absl::Status Validate(const v1::UpdatePolicyRequest& request);
absl::Status Validate(const v1::ListPolicyVersionsRequest& request);
absl::Status Validate(const v1::GetKpisRequest& request);
absl::Status Validate(const v1::GetOrderRequest& request);
absl::Status Validate(const v1::ListOrdersRequest& request);
absl::Status Validate(const v1::CreateReturnRequest& request);
absl::Status Validate(const v1::GetReturnRequest& request);
absl::Status Validate(const v1::ListReturnsRequest& request);
absl::Status Validate(const v1::CancelReturnRequest& request);
absl::Status Validate(const v1::ReceiveReturnRequest& request);
absl::Status Validate(const v1::GetTimelineRequest& request);
absl::Status Validate(const v1::StreamEventsRequest& request);
absl::Status Validate(const v1::IssueExchangeTokenRequest& request);
absl::Status Validate(const v1::GetExchangeTokenRequest& request);
absl::Status Validate(const v1::ListExchangeTokensRequest& request);
absl::Status Validate(const v1::RedeemExchangeTokenRequest& request);
absl::Status Validate(const v1::RevokeExchangeTokenRequest& request);
absl::Status Validate(const v1::ReportChargeOutcomeRequest& request);
absl::Status Validate(const v1::RetryExchangeTokenChargeRequest& request);
absl::Status Validate(const v1::GetMoneyMovementRequest& request);
absl::Status Validate(const v1::ListMoneyMovementsRequest& request);
absl::Status Validate(const v1::ReportMoneyMovementOutcomeRequest& request);
absl::Status Validate(const v1::RetryMoneyMovementRequest& request);
absl::Status Validate(const v1::CancelMoneyMovementRequest& request);
absl::Status Validate(const v1::SetCarrierAccountRequest& request);
absl::Status Validate(const v1::ListCarrierAccountsRequest& request);
absl::Status Validate(const v1::DeleteCarrierAccountRequest& request);
absl::Status Validate(const v1::CreateWebhookEndpointRequest& request);
absl::Status Validate(const v1::ListWebhookEndpointsRequest& request);
absl::Status Validate(const v1::UpdateWebhookEndpointRequest& request);
absl::Status Validate(const v1::RotateWebhookSecretRequest& request);
absl::Status Validate(const v1::DeleteWebhookEndpointRequest& request);
absl::Status Validate(const v1::ListWebhookDeliveriesRequest& request);
absl::Status Validate(const v1::ReplayWebhookEventsRequest& request);
absl::Status Validate(const v1::SetInventoryLevelsRequest& request);
absl::Status Validate(const v1::GetInventoryLevelRequest& request);
absl::Status Validate(const v1::ListInventoryLevelsRequest& request);
absl::Status Validate(const v1::CreateMerchantRequest& request);
absl::Status Validate(const v1::CreateApiKeyRequest& request);
absl::Status Validate(const v1::RevokeApiKeyRequest& request);
absl::Status Validate(const v1::ListApiKeysRequest& request);
absl::Status Validate(const v1::ListDecisionsRequest& request);
absl::Status Validate(const v1::ApproveReturnRequest& request);
absl::Status Validate(const v1::RejectReturnRequest& request);
absl::Status Validate(const v1::ResolveReturnRequest& request);
absl::Status Validate(const v1::CreateReturnLabelRequest& request);
absl::Status Validate(const v1::VoidLabelRequest& request);
absl::Status Validate(const v1::ConfirmFulfillmentRequest& request);
absl::Status Validate(const v1::RecordCarrierEventsRequest& request);
absl::Status Validate(const v1::GetShipmentRequest& request);
absl::Status Validate(const v1::ListShipmentsRequest& request);
absl::Status Validate(const v1::WatchTimelineRequest& request);
absl::Status Validate(const v1::ListJobsRequest& request);
absl::Status Validate(const v1::RetryJobRequest& request);

}  // namespace returns::api
