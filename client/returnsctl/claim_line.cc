#include "returnsctl/claim_line.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace returns::client {

bool ParseClaimLine(const std::string& text, v1::ClaimLine* line, std::string* error) {
  const size_t colon = text.rfind(':');
  int quantity = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(text.substr(colon + 1), &quantity) || quantity < 1) {
    *error = absl::StrCat("--line ", text, ": a line is LINE_ID:QUANTITY with QUANTITY at least 1");
    return false;
  }
  line->set_order_line_id(text.substr(0, colon));
  line->set_quantity(quantity);
  return true;
}

}  // namespace returns::client
