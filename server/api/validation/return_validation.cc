// Validation of ReturnService's requests (api/request_validation.h): the first bad field gets
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

namespace {

// A gift return (docs/money.md, "Gift returns"): a proof (the shipping postal code or the gift
// code) and the recipient its store credit goes to.
absl::Status CheckGiftReturn(const v1::GiftReturn& gift) {
  if (gift.shipping_postal_code().empty() && gift.gift_code().empty()) {
    return InvalidField("gift", "needs shipping_postal_code or gift_code");
  }
  RETURN_IF_ERROR(CheckText("gift.shipping_postal_code", gift.shipping_postal_code(), 32));
  RETURN_IF_ERROR(CheckText("gift.gift_code", gift.gift_code(), 128));
  if (!gift.has_recipient()) return InvalidField("gift.recipient", "is required");
  if (gift.recipient().name().empty()) return InvalidField("gift.recipient.name", "is required");
  RETURN_IF_ERROR(CheckText("gift.recipient.name", gift.recipient().name(), 200));
  return CheckEmail("gift.recipient.email", gift.recipient().email());
}

}  // namespace

absl::Status Validate(const v1::CreateReturnRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckId("order_id", request.order_id()));
  if (request.lines_size() == 0) return InvalidField("lines", "must have at least one line");
  if (request.lines_size() > kMaxReturnLines) {
    return InvalidField("lines", absl::StrCat("must have at most ", kMaxReturnLines, " lines"));
  }
  std::set<std::string> line_ids;
  for (int i = 0; i < request.lines_size(); ++i) {
    const v1::ReturnLine& line = request.lines(i);
    const std::string at = absl::StrCat("lines[", i, "]");
    RETURN_IF_ERROR(CheckId(at + ".order_line_id", line.order_line_id()));
    if (!line_ids.insert(line.order_line_id()).second) {
      return InvalidField(at + ".order_line_id", "names a line already in this request");
    }
    RETURN_IF_ERROR(CheckQuantity(at + ".quantity", line.quantity()));
    if (line.reason() == v1::RETURN_REASON_UNSPECIFIED ||
        !v1::ReturnReason_IsValid(line.reason())) {
      return InvalidField(at + ".reason", "must be one of the RETURN_REASON_ values");
    }
    RETURN_IF_ERROR(CheckText(at + ".reason_note", line.reason_note(), kMaxTextLength));
    if (line.resolution() == v1::RESOLUTION_UNSPECIFIED ||
        !v1::Resolution_IsValid(line.resolution())) {
      return InvalidField(at + ".resolution", "must be REFUND, STORE_CREDIT or EXCHANGE");
    }
    if (line.resolution() == v1::RESOLUTION_EXCHANGE) {
      RETURN_IF_ERROR(CheckId(at + ".replacement_sku", line.replacement_sku()));
    } else if (!line.replacement_sku().empty()) {
      return InvalidField(at + ".replacement_sku", "is only allowed with RESOLUTION_EXCHANGE");
    }
  }
  if (request.has_gift()) RETURN_IF_ERROR(CheckGiftReturn(request.gift()));
  return absl::OkStatus();
}

absl::Status Validate(const v1::GetReturnRequest& request) {
  return CheckUuid("return_id", request.return_id());
}

absl::Status Validate(const v1::ListReturnsRequest& request) {
  RETURN_IF_ERROR(CheckOptionalId("order_id", request.order_id()));
  if (!v1::ReturnState_IsValid(request.state())) {
    return InvalidField("state", "must be one of the RETURN_STATE_ values");
  }
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::CancelReturnRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  RETURN_IF_ERROR(CheckText("etag", request.etag(), 64));
  return CheckText("reason", request.reason(), kMaxTextLength);
}

absl::Status Validate(const v1::ReceiveReturnRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  if (request.items_size() == 0) return InvalidField("items", "must name every line of the return");
  if (request.items_size() > kMaxReturnLines) {
    return InvalidField("items", absl::StrCat("must have at most ", kMaxReturnLines, " items"));
  }
  std::set<std::string> lines;
  for (int i = 0; i < request.items_size(); ++i) {
    const auto& item = request.items(i);
    const std::string at = absl::StrCat("items[", i, "]");
    RETURN_IF_ERROR(CheckId(at + ".order_line_id", item.order_line_id()));
    if (!lines.insert(item.order_line_id()).second) {
      return InvalidField(at + ".order_line_id", "names a line already in this request");
    }
    if (item.condition() == v1::ITEM_CONDITION_UNSPECIFIED ||
        !v1::ItemCondition_IsValid(item.condition())) {
      return InvalidField(at + ".condition", "must be OK, DAMAGED, WRONG_ITEM or MISSING");
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::CheckEligibilityRequest& request) {
  RETURN_IF_ERROR(CheckId("order_id", request.order_id()));
  if (!v1::ReturnReason_IsValid(request.reason())) {
    return InvalidField("reason", "must be one of the RETURN_REASON_ values, or unspecified");
  }
  if (request.has_gift()) RETURN_IF_ERROR(CheckGiftReturn(request.gift()));
  return absl::OkStatus();
}

// The same rules as CreateReturn's lines, with the same field names.
absl::Status Validate(const v1::PreviewReturnRequest& request) {
  v1::CreateReturnRequest as_created;
  as_created.set_request_id("preview");
  as_created.set_order_id(request.order_id());
  *as_created.mutable_lines() = request.lines();
  if (request.has_gift()) *as_created.mutable_gift() = request.gift();
  return Validate(as_created);
}

absl::Status Validate(const v1::ApproveReturnRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  RETURN_IF_ERROR(CheckText("etag", request.etag(), 64));
  return CheckText("note", request.note(), kMaxTextLength);
}

absl::Status Validate(const v1::RejectReturnRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  RETURN_IF_ERROR(CheckText("etag", request.etag(), 64));
  if (request.reason().empty()) return InvalidField("reason", "is required: say why");
  return CheckText("reason", request.reason(), kMaxTextLength);
}

absl::Status Validate(const v1::ResolveReturnRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  if (request.withheld_order_line_ids_size() > kMaxReturnLines) {
    return InvalidField("withheld_order_line_ids",
                        absl::StrCat("must have at most ", kMaxReturnLines, " ids"));
  }
  std::set<std::string> seen;
  for (int i = 0; i < request.withheld_order_line_ids_size(); ++i) {
    const std::string at = absl::StrCat("withheld_order_line_ids[", i, "]");
    RETURN_IF_ERROR(CheckId(at, request.withheld_order_line_ids(i)));
    if (!seen.insert(request.withheld_order_line_ids(i)).second) {
      return InvalidField(at, "names a line already in this request");
    }
  }
  if (request.note().empty()) return InvalidField("note", "is required: say why");
  return CheckText("note", request.note(), kMaxTextLength);
}

}  // namespace returns::api
