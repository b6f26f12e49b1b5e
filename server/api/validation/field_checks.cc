#include "api/validation/field_checks.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "api/request_validation.h"
#include "domain/calendar_day.h"
#include "domain/errors.h"
#include "domain/evidence_rules.h"
#include "domain/kpis.h"
#include "domain/money.h"
#include "google/protobuf/util/time_util.h"

namespace returns::api {

using google::protobuf::util::TimeUtil;

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
    return InvalidField(at + ".unit_price.currency_code", "must equal the order's currency_code");
  }
  if (line.unit_price().amount_minor() < 0) {
    return InvalidField(at + ".unit_price.amount_minor", "must not be negative");
  }
  return absl::OkStatus();
}

bool IsUuid(absl::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !absl::ascii_isxdigit(text[i])) return false;
  }
  return true;
}

}  // namespace returns::api
