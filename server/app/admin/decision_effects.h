#pragma once

#include "app/common/app_context.h"
#include "returns/v1/exchange_service.pb.h"
#include "returns/v1/return_service.pb.h"
#include "storage/transaction.h"

// The bodies of the use cases a person's override of a decision carries out
// (AdminService.OverrideDecision), inside the caller's transaction: each use case of the same
// name is RunIdempotent around its InTx.
namespace returns::app {

// With `outside_window_allowed`, a closed return window does not refuse the return (a person's
// override of a return_eligibility escalation).
absl::Status CreateReturnInTx(const AppContext& app, storage::Tx& tx, const CallContext& call,
                              const v1::CreateReturnRequest& request, v1::Return* response,
                              bool outside_window_allowed);
absl::Status ApproveReturnInTx(const AppContext& app, storage::Tx& tx, const CallContext& call,
                               const v1::ApproveReturnRequest& request, v1::Return* response);
absl::Status RejectReturnInTx(const AppContext& app, storage::Tx& tx, const CallContext& call,
                              const v1::RejectReturnRequest& request, v1::Return* response);
absl::Status ResolveReturnInTx(const AppContext& app, storage::Tx& tx, const CallContext& call,
                               const v1::ResolveReturnRequest& request, v1::Return* response);
absl::Status RevokeExchangeTokenInTx(const AppContext& app, storage::Tx& tx,
                                     const CallContext& call,
                                     const v1::RevokeExchangeTokenRequest& request,
                                     v1::ExchangeToken* response);

}  // namespace returns::app
