#pragma once

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/status/status.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "returns/v1/admin_service.pb.h"
#include "returns/v1/exchange_service.pb.h"
#include "returns/v1/inventory_service.pb.h"
#include "returns/v1/order_service.pb.h"
#include "returns/v1/return_service.pb.h"
#include "returns/v1/timeline_service.pb.h"

// The use cases, one per file in server/app/ (named after the function). Each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

// Operator bootstrap (`returnsd create-merchant`): a merchant and its first ADMIN key.
absl::StatusOr<v1::CreateMerchantResponse> CreateMerchant(storage::ConnectionPool& pool,
                                                          absl::string_view name, bool operator_merchant);

// Who holds `authorization_header` ("Bearer rk_..."): UNAUTHENTICATED, always with the same
// message, for a missing, malformed, unknown or revoked key.
absl::StatusOr<Principal> AuthenticateApiKey(const AppContext& app,
                                             absl::string_view authorization_header,
                                             absl::Time deadline);

absl::Status CreateMerchant(const AppContext& app, CallContext& call,
                            const v1::CreateMerchantRequest& request,
                            v1::CreateMerchantResponse* response);
absl::Status CreateApiKey(const AppContext& app, CallContext& call,
                          const v1::CreateApiKeyRequest& request, v1::CreateApiKeyResponse* response);
absl::Status RevokeApiKey(const AppContext& app, CallContext& call,
                          const v1::RevokeApiKeyRequest& request, v1::ApiKey* response);
absl::Status ListApiKeys(const AppContext& app, const CallContext& call,
                         const v1::ListApiKeysRequest& request, v1::ListApiKeysResponse* response);
absl::Status ListDecisions(const AppContext& app, const CallContext& call,
                           const v1::ListDecisionsRequest& request,
                           v1::ListDecisionsResponse* response);

absl::Status UpsertOrder(const AppContext& app, CallContext& call,
                         const v1::UpsertOrderRequest& request, v1::Order* response);
absl::Status GetOrder(const AppContext& app, const CallContext& call,
                      const v1::GetOrderRequest& request, v1::Order* response);
absl::Status ListOrders(const AppContext& app, const CallContext& call,
                        const v1::ListOrdersRequest& request, v1::ListOrdersResponse* response);

absl::Status CreateReturn(const AppContext& app, CallContext& call,
                          const v1::CreateReturnRequest& request, v1::Return* response);
absl::Status GetReturn(const AppContext& app, const CallContext& call,
                       const v1::GetReturnRequest& request, v1::Return* response);
absl::Status ListReturns(const AppContext& app, const CallContext& call,
                         const v1::ListReturnsRequest& request, v1::ListReturnsResponse* response);
absl::Status CancelReturn(const AppContext& app, CallContext& call,
                          const v1::CancelReturnRequest& request, v1::Return* response);

absl::Status IssueExchangeToken(const AppContext& app, CallContext& call,
                                const v1::IssueExchangeTokenRequest& request,
                                v1::IssueExchangeTokenResponse* response);
absl::Status GetExchangeToken(const AppContext& app, const CallContext& call,
                              const v1::GetExchangeTokenRequest& request, v1::ExchangeToken* response);
absl::Status ListExchangeTokens(const AppContext& app, const CallContext& call,
                                const v1::ListExchangeTokensRequest& request,
                                v1::ListExchangeTokensResponse* response);
absl::Status RedeemExchangeToken(const AppContext& app, CallContext& call,
                                 const v1::RedeemExchangeTokenRequest& request,
                                 v1::ExchangeToken* response);
absl::Status RevokeExchangeToken(const AppContext& app, CallContext& call,
                                 const v1::RevokeExchangeTokenRequest& request,
                                 v1::ExchangeToken* response);
absl::Status ReportChargeOutcome(const AppContext& app, CallContext& call,
                                 const v1::ReportChargeOutcomeRequest& request,
                                 v1::ExchangeToken* response);

// The durable sweep of exchange tokens (PRODUCT.md 4.4), as of `now`: ISSUED past expire_time
// -> EXPIRED (reservation released); REDEEMED past the charge deadline with the replacement
// shipped -> CHARGE_DUE. Safe on any number of replicas at once (SKIP LOCKED). Up to 100 of
// each per call; returns how many it moved.
struct SweepResult {
  int expired = 0;
  int charge_due = 0;
};
absl::StatusOr<SweepResult> SweepExchangeTokens(const AppContext& app, absl::Time now);

// Deletes up to 1000 request ids whose replay window ended before `now` (they would be reused in
// place anyway; this keeps the table small). Returns how many went.
absl::StatusOr<int> PurgeExpiredRequestIds(const AppContext& app, absl::Time now);

absl::Status SetInventoryLevels(const AppContext& app, CallContext& call,
                                const v1::SetInventoryLevelsRequest& request,
                                v1::SetInventoryLevelsResponse* response);
absl::Status GetInventoryLevel(const AppContext& app, const CallContext& call,
                               const v1::GetInventoryLevelRequest& request,
                               v1::InventoryLevel* response);
absl::Status ListInventoryLevels(const AppContext& app, const CallContext& call,
                                 const v1::ListInventoryLevelsRequest& request,
                                 v1::ListInventoryLevelsResponse* response);

absl::Status ReceiveReturn(const AppContext& app, CallContext& call,
                           const v1::ReceiveReturnRequest& request, v1::Return* response);

absl::Status GetTimeline(const AppContext& app, const CallContext& call,
                         const v1::GetTimelineRequest& request, v1::GetTimelineResponse* response);

// The merchant's change feed after request.after_sequence, in commit order, handed to `write`
// (false: the client is gone), polling for new events until `stopped` says so. Ends OK when
// stopped; an error (database unreachable) ends the stream, and the client resumes from its
// last sequence.
absl::Status StreamEvents(const AppContext& app, const CallContext& call,
                          const v1::StreamEventsRequest& request,
                          absl::FunctionRef<bool(const v1::ChangeEvent&)> write,
                          absl::FunctionRef<bool()> stopped);

}  // namespace returns::app
