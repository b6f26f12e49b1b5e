#pragma once

#include <string>

#include "returns/v1/claim.pb.h"

namespace returns::client {

// "L1:2" -> a ClaimLine (a line of a claim, or of the order's parcel in `order ship`). The last
// ':' splits, so a line id may itself hold ':'. False, and the message for the user, when the
// text is not LINE_ID:QUANTITY with QUANTITY at least 1.
bool ParseClaimLine(const std::string& text, v1::ClaimLine* line, std::string* error);

}  // namespace returns::client
