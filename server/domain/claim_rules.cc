#include "domain/claim_rules.h"

#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "common/enum_text.h"

namespace returns {
namespace {

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

absl::Status NotOpen(absl::string_view why, std::optional<absl::Time> opens) {
  std::map<std::string, std::string> metadata = {{"field", "type"}};
  if (opens) metadata["window_opens"] = Rfc3339(*opens);
  return PreconditionError(reason::kClaimWindowNotOpen, why, metadata);
}

absl::Status Closed(absl::string_view what, absl::Time closed) {
  return PreconditionError(reason::kClaimWindowClosed,
                           absl::StrCat(what, " claims closed at ", Rfc3339(closed)),
                           {{"field", "type"}, {"window_closed", Rfc3339(closed)}});
}

// A window that starts at the DELIVERED scan and lasts `days`.
absl::Status AfterDelivery(absl::string_view what, const ParcelTracking& parcel, int days,
                           absl::Time now) {
  if (!parcel.delivered_time) {
    return NotOpen(
        absl::StrCat(what, " claims open at the parcel's DELIVERED scan; it has none yet"),
        std::nullopt);
  }
  const absl::Time closes = *parcel.delivered_time + absl::Hours(24) * days;
  if (now > closes) return Closed(what, closes);
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckClaimWindow(v1::ClaimType type, const ParcelTracking& parcel,
                              const ClaimPolicy& policy, absl::Time now) {
  switch (type) {
    case v1::CLAIM_TYPE_LOST: {
      if (parcel.delivered_time) {
        return PreconditionError(
            reason::kParcelDelivered,
            absl::StrCat("the parcel has a DELIVERED scan (", Rfc3339(*parcel.delivered_time),
                         "): it is not lost; a STOLEN claim may apply"),
            {{"field", "type"}});
      }
      if (!parcel.promise_time) {
        return NotOpen("the parcel has no promised delivery date to measure LOST from",
                       std::nullopt);
      }
      const absl::Time opens = *parcel.promise_time + absl::Hours(24) * policy.lost_grace_days;
      if (now < opens) {
        return NotOpen(absl::StrCat("LOST claims open ", policy.lost_grace_days,
                                    " day(s) after the promised delivery, at ", Rfc3339(opens)),
                       opens);
      }
      const absl::Time closes = opens + absl::Hours(24) * policy.window_days;
      if (now > closes) return Closed("LOST", closes);
      return absl::OkStatus();
    }
    case v1::CLAIM_TYPE_STOLEN:
      return AfterDelivery("STOLEN", parcel, policy.stolen_window_days, now);
    case v1::CLAIM_TYPE_DAMAGED:
      return AfterDelivery("DAMAGED", parcel, policy.damage_window_days, now);
    case v1::CLAIM_TYPE_WRONG_ITEM:
      return AfterDelivery("WRONG_ITEM", parcel, policy.damage_window_days, now);
    default:
      return InvalidField("type", "must be LOST, DAMAGED, STOLEN or WRONG_ITEM");
  }
}

v1::ClaimResolution DefaultClaimResolution(const ClaimPolicy& policy, bool reship_in_stock) {
  if (policy.resolution_preference == v1::CLAIM_RESOLUTION_RESHIP && reship_in_stock) {
    return v1::CLAIM_RESOLUTION_RESHIP;
  }
  return v1::CLAIM_RESOLUTION_REFUND;
}

Adjudication AdjudicateClaim(const ClaimFacts& facts, const ClaimPolicy& policy) {
  Adjudication result;
  const bool needs_photo =
      facts.type == v1::CLAIM_TYPE_DAMAGED || facts.type == v1::CLAIM_TYPE_WRONG_ITEM;
  if (needs_photo && policy.photo_required && facts.evidence_files == 0) {
    result.verdict = ClaimVerdict::kAwaitingEvidence;
    result.reasons.push_back("a photo of the item is needed before the claim is decided");
    return result;
  }
  if (policy.auto_approve_max_minor == 0) {
    result.reasons.push_back(
        "automatic approval of claims is off (the policy's claim_auto_approve_max_minor is 0)");
  } else if (facts.claim_value_minor > policy.auto_approve_max_minor) {
    result.reasons.push_back(absl::StrCat("the claim's value ", facts.claim_value_minor,
                                          " is above the automatic-approval limit ",
                                          policy.auto_approve_max_minor));
  }
  if (facts.customer_claims_last_year >= policy.max_customer_claims) {
    result.reasons.push_back(absl::StrCat("the customer filed ", facts.customer_claims_last_year,
                                          " other claim(s) in the last 365 days (limit ",
                                          policy.max_customer_claims, ")"));
  }
  if (facts.type == v1::CLAIM_TYPE_DAMAGED && facts.evidence_files > 0) {
    // The strongest photo counts; the assessment can only confirm, never decide alone.
    const Assessment* best = nullptr;
    for (const Assessment& a : facts.assessments) {
      if (a.label == "damage_visible" && (!best || a.confidence_milli > best->confidence_milli))
        best = &a;
    }
    if (!best || best->confidence_milli < policy.min_damage_confidence_milli) {
      result.reasons.push_back(
          absl::StrCat("the photo assessment does not confirm damage (best: ",
                       best ? absl::StrCat("damage_visible at ", best->confidence_milli, "/1000")
                            : std::string("no photo shows damage"),
                       ", needed ", policy.min_damage_confidence_milli, "/1000)"));
    }
    if (best) result.score_milli = best->confidence_milli;
  }
  if (!result.reasons.empty()) {
    result.verdict = ClaimVerdict::kNeedsReview;
    return result;
  }
  result.verdict = ClaimVerdict::kApproved;
  result.resolution = DefaultClaimResolution(policy, facts.reship_in_stock);
  result.reasons.push_back(absl::StrCat("value ", facts.claim_value_minor, " within the limit ",
                                        policy.auto_approve_max_minor));
  result.reasons.push_back(
      absl::StrCat("customer's claims in the last 365 days: ", facts.customer_claims_last_year,
                   " (limit ", policy.max_customer_claims, ")"));
  if (facts.type == v1::CLAIM_TYPE_DAMAGED && facts.evidence_files > 0) {
    result.reasons.push_back(
        absl::StrCat("the photo shows damage (", result.score_milli, "/1000)"));
  }
  result.reasons.push_back(result.resolution == v1::CLAIM_RESOLUTION_RESHIP
                               ? "the items are in stock: reship"
                               : (policy.resolution_preference == v1::CLAIM_RESOLUTION_RESHIP
                                      ? "the items are not in stock: refund"
                                      : "the policy prefers a refund"));
  return result;
}

std::string ClaimResolutionName(v1::ClaimResolution resolution) {
  return resolution == v1::CLAIM_RESOLUTION_UNSPECIFIED ? std::string() : EnumText(resolution);
}

}  // namespace returns
