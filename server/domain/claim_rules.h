#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "returns/v1/claim.pb.h"

// The claim rules (docs/claims.md), as pure functions of loaded data: when each type of claim
// may be filed, and how a filed claim is decided. The adjudication approves or sends to a person;
// it has no way to deny.
namespace returns {

inline constexpr char kClaimRuleVersion[] = "claim-rules/1";

// The merchant's claim policy (policies table, V0019).
struct ClaimPolicy {
  int lost_grace_days = 3;
  int window_days = 30;
  int stolen_window_days = 7;
  int damage_window_days = 14;
  int64_t auto_approve_max_minor = 5000;
  int max_customer_claims = 2;
  bool photo_required = true;
  int min_damage_confidence_milli = 600;
  v1::ClaimResolution resolution_preference = v1::CLAIM_RESOLUTION_RESHIP;
};

// The parcel's tracking as the windows read it.
struct ParcelTracking {
  std::optional<absl::Time> promise_time;
  std::optional<absl::Time> delivered_time;  // the DELIVERED scan
};

// The window of each type, every edge inclusive:
//  LOST: from promise + lost_grace_days to that + window_days, and only without a DELIVERED
//        scan (FAILED_PRECONDITION PARCEL_DELIVERED);
//  STOLEN: from the DELIVERED scan to stolen_window_days after it;
//  DAMAGED, WRONG_ITEM: from the DELIVERED scan to damage_window_days after it.
// Before: CLAIM_WINDOW_NOT_OPEN; after: CLAIM_WINDOW_CLOSED; both name the field "type" and
// carry the window's edges.
absl::Status CheckClaimWindow(v1::ClaimType type, const ParcelTracking& parcel,
                              const ClaimPolicy& policy, absl::Time now);

// What a damage-assessment model said of one photo.
struct Assessment {
  std::string label;  // "damage_visible", "no_damage_visible", "unclear"
  int confidence_milli = 0;
  std::string model_version;
};

// Everything the adjudication reads, as it was when it ran (the Decision's inputs).
struct ClaimFacts {
  v1::ClaimType type = v1::CLAIM_TYPE_UNSPECIFIED;
  int64_t claim_value_minor = 0;
  int64_t order_value_minor = 0;
  // The customer's other claims filed in the last 365 days (0 without a customer id).
  int customer_claims_last_year = 0;
  // Complete evidence files, and the assessment of each photo.
  int evidence_files = 0;
  std::vector<Assessment> assessments;
  // Whether every claimed SKU has the claimed units available in stock now.
  bool reship_in_stock = false;
};

enum class ClaimVerdict {
  kApproved,          // resolution is set
  kNeedsReview,       // a person decides; reasons say why
  kAwaitingEvidence,  // a photo is needed before anything is decided
};

struct Adjudication {
  ClaimVerdict verdict = ClaimVerdict::kNeedsReview;
  v1::ClaimResolution resolution = v1::CLAIM_RESOLUTION_UNSPECIFIED;
  std::vector<std::string> reasons;  // in words a support agent reads
  int score_milli = 0;               // the damage confidence that counted, if any
};

// Approves when every rule passes: the claim's value within auto_approve_max_minor, the
// customer's claims in the last year below max_customer_claims, and for DAMAGED a photo whose
// assessment shows damage with at least min_damage_confidence_milli. A DAMAGED or WRONG_ITEM claim
// without a photo waits for one when the policy requires it. The resolution follows the policy's
// preference; RESHIP needs stock, else REFUND. Any failed rule sends the claim to review with
// every failed rule as a reason. The assessment never approves alone (the other rules still
// apply) and never denies (a weak one only sends to review).
Adjudication AdjudicateClaim(const ClaimFacts& facts, const ClaimPolicy& policy);

// The resolution a person's approval gets when none is named: RESHIP if preferred and in stock,
// else REFUND.
v1::ClaimResolution DefaultClaimResolution(const ClaimPolicy& policy, bool reship_in_stock);

// "REFUND" for CLAIM_RESOLUTION_REFUND (common/enum_text.h), the stored form; "" for none yet
// (UNSPECIFIED): a claim not approved yet, a policy without a preference.
std::string ClaimResolutionName(v1::ClaimResolution resolution);

}  // namespace returns
