// Validation of InventoryService's requests (api/request_validation.h): the first bad field gets
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

absl::Status Validate(const v1::SetInventoryLevelsRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (request.levels_size() == 0) return InvalidField("levels", "must have at least one level");
  if (request.levels_size() > kMaxInventoryLevels) {
    return InvalidField("levels",
                        absl::StrCat("must have at most ", kMaxInventoryLevels, " levels"));
  }
  std::set<std::string> skus;
  for (int i = 0; i < request.levels_size(); ++i) {
    const v1::InventoryLevel& level = request.levels(i);
    const std::string at = absl::StrCat("levels[", i, "]");
    RETURN_IF_ERROR(CheckId(at + ".sku", level.sku()));
    if (!skus.insert(level.sku()).second)
      return InvalidField(at + ".sku", "is set twice in this request");
    if (level.on_hand() < 0 || level.on_hand() > kMaxOnHand) {
      return InvalidField(at + ".on_hand", absl::StrCat("must be between 0 and ", kMaxOnHand));
    }
    if (!level.has_unit_price()) return InvalidField(at + ".unit_price", "is required");
    if (!IsCurrencyCode(level.unit_price().currency_code())) {
      return InvalidField(at + ".unit_price.currency_code",
                          "must be an ISO 4217 code such as \"EUR\"");
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

}  // namespace returns::api
