#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "returns/v1/claim_service.pb.h"

// ClaimService (docs/claims.md; shared steps in app/claims/claims.h).
// One use case per file in this folder, named after the function; each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

absl::Status FileClaim(const AppContext& app, CallContext& call,
                       const v1::FileClaimRequest& request, v1::Claim* response);

absl::Status AddClaimEvidence(const AppContext& app, CallContext& call,
                              const v1::AddClaimEvidenceRequest& request,
                              v1::ClaimEvidence* response);

absl::Status GetClaim(const AppContext& app, const CallContext& call,
                      const v1::GetClaimRequest& request, v1::Claim* response);

absl::Status ListClaims(const AppContext& app, const CallContext& call,
                        const v1::ListClaimsRequest& request, v1::ListClaimsResponse* response);

absl::Status ReviewClaim(const AppContext& app, CallContext& call,
                         const v1::ReviewClaimRequest& request, v1::Claim* response);

absl::Status DownloadClaimEvidence(const AppContext& app, const CallContext& call,
                                   const v1::DownloadClaimEvidenceRequest& request,
                                   v1::DownloadClaimEvidenceResponse* response);

}  // namespace returns::app
