#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "returns/v1/exchange_service.pb.h"

// ExchangeService: instant-exchange tokens.
// One use case per file in this folder, named after the function; each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

absl::Status IssueExchangeToken(const AppContext& app, CallContext& call,
                                const v1::IssueExchangeTokenRequest& request,
                                v1::IssueExchangeTokenResponse* response);

absl::Status GetExchangeToken(const AppContext& app, const CallContext& call,
                              const v1::GetExchangeTokenRequest& request,
                              v1::ExchangeToken* response);

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

// Raises a CHARGE_FAILED token's charge again (the only second charge a token can get).
absl::Status RetryExchangeTokenCharge(const AppContext& app, CallContext& call,
                                      const v1::RetryExchangeTokenChargeRequest& request,
                                      v1::ExchangeToken* response);

}  // namespace returns::app
