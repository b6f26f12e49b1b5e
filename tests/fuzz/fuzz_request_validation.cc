// Request validation over any message a client can send: the first byte picks the request type,
// the rest is its wire form. Validation must never crash, and what it accepts must respect the
// published limits (docs/api.md).
#include <cstddef>
#include <cstdint>

#include "api/request_validation.h"

namespace {

template <typename Request>
void Check(const uint8_t* data, size_t size) {
  Request request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  (void)returns::api::Validate(request);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t* body = data + 1;
  const size_t body_size = size - 1;
  using namespace returns;
  switch (data[0] % 15) {
    case 0: {
      v1::CreateReturnRequest request;
      if (!request.ParseFromArray(body, static_cast<int>(body_size))) return 0;
      if (api::Validate(request).ok()) {
        if (request.lines_size() < 1 || request.lines_size() > api::kMaxReturnLines) __builtin_trap();
        for (const auto& line : request.lines()) {
          if (line.quantity() < 1 || line.quantity() > api::kMaxQuantity) __builtin_trap();
        }
      }
      return 0;
    }
    case 1: {
      v1::UpsertOrderRequest request;
      if (!request.ParseFromArray(body, static_cast<int>(body_size))) return 0;
      if (api::Validate(request).ok()) {
        if (request.order().lines_size() < 1 || request.order().lines_size() > api::kMaxOrderLines) {
          __builtin_trap();
        }
        for (const auto& line : request.order().lines()) {
          if (line.unit_price().amount_minor() < 0) __builtin_trap();
        }
      }
      return 0;
    }
    case 2: Check<v1::CancelReturnRequest>(body, body_size); return 0;
    case 3: Check<v1::ListReturnsRequest>(body, body_size); return 0;
    case 4: Check<v1::GetTimelineRequest>(body, body_size); return 0;
    case 5: Check<v1::CreateApiKeyRequest>(body, body_size); return 0;
    case 6: Check<v1::ListDecisionsRequest>(body, body_size); return 0;
    case 7: Check<v1::SetInventoryLevelsRequest>(body, body_size); return 0;
    case 9: Check<v1::RecordCarrierEventsRequest>(body, body_size); return 0;
    case 10: Check<v1::ResolveReturnRequest>(body, body_size); return 0;
    case 11: Check<v1::ConfirmFulfillmentRequest>(body, body_size); return 0;
    case 12: Check<v1::WatchTimelineRequest>(body, body_size); return 0;
    case 13: Check<v1::RetryExchangeTokenChargeRequest>(body, body_size); return 0;
    case 14: Check<v1::ReportChargeOutcomeRequest>(body, body_size); return 0;
    default: Check<v1::GetReturnRequest>(body, body_size); return 0;
  }
}
