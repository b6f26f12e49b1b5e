#pragma once

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/status/status.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/live_source.h"
#include "returns/v1/admin_service.pb.h"
#include "returns/v1/analytics_service.pb.h"
#include "returns/v1/claim_service.pb.h"
#include "returns/v1/policy_service.pb.h"
#include "returns/v1/exchange_service.pb.h"
#include "returns/v1/inventory_service.pb.h"
#include "returns/v1/logistics_service.pb.h"
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

// The one UNAUTHENTICATED answer for a missing, malformed, unknown or revoked key.
absl::Status ApiKeyRefused();

// Whether the key `key_id` was revoked; open streams re-check their key with it when the
// revocation's NOTIFY (or a reconnect of the change listener) wakes them.
absl::StatusOr<bool> IsApiKeyRevoked(const AppContext& app, const std::string& key_id);

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

// A person overrides an automated decision and its effect is carried out (override_decision.cc).
absl::Status OverrideDecision(const AppContext& app, CallContext& call,
                              const v1::OverrideDecisionRequest& request, v1::Decision* response);

// The merchant's policy as versioned data (docs/policy.md).
absl::Status GetPolicy(const AppContext& app, const CallContext& call, const v1::GetPolicyRequest& request,
                       v1::Policy* response);
absl::Status UpdatePolicy(const AppContext& app, CallContext& call, const v1::UpdatePolicyRequest& request,
                          v1::Policy* response);
absl::Status ListPolicyVersions(const AppContext& app, const CallContext& call,
                                const v1::ListPolicyVersionsRequest& request,
                                v1::ListPolicyVersionsResponse* response);

// What returns cost and how they go, from daily rollups (docs/kpis.md; get_kpis.cc).
absl::Status GetKpis(const AppContext& app, const CallContext& call, const v1::GetKpisRequest& request,
                     v1::Kpis* response);

// Claims (docs/claims.md; shared steps in app/claims.h).
absl::Status FileClaim(const AppContext& app, CallContext& call, const v1::FileClaimRequest& request,
                       v1::Claim* response);
absl::Status AddClaimEvidence(const AppContext& app, CallContext& call,
                              const v1::AddClaimEvidenceRequest& request,
                              v1::ClaimEvidence* response);
absl::Status GetClaim(const AppContext& app, const CallContext& call, const v1::GetClaimRequest& request,
                      v1::Claim* response);
absl::Status ListClaims(const AppContext& app, const CallContext& call,
                        const v1::ListClaimsRequest& request, v1::ListClaimsResponse* response);
absl::Status ReviewClaim(const AppContext& app, CallContext& call, const v1::ReviewClaimRequest& request,
                         v1::Claim* response);
absl::Status DownloadClaimEvidence(const AppContext& app, const CallContext& call,
                                   const v1::DownloadClaimEvidenceRequest& request,
                                   v1::DownloadClaimEvidenceResponse* response);

absl::Status UpsertOrder(const AppContext& app, CallContext& call,
                         const v1::UpsertOrderRequest& request, v1::Order* response);
absl::Status GetOrder(const AppContext& app, const CallContext& call,
                      const v1::GetOrderRequest& request, v1::Order* response);
absl::Status ListOrders(const AppContext& app, const CallContext& call,
                        const v1::ListOrdersRequest& request, v1::ListOrdersResponse* response);

absl::Status CreateReturn(const AppContext& app, CallContext& call,
                          const v1::CreateReturnRequest& request, v1::Return* response);
// What may be returned from an order now, line by line (check_eligibility.cc); changes nothing.
absl::Status CheckEligibility(const AppContext& app, const CallContext& call,
                              const v1::CheckEligibilityRequest& request,
                              v1::CheckEligibilityResponse* response);
// The settlement plan a CreateReturn with the same lines would produce, changing nothing
// (preview_return.cc; the shared code is app/quote_return.h).
absl::Status PreviewReturn(const AppContext& app, const CallContext& call,
                           const v1::PreviewReturnRequest& request, v1::SettlementPlan* response);
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
// Raises a CHARGE_FAILED token's charge again (the only second charge a token can get).
absl::Status RetryExchangeTokenCharge(const AppContext& app, CallContext& call,
                                      const v1::RetryExchangeTokenChargeRequest& request,
                                      v1::ExchangeToken* response);

// The durable sweep of exchange tokens (PRODUCT.md 4.4), by the database's clock: ISSUED past
// expire_time -> EXPIRED (reservation released); REDEEMED past the charge deadline, or IN_TRANSIT
// past the transit deadline, with the replacement shipped -> the charge falls due, at most once
// per token (ChargeForOriginal). One transaction per merchant; safe on any number of replicas at
// once (SKIP LOCKED). Up to 100 merchants and 100 tokens of each kind per merchant per call;
// returns how many tokens it expired and how many new charges it raised.
struct SweepResult {
  int expired = 0;
  int charge_due = 0;
};
absl::StatusOr<SweepResult> SweepExchangeTokens(const AppContext& app);

// The sweep of abandoned evidence uploads (docs/claims.md, "Quotas and expiry"), by the
// database's clock: an upload still UPLOADING with no chunk for app.evidence_quotas.upload_expiry
// becomes EXPIRED (event claim.evidence_expired on its claim's timeline; it no longer counts
// against any limit), up to 100 per call; then the bytes of expired files are deleted through
// the blob store, up to 1000 parts per call (a file of many small chunks takes several calls).
// Each step is one transaction over all merchants, safe on any number of replicas (SKIP LOCKED).
struct EvidenceSweepResult {
  int expired = 0;            // uploads expired now
  int64_t parts_deleted = 0;  // blob-store parts (chunks) deleted now
  int purged = 0;             // expired files whose bytes are now all gone
  bool more = false;          // a batch was full: call again
};
absl::StatusOr<EvidenceSweepResult> SweepAbandonedEvidence(const AppContext& app);

// Deletes up to 1000 request ids whose replay window ended by the database's clock (they would be
// reused in place anyway; this keeps the table small). Returns how many went.
absl::StatusOr<int> PurgeExpiredRequestIds(const AppContext& app);

// One pass of the change-feed sequencer (jobs/feed_sequencer.h): numbers up to `max_rows`
// committed feed rows that wait in outbox_pending, in insert order, each merchant's from its own
// counter, and wakes the live streams of their orders. Runs on `pool` (the sequencer's own
// connection), under a lock that makes it the only pass at a time across replicas. Returns how
// many rows it numbered; fewer than `max_rows` means none was left.
absl::StatusOr<int> SequenceChangeFeed(storage::ConnectionPool& pool, int max_rows);

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

absl::Status ApproveReturn(const AppContext& app, CallContext& call,
                           const v1::ApproveReturnRequest& request, v1::Return* response);
absl::Status RejectReturn(const AppContext& app, CallContext& call,
                          const v1::RejectReturnRequest& request, v1::Return* response);
absl::Status ResolveReturn(const AppContext& app, CallContext& call,
                           const v1::ResolveReturnRequest& request, v1::Return* response);

absl::Status CreateReturnLabel(const AppContext& app, CallContext& call,
                               const v1::CreateReturnLabelRequest& request, v1::Shipment* response);
absl::Status VoidLabel(const AppContext& app, CallContext& call, const v1::VoidLabelRequest& request,
                       v1::Shipment* response);
absl::Status ConfirmFulfillment(const AppContext& app, CallContext& call,
                                const v1::ConfirmFulfillmentRequest& request, v1::Shipment* response);
absl::Status RecordCarrierEvents(const AppContext& app, CallContext& call,
                                 const v1::RecordCarrierEventsRequest& request,
                                 v1::RecordCarrierEventsResponse* response);
absl::Status GetShipment(const AppContext& app, const CallContext& call,
                         const v1::GetShipmentRequest& request, v1::Shipment* response);
absl::Status ListShipments(const AppContext& app, const CallContext& call,
                           const v1::ListShipmentsRequest& request,
                           v1::ListShipmentsResponse* response);

absl::Status ListJobs(const AppContext& app, const CallContext& call,
                      const v1::ListJobsRequest& request, v1::ListJobsResponse* response);
absl::Status RetryJob(const AppContext& app, CallContext& call, const v1::RetryJobRequest& request,
                      v1::Job* response);

// How durable jobs run (server/app/run_due_jobs.cc).
struct JobRunOptions {
  int batch = 10;                                   // jobs claimed at once
  absl::Duration lease = absl::Seconds(60);         // a claimed job is retaken after this
  absl::Duration retry_base = absl::Seconds(1);     // the first retry's delay (before jitter)
  absl::Duration retry_max = absl::Minutes(10);     // the longest delay between attempts
};
// Claims up to options.batch due jobs of any merchant (FOR UPDATE SKIP LOCKED, so any number of
// replicas run this at once), runs each through its adapter and records the outcome. Returns how
// many it claimed.
absl::StatusOr<int> RunDueJobs(const AppContext& app, const JobRunOptions& options);

absl::Status GetTimeline(const AppContext& app, const CallContext& call,
                         const v1::GetTimelineRequest& request, v1::GetTimelineResponse* response);

// The live streams, as sources the serving layer reads when their key moves (app/live_source.h).
// WatchTimeline: an order's timeline after the event request.after_event_id, in feed order;
// NOT_FOUND for an unknown order. StreamEvents: the merchant's change feed after
// request.after_sequence. Both deliver numbered rows only (docs/lifecycle.md).
absl::StatusOr<LiveSource<v1::TimelineEvent>> OpenWatchTimeline(const AppContext& app,
                                                                 const CallContext& call,
                                                                 const v1::WatchTimelineRequest& request);
absl::StatusOr<LiveSource<v1::ChangeEvent>> OpenStreamEvents(const AppContext& app,
                                                             const CallContext& call,
                                                             const v1::StreamEventsRequest& request);

}  // namespace returns::app
