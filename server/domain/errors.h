#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/status/status.h"

// Statuses that carry a machine-readable reason from the catalogue in docs/errors.md, and for
// bad input the path of the field. api/status_mapping.cc turns them into google.rpc.Status
// details (ErrorInfo, BadRequest, QuotaFailure) exactly once.
namespace returns {

// The error reasons of the catalogue. Keep docs/errors.md in step.
namespace reason {
inline constexpr absl::string_view kInvalidField = "INVALID_FIELD";
inline constexpr absl::string_view kIdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
inline constexpr absl::string_view kRequestInProgress = "REQUEST_IN_PROGRESS";
inline constexpr absl::string_view kNotFound = "NOT_FOUND";
inline constexpr absl::string_view kInvalidState = "INVALID_STATE";
inline constexpr absl::string_view kEtagMismatch = "ETAG_MISMATCH";
inline constexpr absl::string_view kOrderNotDelivered = "ORDER_NOT_DELIVERED";
inline constexpr absl::string_view kReturnWindowClosed = "RETURN_WINDOW_CLOSED";
inline constexpr absl::string_view kReturnQuantityExceeded = "RETURN_QUANTITY_EXCEEDED";
inline constexpr absl::string_view kOrderLineInUse = "ORDER_LINE_IN_USE";
inline constexpr absl::string_view kFinalSale = "FINAL_SALE";
inline constexpr absl::string_view kBelowReserved = "BELOW_RESERVED";
inline constexpr absl::string_view kInstantExchangeDisabled = "INSTANT_EXCHANGE_DISABLED";
inline constexpr absl::string_view kItemValueAboveLimit = "ITEM_VALUE_ABOVE_LIMIT";
inline constexpr absl::string_view kCollateralRequired = "COLLATERAL_REQUIRED";
inline constexpr absl::string_view kOutOfStock = "OUT_OF_STOCK";
inline constexpr absl::string_view kNotAnExchange = "NOT_AN_EXCHANGE";
inline constexpr absl::string_view kExchangeTokenExists = "EXCHANGE_TOKEN_EXISTS";
inline constexpr absl::string_view kCurrencyMismatch = "CURRENCY_MISMATCH";
inline constexpr absl::string_view kReplacementNotPriced = "REPLACEMENT_NOT_PRICED";
inline constexpr absl::string_view kOrderCurrencyLocked = "ORDER_CURRENCY_LOCKED";
inline constexpr absl::string_view kPaymentRefunded = "PAYMENT_REFUNDED";
inline constexpr absl::string_view kGiftReturnNotRefunded = "GIFT_RETURN_NOT_REFUNDED";
inline constexpr absl::string_view kSecretKeysNotConfigured = "SECRET_KEYS_NOT_CONFIGURED";
inline constexpr absl::string_view kWebhookEndpointLimit = "WEBHOOK_ENDPOINT_LIMIT";
inline constexpr absl::string_view kWebhookUrlRefused = "WEBHOOK_URL_REFUSED";
inline constexpr absl::string_view kCarrierAccountMissing = "CARRIER_ACCOUNT_MISSING";
inline constexpr absl::string_view kExchangeTokenInvalid = "EXCHANGE_TOKEN_INVALID";
inline constexpr absl::string_view kExchangeInProgress = "EXCHANGE_IN_PROGRESS";
inline constexpr absl::string_view kConstraintViolated = "CONSTRAINT_VIOLATED";
inline constexpr absl::string_view kTrackingNumberInUse = "TRACKING_NUMBER_IN_USE";
inline constexpr absl::string_view kUnknownCarrier = "UNKNOWN_CARRIER";
inline constexpr absl::string_view kOrderNotShipped = "ORDER_NOT_SHIPPED";
inline constexpr absl::string_view kClaimWindowNotOpen = "CLAIM_WINDOW_NOT_OPEN";
inline constexpr absl::string_view kClaimWindowClosed = "CLAIM_WINDOW_CLOSED";
inline constexpr absl::string_view kParcelDelivered = "PARCEL_DELIVERED";
inline constexpr absl::string_view kClaimQuantityExceeded = "CLAIM_QUANTITY_EXCEEDED";
inline constexpr absl::string_view kEvidenceTooLarge = "EVIDENCE_TOO_LARGE";
inline constexpr absl::string_view kEvidenceTypeUnsupported = "EVIDENCE_TYPE_UNSUPPORTED";
inline constexpr absl::string_view kEvidenceOffsetMismatch = "EVIDENCE_OFFSET_MISMATCH";
inline constexpr absl::string_view kEvidenceChecksumMismatch = "EVIDENCE_CHECKSUM_MISMATCH";
inline constexpr absl::string_view kEvidenceQuotaExceeded = "EVIDENCE_QUOTA_EXCEEDED";
inline constexpr absl::string_view kDecisionOverridden = "DECISION_OVERRIDDEN";
inline constexpr absl::string_view kBlobStoreUnavailable = "BLOB_STORE_UNAVAILABLE";
inline constexpr absl::string_view kRiskTooHigh = "RISK_TOO_HIGH";
inline constexpr absl::string_view kUnauthenticated = "UNAUTHENTICATED";
inline constexpr absl::string_view kPermissionDenied = "PERMISSION_DENIED";
inline constexpr absl::string_view kRateLimited = "RATE_LIMITED";
inline constexpr absl::string_view kServerBusy = "SERVER_BUSY";
inline constexpr absl::string_view kStreamLimit = "STREAM_LIMIT";
inline constexpr absl::string_view kDatabaseUnavailable = "DATABASE_UNAVAILABLE";
inline constexpr absl::string_view kDeadlineExceeded = "DEADLINE_EXCEEDED";
inline constexpr absl::string_view kConcurrentUpdate = "CONCURRENT_UPDATE";
inline constexpr absl::string_view kInternal = "INTERNAL";
}  // namespace reason

// INVALID_ARGUMENT naming the field, e.g. InvalidField("lines[2].quantity", "must be positive").
absl::Status InvalidField(absl::string_view field, absl::string_view description,
                          absl::string_view reason = reason::kInvalidField);

// NOT_FOUND for a resource, identical whether it does not exist or belongs to another merchant.
absl::Status NotFoundError(absl::string_view resource_type, absl::string_view id);

// FAILED_PRECONDITION with a reason and metadata such as {"state": "CANCELLED"}.
absl::Status PreconditionError(absl::string_view reason, absl::string_view message,
                               const std::map<std::string, std::string>& metadata = {});

// Any code with a reason from the catalogue.
absl::Status ErrorWithReason(absl::StatusCode code, absl::string_view reason,
                             absl::string_view message,
                             const std::map<std::string, std::string>& metadata = {});

// RESOURCE_EXHAUSTED for a quota: the reason, and a QuotaFailure violation whose subject is
// `subject` (e.g. "merchants/<id>") and whose description is the message.
absl::Status QuotaError(absl::string_view reason, absl::string_view subject,
                        absl::string_view message,
                        const std::map<std::string, std::string>& metadata = {});

// What the status carries, for the mapping to gRPC and for tests.
std::string ReasonOf(const absl::Status& status);
std::optional<std::string> FieldOf(const absl::Status& status);
std::optional<std::string> QuotaSubjectOf(const absl::Status& status);
std::map<std::string, std::string> MetadataOf(const absl::Status& status);

}  // namespace returns
