#include "api/request_validation.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "domain/calendar_day.h"
#include "domain/errors.h"
#include "domain/evidence_rules.h"
#include "domain/kpis.h"
#include "domain/money.h"
#include "google/protobuf/util/time_util.h"

namespace returns::api {
namespace {

using google::protobuf::util::TimeUtil;

#define RETURN_IF_ERROR(expr)                \
  do {                                       \
    absl::Status status_ = (expr);           \
    if (!status_.ok()) return status_;       \
  } while (false)

// An identifier: 1..128 printable ASCII characters, no spaces.
absl::Status CheckId(absl::string_view field, absl::string_view value) {
  if (value.empty()) return InvalidField(field, "is required");
  if (value.size() > kMaxIdLength) {
    return InvalidField(field, absl::StrCat("must be at most ", kMaxIdLength, " characters"));
  }
  for (char c : value) {
    if (c <= 0x20 || c >= 0x7f) {
      return InvalidField(field, "must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckOptionalId(absl::string_view field, absl::string_view value) {
  return value.empty() ? absl::OkStatus() : CheckId(field, value);
}

absl::Status CheckText(absl::string_view field, absl::string_view value, size_t max_length) {
  if (value.size() > max_length) {
    return InvalidField(field, absl::StrCat("must be at most ", max_length, " bytes"));
  }
  return absl::OkStatus();
}

// An e-mail address as notifications need it: local@domain, 3..320 bytes, no spaces, control
// characters or characters that would break a header ("<>()[],;:\"). Non-ASCII letters are
// allowed (internationalised addresses); whether the mailbox exists is not ours to know.
absl::Status CheckEmail(absl::string_view field, absl::string_view value) {
  if (value.size() > 320) return InvalidField(field, "must be at most 320 bytes");
  const size_t at = value.rfind('@');
  const bool shape_ok = at != absl::string_view::npos && at > 0 && at <= 64 &&
                        at + 1 < value.size() && value.find('@') == at &&
                        value.substr(at + 1).find('.') != absl::string_view::npos &&
                        value.back() != '.' && value[at + 1] != '.';
  const bool characters_ok = std::none_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f ||
           absl::string_view("<>()[],;:\"\\").find(c) != absl::string_view::npos;
  });
  if (!shape_ok || !characters_ok) {
    return InvalidField(field, "must be an e-mail address such as \"name@example.com\"");
  }
  return absl::OkStatus();
}

absl::Status CheckUuid(absl::string_view field, absl::string_view value) {
  if (value.empty()) return InvalidField(field, "is required");
  if (!IsUuid(value)) return InvalidField(field, "is not a valid id (a UUID)");
  return absl::OkStatus();
}

absl::Status CheckRequestId(absl::string_view value) { return CheckId("request_id", value); }

absl::Status CheckQuantity(absl::string_view field, int32_t quantity) {
  if (quantity < 1 || quantity > kMaxQuantity) {
    return InvalidField(field, absl::StrCat("must be between 1 and ", kMaxQuantity));
  }
  return absl::OkStatus();
}

absl::Status CheckTimestamp(absl::string_view field, const google::protobuf::Timestamp& t) {
  if (t.seconds() < 0 || t.seconds() > TimeUtil::kTimestampMaxSeconds || t.nanos() < 0 ||
      t.nanos() > 999999999) {
    return InvalidField(field, "is not a valid time after 1970");
  }
  return absl::OkStatus();
}

// A time that has happened: a delivery "in the future" would open the return window early and
// keep it open past its real end. Five minutes of clock difference are forgiven.
absl::Status CheckPastTime(absl::string_view field, const google::protobuf::Timestamp& t) {
  RETURN_IF_ERROR(CheckTimestamp(field, t));
  if (TimeUtil::TimestampToTimeT(t) > absl::ToTimeT(absl::Now() + kClockSkew)) {
    return InvalidField(field, "must not be in the future");
  }
  return absl::OkStatus();
}

absl::Status CheckPageToken(absl::string_view token) {
  return CheckText("page_token", token, 1024);
}

absl::Status CheckAddress(const v1::Address& a) {
  const std::pair<absl::string_view, const std::string*> fields[] = {
      {"order.shipping_address.name", &a.name()},
      {"order.shipping_address.line1", &a.line1()},
      {"order.shipping_address.line2", &a.line2()},
      {"order.shipping_address.city", &a.city()},
      {"order.shipping_address.region", &a.region()},
      {"order.shipping_address.postal_code", &a.postal_code()}};
  for (const auto& [field, value] : fields) RETURN_IF_ERROR(CheckText(field, *value, 256));
  if (!a.country_code().empty() &&
      (a.country_code().size() != 2 || !absl::ascii_isupper(a.country_code()[0]) ||
       !absl::ascii_isupper(a.country_code()[1]))) {
    return InvalidField("order.shipping_address.country_code",
                        "must be an ISO 3166-1 alpha-2 code such as \"DE\"");
  }
  return absl::OkStatus();
}

absl::Status CheckOrderLine(const v1::Order& order, int i) {
  const v1::OrderLine& line = order.lines(i);
  const std::string at = absl::StrCat("order.lines[", i, "]");
  RETURN_IF_ERROR(CheckId(at + ".line_id", line.line_id()));
  RETURN_IF_ERROR(CheckId(at + ".sku", line.sku()));
  RETURN_IF_ERROR(CheckOptionalId(at + ".product_id", line.product_id()));
  RETURN_IF_ERROR(CheckOptionalId(at + ".category", line.category()));
  RETURN_IF_ERROR(CheckText(at + ".title", line.title(), 500));
  RETURN_IF_ERROR(CheckQuantity(at + ".quantity", line.quantity()));
  if (line.variant_attributes_size() > kMaxVariantAttributes) {
    return InvalidField(at + ".variant_attributes",
                        absl::StrCat("must have at most ", kMaxVariantAttributes, " entries"));
  }
  for (const auto& [key, value] : line.variant_attributes()) {
    if (key.empty() || key.size() > 64 || value.size() > 256) {
      return InvalidField(at + ".variant_attributes",
                          "keys must be 1..64 bytes and values at most 256 bytes");
    }
  }
  if (!line.has_unit_price()) return InvalidField(at + ".unit_price", "is required");
  if (line.unit_price().currency_code() != order.currency_code()) {
    return InvalidField(at + ".unit_price.currency_code",
                        "must equal the order's currency_code");
  }
  if (line.unit_price().amount_minor() < 0) {
    return InvalidField(at + ".unit_price.amount_minor", "must not be negative");
  }
  return absl::OkStatus();
}

}  // namespace

bool IsUuid(absl::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !absl::ascii_isxdigit(text[i])) return false;
  }
  return true;
}

absl::Status Validate(const v1::UpsertOrderRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (!request.has_order()) return InvalidField("order", "is required");
  const v1::Order& order = request.order();
  RETURN_IF_ERROR(CheckId("order.order_id", order.order_id()));
  RETURN_IF_ERROR(CheckOptionalId("order.customer_id", order.customer_id()));
  if (!order.customer_email().empty()) {
    RETURN_IF_ERROR(CheckEmail("order.customer_email", order.customer_email()));
  }
  if (!IsCurrencyCode(order.currency_code())) {
    return InvalidField("order.currency_code", "must be an ISO 4217 code such as \"EUR\"");
  }
  if (order.lines_size() == 0) return InvalidField("order.lines", "must have at least one line");
  if (order.lines_size() > kMaxOrderLines) {
    return InvalidField("order.lines", absl::StrCat("must have at most ", kMaxOrderLines, " lines"));
  }
  std::set<std::string> line_ids;
  for (int i = 0; i < order.lines_size(); ++i) {
    RETURN_IF_ERROR(CheckOrderLine(order, i));
    if (!line_ids.insert(order.lines(i).line_id()).second) {
      return InvalidField(absl::StrCat("order.lines[", i, "].line_id"), "is used by two lines");
    }
  }
  RETURN_IF_ERROR(CheckAddress(order.shipping_address()));
  if (order.has_order_time()) RETURN_IF_ERROR(CheckPastTime("order.order_time", order.order_time()));
  if (order.has_delivered_time()) {
    RETURN_IF_ERROR(CheckPastTime("order.delivered_time", order.delivered_time()));
    if (order.has_order_time() && order.delivered_time() < order.order_time()) {
      return InvalidField("order.delivered_time", "must not be before order.order_time");
    }
  }
  if (request.shipments_size() > kMaxOrderShipments) {
    return InvalidField("shipments", absl::StrCat("must have at most ", kMaxOrderShipments, " parcels"));
  }
  for (int i = 0; i < request.shipments_size(); ++i) {
    const v1::OrderShipment& parcel = request.shipments(i);
    const std::string at = absl::StrCat("shipments[", i, "]");
    RETURN_IF_ERROR(CheckId(at + ".carrier", parcel.carrier()));
    RETURN_IF_ERROR(CheckId(at + ".tracking_number", parcel.tracking_number()));
    if (!parcel.has_promise_time()) return InvalidField(at + ".promise_time", "is required");
    RETURN_IF_ERROR(CheckTimestamp(at + ".promise_time", parcel.promise_time()));
    if (parcel.lines_size() == 0) return InvalidField(at + ".lines", "must have at least one line");
    if (parcel.lines_size() > kMaxOrderLines) {
      return InvalidField(at + ".lines", absl::StrCat("must have at most ", kMaxOrderLines, " lines"));
    }
    std::set<std::string> in_parcel;
    for (int j = 0; j < parcel.lines_size(); ++j) {
      const std::string line_at = absl::StrCat(at, ".lines[", j, "]");
      RETURN_IF_ERROR(CheckId(line_at + ".order_line_id", parcel.lines(j).order_line_id()));
      RETURN_IF_ERROR(CheckQuantity(line_at + ".quantity", parcel.lines(j).quantity()));
      if (!in_parcel.insert(parcel.lines(j).order_line_id()).second) {
        return InvalidField(line_at + ".order_line_id", "is in the parcel twice");
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::GetOrderRequest& request) {
  return CheckId("order_id", request.order_id());
}

absl::Status Validate(const v1::ListOrdersRequest& request) {
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

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
    if (line.reason() == v1::RETURN_REASON_UNSPECIFIED || !v1::ReturnReason_IsValid(line.reason())) {
      return InvalidField(at + ".reason", "must be one of the RETURN_REASON_ values");
    }
    RETURN_IF_ERROR(CheckText(at + ".reason_note", line.reason_note(), kMaxTextLength));
    if (line.resolution() == v1::RESOLUTION_UNSPECIFIED || !v1::Resolution_IsValid(line.resolution())) {
      return InvalidField(at + ".resolution", "must be REFUND, STORE_CREDIT or EXCHANGE");
    }
    if (line.resolution() == v1::RESOLUTION_EXCHANGE) {
      RETURN_IF_ERROR(CheckId(at + ".replacement_sku", line.replacement_sku()));
    } else if (!line.replacement_sku().empty()) {
      return InvalidField(at + ".replacement_sku", "is only allowed with RESOLUTION_EXCHANGE");
    }
  }
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
    if (item.condition() == v1::ITEM_CONDITION_UNSPECIFIED || !v1::ItemCondition_IsValid(item.condition())) {
      return InvalidField(at + ".condition", "must be OK, DAMAGED, WRONG_ITEM or MISSING");
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::GetTimelineRequest& request) {
  RETURN_IF_ERROR(CheckId("order_id", request.order_id()));
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::IssueExchangeTokenRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  RETURN_IF_ERROR(CheckId("order_line_id", request.order_line_id()));
  if (request.has_collateral()) {
    const auto& c = request.collateral();
    RETURN_IF_ERROR(CheckId("collateral.authorization_reference", c.authorization_reference()));
    if (!IsCurrencyCode(c.amount().currency_code())) {
      return InvalidField("collateral.amount.currency_code", "must be an ISO 4217 code");
    }
    if (c.amount().amount_minor() <= 0) {
      return InvalidField("collateral.amount.amount_minor", "must be positive");
    }
    if (c.has_expire_time()) RETURN_IF_ERROR(CheckTimestamp("collateral.expire_time", c.expire_time()));
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::GetExchangeTokenRequest& request) {
  return CheckUuid("exchange_token_id", request.exchange_token_id());
}

absl::Status Validate(const v1::ListExchangeTokensRequest& request) {
  if (!request.return_id().empty()) RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  if (!v1::ExchangeTokenState_IsValid(request.state())) {
    return InvalidField("state", "must be one of the EXCHANGE_TOKEN_STATE_ values");
  }
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::RedeemExchangeTokenRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (request.token().empty()) return InvalidField("token", "is required");
  return CheckText("token", request.token(), 256);
}

absl::Status Validate(const v1::RevokeExchangeTokenRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("exchange_token_id", request.exchange_token_id()));
  return CheckText("reason", request.reason(), kMaxTextLength);
}

absl::Status Validate(const v1::RetryExchangeTokenChargeRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("exchange_token_id", request.exchange_token_id()));
  return CheckText("reason", request.reason(), kMaxTextLength);
}

absl::Status Validate(const v1::ReportChargeOutcomeRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("exchange_token_id", request.exchange_token_id()));
  if (request.outcome() == v1::CHARGE_OUTCOME_UNSPECIFIED || !v1::ChargeOutcome_IsValid(request.outcome())) {
    return InvalidField("outcome", "must be CHARGE_OUTCOME_CHARGED or CHARGE_OUTCOME_FAILED");
  }
  return CheckText("payment_reference", request.payment_reference(), 256);
}

absl::Status Validate(const v1::SetInventoryLevelsRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (request.levels_size() == 0) return InvalidField("levels", "must have at least one level");
  if (request.levels_size() > kMaxInventoryLevels) {
    return InvalidField("levels", absl::StrCat("must have at most ", kMaxInventoryLevels, " levels"));
  }
  std::set<std::string> skus;
  for (int i = 0; i < request.levels_size(); ++i) {
    const v1::InventoryLevel& level = request.levels(i);
    const std::string at = absl::StrCat("levels[", i, "]");
    RETURN_IF_ERROR(CheckId(at + ".sku", level.sku()));
    if (!skus.insert(level.sku()).second) return InvalidField(at + ".sku", "is set twice in this request");
    if (level.on_hand() < 0 || level.on_hand() > kMaxOnHand) {
      return InvalidField(at + ".on_hand", absl::StrCat("must be between 0 and ", kMaxOnHand));
    }
    if (!level.has_unit_price()) return InvalidField(at + ".unit_price", "is required");
    if (!IsCurrencyCode(level.unit_price().currency_code())) {
      return InvalidField(at + ".unit_price.currency_code", "must be an ISO 4217 code such as \"EUR\"");
    }
    if (level.unit_price().amount_minor() < 0) {
      return InvalidField(at + ".unit_price.amount_minor", "must not be negative");
    }
    RETURN_IF_ERROR(CheckOptionalId(at + ".product_id", level.product_id()));
    RETURN_IF_ERROR(CheckText(at + ".size", level.size(), kMaxSizeLength));
    if (level.size_rank() < 0 || level.size_rank() > kMaxSizeRank) {
      return InvalidField(at + ".size_rank", absl::StrCat("must be between 0 and ", kMaxSizeRank));
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::GetInventoryLevelRequest& request) {
  return CheckId("sku", request.sku());
}

absl::Status Validate(const v1::ListInventoryLevelsRequest& request) {
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::StreamEventsRequest& request) {
  if (request.after_sequence() < 0) return InvalidField("after_sequence", "must not be negative");
  return absl::OkStatus();
}

absl::Status Validate(const v1::CreateMerchantRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (request.display_name().empty()) return InvalidField("display_name", "is required");
  return CheckText("display_name", request.display_name(), 200);
}

absl::Status Validate(const v1::CreateApiKeyRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckText("display_name", request.display_name(), 200));
  if (request.role() == v1::API_KEY_ROLE_UNSPECIFIED || !v1::ApiKeyRole_IsValid(request.role())) {
    return InvalidField("role", "must be STOREFRONT, SUPPORT, ADMIN or CARRIER");
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::RevokeApiKeyRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckId("key_id", request.key_id());
}

absl::Status Validate(const v1::ListApiKeysRequest& request) {
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::ListDecisionsRequest& request) {
  if (!request.subject().empty()) {
    const size_t slash = request.subject().find('/');
    const absl::string_view collection = absl::string_view(request.subject()).substr(0, slash);
    if (slash == std::string::npos || collection.empty() ||
        !std::all_of(collection.begin(), collection.end(),
                     [](char c) { return absl::ascii_islower(c) || c == '_'; }) ||
        !CheckId("subject", request.subject().substr(slash + 1)).ok()) {
      return InvalidField("subject",
                          "must be a resource name such as \"returns/<id>\", "
                          "\"claims/<id>\" or \"exchange_tokens/<id>\"");
    }
  }
  RETURN_IF_ERROR(CheckText("subject", request.subject(), 256));
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  if (!v1::DecisionOutcome_IsValid(request.outcome())) {
    return InvalidField("outcome", "must be APPROVED, ESCALATED or DENIED");
  }
  if (!v1::OverrideFilter_IsValid(request.overridden())) {
    return InvalidField("overridden", "must be OVERRIDDEN or NOT_OVERRIDDEN");
  }
  if (request.has_start_time()) RETURN_IF_ERROR(CheckTimestamp("start_time", request.start_time()));
  if (request.has_end_time()) RETURN_IF_ERROR(CheckTimestamp("end_time", request.end_time()));
  if (request.has_start_time() && request.has_end_time() && request.end_time() < request.start_time()) {
    return InvalidField("end_time", "must not be before start_time");
  }
  if (!request.kind().empty()) RETURN_IF_ERROR(CheckId("kind", request.kind()));
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::OverrideDecisionRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("decision_id", request.decision_id()));
  if (request.outcome() != v1::DECISION_OUTCOME_APPROVED &&
      request.outcome() != v1::DECISION_OUTCOME_DENIED) {
    return InvalidField("outcome", "must be DECISION_OUTCOME_APPROVED or DECISION_OUTCOME_DENIED");
  }
  if (request.reason().empty()) return InvalidField("reason", "is required");
  RETURN_IF_ERROR(CheckText("reason", request.reason(), kMaxReasonLength));
  if (!v1::ClaimResolution_IsValid(request.claim_resolution())) {
    return InvalidField("claim_resolution", "must be RESHIP or REFUND");
  }
  if (request.claim_resolution() != v1::CLAIM_RESOLUTION_UNSPECIFIED &&
      request.outcome() != v1::DECISION_OUTCOME_APPROVED) {
    return InvalidField("claim_resolution", "is only for an approval");
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::CheckEligibilityRequest& request) {
  RETURN_IF_ERROR(CheckId("order_id", request.order_id()));
  if (!v1::ReturnReason_IsValid(request.reason())) {
    return InvalidField("reason", "must be one of the RETURN_REASON_ values, or unspecified");
  }
  return absl::OkStatus();
}

// The same rules as CreateReturn's lines, with the same field names.
absl::Status Validate(const v1::PreviewReturnRequest& request) {
  v1::CreateReturnRequest as_created;
  as_created.set_request_id("preview");
  as_created.set_order_id(request.order_id());
  *as_created.mutable_lines() = request.lines();
  return Validate(as_created);
}

absl::Status Validate(const v1::GetPolicyRequest& request) {
  if (request.version() < 0) return InvalidField("version", "must not be negative");
  return absl::OkStatus();
}

// The policy's values are checked against the current policy in the use case (domain
// ValidatePolicy), after the mask merges them; here the request's shape.
absl::Status Validate(const v1::UpdatePolicyRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (!request.has_policy()) return InvalidField("policy", "is required");
  RETURN_IF_ERROR(CheckText("policy.etag", request.policy().etag(), 64));
  RETURN_IF_ERROR(CheckText("reason", request.reason(), kMaxReasonLength));
  if (request.update_mask().paths_size() > v1::Policy::descriptor()->field_count()) {
    return InvalidField("update_mask", "names more fields than Policy has");
  }
  for (const auto& path : request.update_mask().paths()) {
    const auto* field = v1::Policy::descriptor()->FindFieldByName(path);
    if (field == nullptr || path == "update_time" || path == "etag" || path == "version") {
      return InvalidField("update_mask", absl::StrCat("\"", path.substr(0, 64),
                                                      "\" is not a field of Policy that can be set"));
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::ListPolicyVersionsRequest& request) {
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

// The days are strict ISO 8601 within the accepted range (domain/calendar_day.h); a range given
// whole is checked here, one with a default end again by GetKpis once it knows today.
absl::Status Validate(const v1::GetKpisRequest& request) {
  std::optional<absl::CivilDay> start, end;
  if (!request.start_date().empty() && !(start = ParseIsoDay(request.start_date()))) {
    return InvalidField("start_date", IsoDayRequirement());
  }
  if (!request.end_date().empty() && !(end = ParseIsoDay(request.end_date()))) {
    return InvalidField("end_date", IsoDayRequirement());
  }
  if (start && end) {
    if (*start > *end) return InvalidField("start_date", "must not be after end_date");
    if (*end - *start + 1 > kMaxKpiRangeDays) {
      return InvalidField("start_date", absl::StrCat("the range must be at most ", kMaxKpiRangeDays, " days"));
    }
  }
  if (!request.sku().empty()) RETURN_IF_ERROR(CheckId("sku", request.sku()));
  if (!request.currency_code().empty() && !IsCurrencyCode(request.currency_code())) {
    return InvalidField("currency_code", "must be an ISO 4217 code such as \"EUR\"");
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::FileClaimRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckId("order_id", request.order_id()));
  if (!request.shipment_id().empty()) RETURN_IF_ERROR(CheckUuid("shipment_id", request.shipment_id()));
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
  if (!request.evidence_id().empty()) RETURN_IF_ERROR(CheckUuid("evidence_id", request.evidence_id()));
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
    return InvalidField("data", absl::StrCat("a chunk is at most ", kMaxEvidenceChunkBytes, " bytes"),
                        reason::kEvidenceTooLarge);
  }
  if (request.data().empty() && !request.last()) {
    return InvalidField("data", "is empty; only a last chunk may be");
  }
  if (request.evidence_id().empty() && !request.last() &&
      static_cast<int64_t>(request.data().size()) < kEvidenceSniffBytes) {
    return InvalidField("data", absl::StrCat("the first chunk must hold at least ", kEvidenceSniffBytes,
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
  if (!v1::ClaimState_IsValid(request.state())) return InvalidField("state", "is not a claim state");
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
      if (request.reason().empty()) return InvalidField("reason", "is required to deny or ask for evidence");
      return absl::OkStatus();
    default:
      return InvalidField("action", "must be APPROVE, DENY or REQUEST_EVIDENCE");
  }
}

absl::Status Validate(const v1::DownloadClaimEvidenceRequest& request) {
  RETURN_IF_ERROR(CheckUuid("evidence_id", request.evidence_id()));
  if (request.offset() < 0) return InvalidField("offset", "must not be negative");
  if (request.max_bytes() < 0 || request.max_bytes() > kMaxEvidenceChunkBytes) {
    return InvalidField("max_bytes", absl::StrCat("must be 0 (the most) to ", kMaxEvidenceChunkBytes));
  }
  return absl::OkStatus();
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

absl::Status Validate(const v1::CreateReturnLabelRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  return CheckOptionalId("carrier", request.carrier());
}

absl::Status Validate(const v1::VoidLabelRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckUuid("shipment_id", request.shipment_id());
}

absl::Status Validate(const v1::ConfirmFulfillmentRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("shipment_id", request.shipment_id()));
  RETURN_IF_ERROR(CheckId("carrier", request.carrier()));
  return CheckId("tracking_number", request.tracking_number());
}

absl::Status Validate(const v1::RecordCarrierEventsRequest& request) {
  if (request.events_size() == 0) return InvalidField("events", "must have at least one event");
  if (request.events_size() > kMaxCarrierEvents) {
    return InvalidField("events", absl::StrCat("must have at most ", kMaxCarrierEvents, " events"));
  }
  for (int i = 0; i < request.events_size(); ++i) {
    const auto& event = request.events(i);
    const std::string at = absl::StrCat("events[", i, "]");
    RETURN_IF_ERROR(CheckId(at + ".carrier", event.carrier()));
    RETURN_IF_ERROR(CheckId(at + ".tracking_number", event.tracking_number()));
    RETURN_IF_ERROR(CheckId(at + ".event_id", event.event_id()));
    if (event.code() == v1::CARRIER_EVENT_CODE_UNSPECIFIED || !v1::CarrierEventCode_IsValid(event.code())) {
      return InvalidField(at + ".code",
                          "must be ACCEPTED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED or EXCEPTION");
    }
    if (!event.has_event_time()) return InvalidField(at + ".event_time", "is required");
    // A scan has happened: one dated ahead would open a claim window or start a deadline early
    // (a STOLEN claim paid before the parcel arrived). The same five minutes of skew as every
    // other time from outside.
    RETURN_IF_ERROR(CheckPastTime(at + ".event_time", event.event_time()));
    RETURN_IF_ERROR(CheckText(at + ".location", event.location(), 200));
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::GetShipmentRequest& request) {
  return CheckUuid("shipment_id", request.shipment_id());
}

absl::Status Validate(const v1::ListShipmentsRequest& request) {
  RETURN_IF_ERROR(CheckOptionalId("order_id", request.order_id()));
  if (!request.return_id().empty()) RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::WatchTimelineRequest& request) {
  RETURN_IF_ERROR(CheckId("order_id", request.order_id()));
  if (request.after_event_id() < 0) return InvalidField("after_event_id", "must not be negative");
  return absl::OkStatus();
}

absl::Status Validate(const v1::ListJobsRequest& request) {
  if (!v1::JobState_IsValid(request.state())) return InvalidField("state", "is not a job state");
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::RetryJobRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckUuid("job_id", request.job_id());
}

}  // namespace returns::api
