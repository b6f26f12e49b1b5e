#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "storage/connection_pool.h"
#include "returns/v1/admin_service.pb.h"

// AdminService: merchants, API keys, decisions and jobs, and the key check every call makes first.
// One use case per file in this folder, named after the function; each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

// Operator bootstrap (`returnsd create-merchant`): a merchant and its first ADMIN key.
absl::StatusOr<v1::CreateMerchantResponse> CreateMerchant(storage::ConnectionPool& pool,
                                                          absl::string_view name,
                                                          bool operator_merchant);

// Who holds `authorization_header` ("Bearer rk_..."): UNAUTHENTICATED, always with the same
// message, for a missing, malformed, unknown or revoked key.
absl::StatusOr<Principal> AuthenticateApiKey(const AppContext& app,
                                             absl::string_view authorization_header,
                                             absl::Time deadline);

// The one UNAUTHENTICATED answer for a missing, malformed, unknown or revoked key.
absl::Status ApiKeyRefused();

// Whether the key `key_id` was revoked; open streams re-check their key with it when the
// revocation's NOTIFY (or a reconnect of the change listener) wakes them.
absl::StatusOr<bool> IsApiKeyRevoked(const AppContext& app, const std::string& key_id);

absl::Status CreateMerchant(const AppContext& app, CallContext& call,
                            const v1::CreateMerchantRequest& request,
                            v1::CreateMerchantResponse* response);

absl::Status CreateApiKey(const AppContext& app, CallContext& call,
                          const v1::CreateApiKeyRequest& request,
                          v1::CreateApiKeyResponse* response);

absl::Status RevokeApiKey(const AppContext& app, CallContext& call,
                          const v1::RevokeApiKeyRequest& request, v1::ApiKey* response);

absl::Status ListApiKeys(const AppContext& app, const CallContext& call,
                         const v1::ListApiKeysRequest& request, v1::ListApiKeysResponse* response);

absl::Status ListDecisions(const AppContext& app, const CallContext& call,
                           const v1::ListDecisionsRequest& request,
                           v1::ListDecisionsResponse* response);

// A person overrides an automated decision and its effect is carried out (override_decision.cc).
absl::Status OverrideDecision(const AppContext& app, CallContext& call,
                              const v1::OverrideDecisionRequest& request, v1::Decision* response);

absl::Status ListJobs(const AppContext& app, const CallContext& call,
                      const v1::ListJobsRequest& request, v1::ListJobsResponse* response);

absl::Status RetryJob(const AppContext& app, CallContext& call, const v1::RetryJobRequest& request,
                      v1::Job* response);

}  // namespace returns::app
