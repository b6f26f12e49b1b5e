// Request decoding and validation over any bytes a client can send: the first byte picks the
// request type (every request of the contract), the rest is its wire form, decoded as returnsd
// decodes it (api/request_decoding.h) and then validated. Neither may crash; what decoding
// accepts holds no NUL, invalid UTF-8 or control character in any string; what it refuses is
// INVALID_ARGUMENT naming a field; and what validation accepts respects the published limits
// (docs/api.md).
#include <cstddef>
#include <cstdint>

#include "api/request_decoding.h"
#include "api/request_validation.h"
#include "domain/errors.h"
#include "domain/evidence_rules.h"

namespace {

using namespace returns;

template <typename Request>
bool Decode(const uint8_t* data, size_t size, Request* request) {
  absl::Status decoded =
      api::DecodeRequest(absl::string_view(reinterpret_cast<const char*>(data), size), request);
  if (!decoded.ok()) {
    if (decoded.code() != absl::StatusCode::kInvalidArgument || !FieldOf(decoded).has_value()) {
      __builtin_trap();
    }
    return false;
  }
  if (api::FindBadString(*request).has_value()) __builtin_trap();
  return true;
}

template <typename Request>
void Check(const uint8_t* data, size_t size) {
  Request request;
  if (!Decode(data, size, &request)) return;
  absl::Status valid = api::Validate(request);
  if (!valid.ok() && valid.code() != absl::StatusCode::kInvalidArgument) __builtin_trap();
}

void CheckCreateReturn(const uint8_t* data, size_t size) {
  v1::CreateReturnRequest request;
  if (!Decode(data, size, &request) || !api::Validate(request).ok()) return;
  if (request.lines_size() < 1 || request.lines_size() > api::kMaxReturnLines) __builtin_trap();
  for (const auto& line : request.lines()) {
    if (line.quantity() < 1 || line.quantity() > api::kMaxQuantity) __builtin_trap();
  }
}

void CheckUpsertOrder(const uint8_t* data, size_t size) {
  v1::UpsertOrderRequest request;
  if (!Decode(data, size, &request) || !api::Validate(request).ok()) return;
  if (request.order().lines_size() < 1 || request.order().lines_size() > api::kMaxOrderLines) {
    __builtin_trap();
  }
  for (const auto& line : request.order().lines()) {
    if (line.unit_price().amount_minor() < 0) __builtin_trap();
  }
}

void CheckAddClaimEvidence(const uint8_t* data, size_t size) {
  v1::AddClaimEvidenceRequest request;
  if (!Decode(data, size, &request) || !api::Validate(request).ok()) return;
  if (static_cast<int64_t>(request.data().size()) > kMaxEvidenceChunkBytes ||
      request.offset() < 0) {
    __builtin_trap();
  }
}

void CheckFileClaim(const uint8_t* data, size_t size) {
  v1::FileClaimRequest request;
  if (!Decode(data, size, &request) || !api::Validate(request).ok()) return;
  if (request.lines_size() < 1 || request.lines_size() > api::kMaxClaimLines) __builtin_trap();
  for (const auto& line : request.lines()) {
    if (line.quantity() < 1 || line.quantity() > api::kMaxQuantity) __builtin_trap();
  }
}

using Checker = void (*)(const uint8_t*, size_t);

// Every request type of the contract; the first two keep their checks of the limits.
constexpr Checker kCheckers[] = {
    CheckCreateReturn,
    CheckUpsertOrder,
    Check<v1::GetOrderRequest>,
    Check<v1::ListOrdersRequest>,
    Check<v1::GetReturnRequest>,
    Check<v1::ListReturnsRequest>,
    Check<v1::CancelReturnRequest>,
    Check<v1::ReceiveReturnRequest>,
    Check<v1::ApproveReturnRequest>,
    Check<v1::RejectReturnRequest>,
    Check<v1::ResolveReturnRequest>,
    Check<v1::GetTimelineRequest>,
    Check<v1::StreamEventsRequest>,
    Check<v1::WatchTimelineRequest>,
    Check<v1::IssueExchangeTokenRequest>,
    Check<v1::GetExchangeTokenRequest>,
    Check<v1::ListExchangeTokensRequest>,
    Check<v1::RedeemExchangeTokenRequest>,
    Check<v1::RevokeExchangeTokenRequest>,
    Check<v1::ReportChargeOutcomeRequest>,
    Check<v1::RetryExchangeTokenChargeRequest>,
    Check<v1::SetInventoryLevelsRequest>,
    Check<v1::GetInventoryLevelRequest>,
    Check<v1::ListInventoryLevelsRequest>,
    Check<v1::CreateReturnLabelRequest>,
    Check<v1::VoidLabelRequest>,
    Check<v1::ConfirmFulfillmentRequest>,
    Check<v1::RecordCarrierEventsRequest>,
    Check<v1::GetShipmentRequest>,
    Check<v1::ListShipmentsRequest>,
    Check<v1::CreateMerchantRequest>,
    Check<v1::CreateApiKeyRequest>,
    Check<v1::RevokeApiKeyRequest>,
    Check<v1::ListApiKeysRequest>,
    Check<v1::ListDecisionsRequest>,
    Check<v1::ListJobsRequest>,
    Check<v1::RetryJobRequest>,
    Check<v1::OverrideDecisionRequest>,
    CheckFileClaim,
    CheckAddClaimEvidence,
    Check<v1::GetClaimRequest>,
    Check<v1::ListClaimsRequest>,
    Check<v1::ReviewClaimRequest>,
    Check<v1::DownloadClaimEvidenceRequest>,
    Check<v1::GetPolicyRequest>,
    Check<v1::UpdatePolicyRequest>,
    Check<v1::ListPolicyVersionsRequest>,
    Check<v1::PreviewReturnRequest>,
    Check<v1::CheckEligibilityRequest>,
    Check<v1::GetKpisRequest>,
    Check<v1::GetMoneyMovementRequest>,
    Check<v1::ListMoneyMovementsRequest>,
    Check<v1::ReportMoneyMovementOutcomeRequest>,
    Check<v1::RetryMoneyMovementRequest>,
    Check<v1::CancelMoneyMovementRequest>,
    Check<v1::SetCarrierAccountRequest>,
    Check<v1::ListCarrierAccountsRequest>,
    Check<v1::DeleteCarrierAccountRequest>,
    Check<v1::CreateWebhookEndpointRequest>,
    Check<v1::ListWebhookEndpointsRequest>,
    Check<v1::UpdateWebhookEndpointRequest>,
    Check<v1::RotateWebhookSecretRequest>,
    Check<v1::DeleteWebhookEndpointRequest>,
    Check<v1::ListWebhookDeliveriesRequest>,
    Check<v1::ReplayWebhookEventsRequest>,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  kCheckers[data[0] % (sizeof(kCheckers) / sizeof(kCheckers[0]))](data + 1, size - 1);
  return 0;
}
