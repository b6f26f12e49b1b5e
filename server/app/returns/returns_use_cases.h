#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "returns/v1/return_service.pb.h"

// ReturnService.
// One use case per file in this folder, named after the function; each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

absl::Status CreateReturn(const AppContext& app, CallContext& call,
                          const v1::CreateReturnRequest& request, v1::Return* response);

// What may be returned from an order now, line by line (check_eligibility.cc); changes nothing.
absl::Status CheckEligibility(const AppContext& app, const CallContext& call,
                              const v1::CheckEligibilityRequest& request,
                              v1::CheckEligibilityResponse* response);

// The settlement plan a CreateReturn with the same lines would produce, changing nothing
// (preview_return.cc; the shared code is app/returns/quote_return.h).
absl::Status PreviewReturn(const AppContext& app, const CallContext& call,
                           const v1::PreviewReturnRequest& request, v1::SettlementPlan* response);

absl::Status GetReturn(const AppContext& app, const CallContext& call,
                       const v1::GetReturnRequest& request, v1::Return* response);

absl::Status ListReturns(const AppContext& app, const CallContext& call,
                         const v1::ListReturnsRequest& request, v1::ListReturnsResponse* response);

absl::Status CancelReturn(const AppContext& app, CallContext& call,
                          const v1::CancelReturnRequest& request, v1::Return* response);

absl::Status ReceiveReturn(const AppContext& app, CallContext& call,
                           const v1::ReceiveReturnRequest& request, v1::Return* response);

absl::Status ApproveReturn(const AppContext& app, CallContext& call,
                           const v1::ApproveReturnRequest& request, v1::Return* response);

absl::Status RejectReturn(const AppContext& app, CallContext& call,
                          const v1::RejectReturnRequest& request, v1::Return* response);

absl::Status ResolveReturn(const AppContext& app, CallContext& call,
                           const v1::ResolveReturnRequest& request, v1::Return* response);

}  // namespace returns::app
