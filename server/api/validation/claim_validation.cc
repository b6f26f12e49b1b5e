// Validation of ClaimService's requests (api/request_validation.h): the first bad field gets
// INVALID_ARGUMENT naming it. Shared field checks: api/validation/field_checks.h.
#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "api/request_validation.h"
#include "api/validation/field_checks.h"
#include "domain/calendar_day.h"
#include "domain/errors.h"
#include "domain/evidence_rules.h"
#include "domain/kpis.h"
#include "domain/money.h"
#include "google/protobuf/util/time_util.h"

namespace returns::api {

using google::protobuf::util::TimeUtil;

absl::Status Validate(const v1::FileClaimRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckId("order_id", request.order_id()));
  if (!request.shipment_id().empty())
    RETURN_IF_ERROR(CheckUuid("shipment_id", request.shipment_id()));
  if (request.type() == v1::CLAIM_TYPE_UNSPECIFIED || !v1::ClaimType_IsValid(request.type())) {
    return InvalidField("type", "must be LOST, DAMAGED, STOLEN or WRONG_ITEM");
  }
  if (request.lines_size() == 0) return InvalidField("lines", "must have at least one line");
  if (request.lines_size() > kMaxClaimLines) {
    return InvalidField("lines", absl::StrCat("must have at most ", kMaxClaimLines, " lines"));
  }
  std::set<std::string> seen;
  for (int i = 0; i < request.lines_size(); ++i) {
    const std::string at = absl::StrCat("lines[", i, "]");
    RETURN_IF_ERROR(CheckId(at + ".order_line_id", request.lines(i).order_line_id()));
    RETURN_IF_ERROR(CheckQuantity(at + ".quantity", request.lines(i).quantity()));
    if (!request.lines(i).sku().empty()) return InvalidField(at + ".sku", "is output only");
    if (!seen.insert(request.lines(i).order_line_id()).second) {
      return InvalidField(at + ".order_line_id", "is claimed twice");
    }
  }
  return CheckText("description", request.description(), kMaxReasonLength);
}

absl::Status Validate(const v1::AddClaimEvidenceRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("claim_id", request.claim_id()));
  if (!request.evidence_id().empty())
    RETURN_IF_ERROR(CheckUuid("evidence_id", request.evidence_id()));
  // The documented class of names (domain/evidence_rules.h) where a name is kept: the first
  // chunk. A later chunk's name is not stored, so an upload begun before this rule still
  // completes, and a retry of such a chunk still gets its stored answer.
  if (request.evidence_id().empty()) {
    if (absl::Status name = CheckEvidenceFileName(request.file_name()); !name.ok()) {
      return InvalidField("file_name", name.message());
    }
  } else {
    RETURN_IF_ERROR(CheckText("file_name", request.file_name(), 200));
  }
  if (request.offset() < 0) return InvalidField("offset", "must not be negative");
  if (static_cast<int64_t>(request.data().size()) > kMaxEvidenceChunkBytes) {
    return InvalidField("data",
                        absl::StrCat("a chunk is at most ", kMaxEvidenceChunkBytes, " bytes"),
                        reason::kEvidenceTooLarge);
  }
  if (request.data().empty() && !request.last()) {
    return InvalidField("data", "is empty; only a last chunk may be");
  }
  if (request.evidence_id().empty() && !request.last() &&
      static_cast<int64_t>(request.data().size()) < kEvidenceSniffBytes) {
    return InvalidField("data",
                        absl::StrCat("the first chunk must hold at least ", kEvidenceSniffBytes,
                                     " bytes (the type is read from them)"));
  }
  if (!request.sha256().empty()) {
    if (request.sha256().size() != 64 ||
        !std::all_of(request.sha256().begin(), request.sha256().end(),
                     [](char c) { return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'); })) {
      return InvalidField("sha256", "must be 64 lower-case hex digits");
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::GetClaimRequest& request) {
  return CheckUuid("claim_id", request.claim_id());
}

absl::Status Validate(const v1::ListClaimsRequest& request) {
  RETURN_IF_ERROR(CheckOptionalId("order_id", request.order_id()));
  if (!v1::ClaimState_IsValid(request.state()))
    return InvalidField("state", "is not a claim state");
  if (!v1::ClaimType_IsValid(request.type())) return InvalidField("type", "is not a claim type");
  if (request.needs_review() && request.state() != v1::CLAIM_STATE_UNSPECIFIED &&
      request.state() != v1::CLAIM_STATE_IN_REVIEW) {
    return InvalidField("state", "needs_review lists claims IN_REVIEW; leave state unset");
  }
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::ReviewClaimRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("claim_id", request.claim_id()));
  RETURN_IF_ERROR(CheckText("etag", request.etag(), 64));
  RETURN_IF_ERROR(CheckText("reason", request.reason(), kMaxReasonLength));
  switch (request.action()) {
    case v1::REVIEW_ACTION_APPROVE:
      if (request.resolution() != v1::CLAIM_RESOLUTION_RESHIP &&
          request.resolution() != v1::CLAIM_RESOLUTION_REFUND) {
        return InvalidField("resolution", "must be RESHIP or REFUND to approve");
      }
      return absl::OkStatus();
    case v1::REVIEW_ACTION_DENY:
    case v1::REVIEW_ACTION_REQUEST_EVIDENCE:
      if (request.resolution() != v1::CLAIM_RESOLUTION_UNSPECIFIED) {
        return InvalidField("resolution", "is only for an approval");
      }
      if (request.reason().empty())
        return InvalidField("reason", "is required to deny or ask for evidence");
      return absl::OkStatus();
    default:
      return InvalidField("action", "must be APPROVE, DENY or REQUEST_EVIDENCE");
  }
}

absl::Status Validate(const v1::DownloadClaimEvidenceRequest& request) {
  RETURN_IF_ERROR(CheckUuid("evidence_id", request.evidence_id()));
  if (request.offset() < 0) return InvalidField("offset", "must not be negative");
  if (request.max_bytes() < 0 || request.max_bytes() > kMaxEvidenceChunkBytes) {
    return InvalidField("max_bytes",
                        absl::StrCat("must be 0 (the most) to ", kMaxEvidenceChunkBytes));
  }
  return absl::OkStatus();
}

}  // namespace returns::api
