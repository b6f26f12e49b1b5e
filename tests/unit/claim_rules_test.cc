// The claim rules as tables: each window at its edges, the adjudication rule by rule, the type
// sniffing, and a generated check that no combination of facts leads the automation to a denial.
#include "domain/claim_rules.h"

#include <random>

#include <gtest/gtest.h>

#include "domain/errors.h"
#include "domain/evidence_rules.h"

namespace returns {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1800000000);
const absl::Duration kDay = absl::Hours(24);
const absl::Duration kSecond = absl::Seconds(1);

struct WindowCase {
  const char* name;
  v1::ClaimType type;
  std::optional<absl::Duration> promised_ago;   // promise_time = now - this
  std::optional<absl::Duration> delivered_ago;  // the DELIVERED scan = now - this
  const char* reason;                           // "" = accepted
};

TEST(ClaimRulesTest, EachWindowHoldsAtItsEdges) {
  const ClaimPolicy policy;  // grace 3, LOST window 30, STOLEN 7, DAMAGED/WRONG_ITEM 14
  const WindowCase cases[] = {
      {"lost: a second before the grace ends",
       v1::CLAIM_TYPE_LOST,
       3 * kDay - kSecond,
       {},
       "CLAIM_WINDOW_NOT_OPEN"},
      {"lost: as the grace ends", v1::CLAIM_TYPE_LOST, 3 * kDay, {}, ""},
      {"lost: at the window's last instant", v1::CLAIM_TYPE_LOST, 33 * kDay, {}, ""},
      {"lost: a second after", v1::CLAIM_TYPE_LOST, 33 * kDay + kSecond, {}, "CLAIM_WINDOW_CLOSED"},
      {"lost: delivered", v1::CLAIM_TYPE_LOST, 10 * kDay, 1 * kDay, "PARCEL_DELIVERED"},
      {"lost: no promise", v1::CLAIM_TYPE_LOST, {}, {}, "CLAIM_WINDOW_NOT_OPEN"},
      {"stolen: not delivered", v1::CLAIM_TYPE_STOLEN, 1 * kDay, {}, "CLAIM_WINDOW_NOT_OPEN"},
      {"stolen: at the scan", v1::CLAIM_TYPE_STOLEN, {}, absl::ZeroDuration(), ""},
      {"stolen: the last instant", v1::CLAIM_TYPE_STOLEN, {}, 7 * kDay, ""},
      {"stolen: a second after",
       v1::CLAIM_TYPE_STOLEN,
       {},
       7 * kDay + kSecond,
       "CLAIM_WINDOW_CLOSED"},
      {"damaged: not delivered", v1::CLAIM_TYPE_DAMAGED, 1 * kDay, {}, "CLAIM_WINDOW_NOT_OPEN"},
      {"damaged: the last instant", v1::CLAIM_TYPE_DAMAGED, {}, 14 * kDay, ""},
      {"damaged: a second after",
       v1::CLAIM_TYPE_DAMAGED,
       {},
       14 * kDay + kSecond,
       "CLAIM_WINDOW_CLOSED"},
      {"wrong item: the last instant", v1::CLAIM_TYPE_WRONG_ITEM, {}, 14 * kDay, ""},
      {"wrong item: a second after",
       v1::CLAIM_TYPE_WRONG_ITEM,
       {},
       14 * kDay + kSecond,
       "CLAIM_WINDOW_CLOSED"},
  };
  for (const WindowCase& c : cases) {
    ParcelTracking parcel;
    if (c.promised_ago) parcel.promise_time = kNow - *c.promised_ago;
    if (c.delivered_ago) parcel.delivered_time = kNow - *c.delivered_ago;
    const absl::Status status = CheckClaimWindow(c.type, parcel, policy, kNow);
    EXPECT_EQ(ReasonOf(status), std::string(c.reason).empty() ? "" : c.reason)
        << c.name << ": " << status;
    if (!status.ok()) {
      EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << c.name;
      EXPECT_EQ(MetadataOf(status)["field"], "type") << c.name;
    }
  }
}

TEST(ClaimRulesTest, ThePolicyMovesTheEdges) {
  ClaimPolicy policy;
  policy.damage_window_days = 30;
  ParcelTracking parcel;
  parcel.delivered_time = kNow - 20 * kDay;
  EXPECT_TRUE(CheckClaimWindow(v1::CLAIM_TYPE_DAMAGED, parcel, policy, kNow).ok());
  policy.lost_grace_days = 0;
  ParcelTracking late;
  late.promise_time = kNow;
  EXPECT_TRUE(CheckClaimWindow(v1::CLAIM_TYPE_LOST, late, policy, kNow).ok());
}

ClaimFacts Facts(v1::ClaimType type) {
  ClaimFacts f;
  f.type = type;
  f.claim_value_minor = 2500;
  f.order_value_minor = 4000;
  f.customer_claims_last_year = 0;
  f.reship_in_stock = true;
  if (type == v1::CLAIM_TYPE_DAMAGED || type == v1::CLAIM_TYPE_WRONG_ITEM) {
    f.evidence_files = 1;
    f.assessments.push_back({"damage_visible", 850, "sandbox-damage/1"});
  }
  return f;
}

struct AdjudicationCase {
  const char* name;
  ClaimFacts facts;
  ClaimPolicy policy;
  ClaimVerdict verdict;
  v1::ClaimResolution resolution;
  const char* reason_contains;  // in one of the reasons
};

TEST(ClaimRulesTest, TheAdjudicationRuleByRule) {
  auto with = [](ClaimFacts f, auto change) {
    change(f);
    return f;
  };
  auto policy_with = [](auto change) {
    ClaimPolicy p;
    change(p);
    return p;
  };
  const AdjudicationCase cases[] = {
      {"damaged with a convincing photo",
       Facts(v1::CLAIM_TYPE_DAMAGED),
       {},
       ClaimVerdict::kApproved,
       v1::CLAIM_RESOLUTION_RESHIP,
       "the photo shows damage (850/1000)"},
      {"lost, in stock",
       Facts(v1::CLAIM_TYPE_LOST),
       {},
       ClaimVerdict::kApproved,
       v1::CLAIM_RESOLUTION_RESHIP,
       "in stock: reship"},
      {"lost, out of stock",
       with(Facts(v1::CLAIM_TYPE_LOST), [](auto& f) { f.reship_in_stock = false; }),
       {},
       ClaimVerdict::kApproved,
       v1::CLAIM_RESOLUTION_REFUND,
       "not in stock: refund"},
      {"the policy prefers refunds", Facts(v1::CLAIM_TYPE_STOLEN),
       policy_with([](auto& p) { p.resolution_preference = v1::CLAIM_RESOLUTION_REFUND; }),
       ClaimVerdict::kApproved, v1::CLAIM_RESOLUTION_REFUND, "prefers a refund"},
      {"damaged without a photo waits for one",
       with(Facts(v1::CLAIM_TYPE_DAMAGED),
            [](auto& f) {
              f.evidence_files = 0;
              f.assessments.clear();
            }),
       {},
       ClaimVerdict::kAwaitingEvidence,
       v1::CLAIM_RESOLUTION_UNSPECIFIED,
       "a photo of the item is needed"},
      {"wrong item without a photo, none required",
       with(Facts(v1::CLAIM_TYPE_WRONG_ITEM),
            [](auto& f) {
              f.evidence_files = 0;
              f.assessments.clear();
            }),
       policy_with([](auto& p) { p.photo_required = false; }), ClaimVerdict::kApproved,
       v1::CLAIM_RESOLUTION_RESHIP, "within the limit"},
      {"value above the limit",
       with(Facts(v1::CLAIM_TYPE_LOST), [](auto& f) { f.claim_value_minor = 5001; }),
       {},
       ClaimVerdict::kNeedsReview,
       v1::CLAIM_RESOLUTION_UNSPECIFIED,
       "above the automatic-approval limit 5000"},
      {"value at the limit",
       with(Facts(v1::CLAIM_TYPE_LOST), [](auto& f) { f.claim_value_minor = 5000; }),
       {},
       ClaimVerdict::kApproved,
       v1::CLAIM_RESOLUTION_RESHIP,
       "within the limit"},
      {"automatic approval off", Facts(v1::CLAIM_TYPE_LOST),
       policy_with([](auto& p) { p.auto_approve_max_minor = 0; }), ClaimVerdict::kNeedsReview,
       v1::CLAIM_RESOLUTION_UNSPECIFIED, "automatic approval of claims is off"},
      {"a customer with many claims",
       with(Facts(v1::CLAIM_TYPE_LOST), [](auto& f) { f.customer_claims_last_year = 2; }),
       {},
       ClaimVerdict::kNeedsReview,
       v1::CLAIM_RESOLUTION_UNSPECIFIED,
       "2 other claim(s) in the last 365 days"},
      {"a customer just under the limit",
       with(Facts(v1::CLAIM_TYPE_LOST), [](auto& f) { f.customer_claims_last_year = 1; }),
       {},
       ClaimVerdict::kApproved,
       v1::CLAIM_RESOLUTION_RESHIP,
       "365 days: 1"},
      {"a photo the model doubts",
       with(Facts(v1::CLAIM_TYPE_DAMAGED),
            [](auto& f) {
              f.assessments = {{"damage_visible", 599, "m"}};
            }),
       {},
       ClaimVerdict::kNeedsReview,
       v1::CLAIM_RESOLUTION_UNSPECIFIED,
       "does not confirm damage"},
      {"a photo without damage",
       with(Facts(v1::CLAIM_TYPE_DAMAGED),
            [](auto& f) {
              f.assessments = {{"no_damage_visible", 990, "m"}};
            }),
       {},
       ClaimVerdict::kNeedsReview,
       v1::CLAIM_RESOLUTION_UNSPECIFIED,
       "no photo shows damage"},
      {"the best of several photos counts",
       with(Facts(v1::CLAIM_TYPE_DAMAGED),
            [](auto& f) {
              f.evidence_files = 2;
              f.assessments = {{"unclear", 400, "m"}, {"damage_visible", 700, "m"}};
            }),
       {},
       ClaimVerdict::kApproved,
       v1::CLAIM_RESOLUTION_RESHIP,
       "(700/1000)"},
      {"a convincing photo never approves alone",
       with(Facts(v1::CLAIM_TYPE_DAMAGED),
            [](auto& f) {
              f.assessments = {{"damage_visible", 1000, "m"}};
              f.claim_value_minor = 999999;
            }),
       {},
       ClaimVerdict::kNeedsReview,
       v1::CLAIM_RESOLUTION_UNSPECIFIED,
       "above the automatic-approval limit"},
  };
  for (const AdjudicationCase& c : cases) {
    const Adjudication a = AdjudicateClaim(c.facts, c.policy);
    EXPECT_EQ(static_cast<int>(a.verdict), static_cast<int>(c.verdict)) << c.name;
    EXPECT_EQ(a.resolution, c.resolution) << c.name;
    bool found = false;
    for (const auto& reason : a.reasons)
      found = found || reason.find(c.reason_contains) != std::string::npos;
    EXPECT_TRUE(found) << c.name << ": no reason contains \"" << c.reason_contains << "\"";
  }
}

// Whatever the facts and the policy, the automation approves (with a resolution), waits for
// evidence, or sends to a person with its reasons: there is no path to a denial, and a claim
// above the limit or from a frequent claimant is never approved.
TEST(ClaimRulesTest, NoGeneratedCaseReachesADenialOrSkipsARule) {
  std::mt19937_64 random(20261129);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  for (int i = 0; i < 20000; ++i) {
    ClaimFacts f;
    f.type = static_cast<v1::ClaimType>(pick(1, 4));
    f.claim_value_minor = pick(0, 20000);
    f.customer_claims_last_year = pick(0, 5);
    f.evidence_files = pick(0, 3);
    for (int n = 0; n < f.evidence_files; ++n) {
      f.assessments.push_back(
          {pick(0, 2) == 0 ? "damage_visible" : (pick(0, 1) ? "unclear" : "no_damage_visible"),
           pick(0, 1000), "m"});
    }
    f.reship_in_stock = pick(0, 1) == 1;
    ClaimPolicy p;
    p.auto_approve_max_minor = pick(0, 3) == 0 ? 0 : pick(1, 20000);
    p.max_customer_claims = pick(0, 4);
    p.photo_required = pick(0, 1) == 1;
    p.min_damage_confidence_milli = pick(0, 1000);
    p.resolution_preference =
        pick(0, 1) ? v1::CLAIM_RESOLUTION_RESHIP : v1::CLAIM_RESOLUTION_REFUND;
    const Adjudication a = AdjudicateClaim(f, p);
    ASSERT_FALSE(a.reasons.empty()) << i;
    switch (a.verdict) {
      case ClaimVerdict::kApproved:
        ASSERT_NE(a.resolution, v1::CLAIM_RESOLUTION_UNSPECIFIED) << i;
        ASSERT_GT(p.auto_approve_max_minor, 0) << i;
        ASSERT_LE(f.claim_value_minor, p.auto_approve_max_minor) << i;
        ASSERT_LT(f.customer_claims_last_year, p.max_customer_claims) << i;
        if (a.resolution == v1::CLAIM_RESOLUTION_RESHIP) {
          ASSERT_TRUE(f.reship_in_stock) << i;
        }
        break;
      case ClaimVerdict::kAwaitingEvidence:
        ASSERT_EQ(f.evidence_files, 0) << i;
        ASSERT_TRUE(p.photo_required) << i;
        break;
      case ClaimVerdict::kNeedsReview:
        ASSERT_EQ(a.resolution, v1::CLAIM_RESOLUTION_UNSPECIFIED) << i;
        break;
      default:
        FAIL() << "an unknown verdict at case " << i;
    }
  }
}

TEST(EvidenceRulesTest, TheTypeIsSniffedFromTheBytes) {
  const struct {
    std::string bytes;
    const char* type;  // "" = refused
  } cases[] = {
      {std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10), "image/jpeg"},
      {std::string("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16), "image/png"},
      {std::string("RIFF\x24\x00\x00\x00WEBPVP8 ", 16), "image/webp"},
      {std::string("\x00\x00\x00\x18"
                   "ftypheic\x00\x00\x00\x00",
                   16),
       "image/heic"},
      {std::string("\x00\x00\x00\x18"
                   "ftypmif1\x00\x00\x00\x00",
                   16),
       "image/heic"},
      {std::string("\x00\x00\x00\x18"
                   "ftypmp42\x00\x00\x00\x00",
                   16),
       ""},  // an MP4 video
      {"GIF89a..........", ""},
      {"%PDF-1.7 .......", ""},
      {std::string("RIFF\x24\x00\x00\x00WAVE", 12), ""},
      {std::string("\xFF\xD8", 2), ""},
      {"", ""},
  };
  for (const auto& c : cases) {
    const auto type = SniffImageType(c.bytes);
    EXPECT_EQ(type.value_or(""), c.type) << c.bytes;
  }
}

// The file-name class of AddClaimEvidence (docs/claims.md, "File names"): what the issue saw
// (a dotfile, a forged line, a script named .html, bidi overrides) and its neighbours.
TEST(EvidenceRulesTest, FileNamesKeepToTheDocumentedClass) {
  const struct {
    std::string name;
    bool ok;
  } cases[] = {
      {"", true},  // optional
      {"photo.jpg", true},
      {"IMG_2024-05-01 (2).JPEG", true},
      {"box+tape,front [1]@home=ok.png", true},
      {"parcel.webp", true},
      {"parcel.HEIC", true},
      {"parcel.heif", true},
      {"no extension", true},
      {"Überraschung.jpg", true},
      {"写真.jpg", true},
      {"фото.png", true},
      {"😀.jpg", true},
      {"a\u00A0b.jpg", true},  // a no-break space inside is a letter gap like any other
      {std::string(196, 'a') + ".jpg", true},  // 200 bytes
      {std::string(197, 'a') + ".jpg", false},
      {".bash_profile", false},
      {".jpg", false},
      {".", false},
      {"..", false},
      {"../../etc/passwd", false},
      {"dir/photo.jpg", false},
      {"dir\\photo.jpg", false},
      {"receipt.html", false},
      {"photo.jpg.html", false},
      {"photo.", false},  // an empty extension; Windows would drop the dot
      {"photo.v2", false},
      {"photo.jpg\nassessment damage_visible 99.9% (model/1)", false},
      {"a\rb.jpg", false},
      {"a\tb.jpg", false},
      {std::string("a\0b.jpg", 7), false},
      {"a\x1b[31mred.jpg", false},
      {"a\x7f.jpg", false},
      {"a\u0085b.jpg", false},        // C1: NEXT LINE
      {"a\u009bb.jpg", false},        // C1: CSI
      {"a\u2028b.jpg", false},        // LINE SEPARATOR
      {"a\u2029b.jpg", false},        // PARAGRAPH SEPARATOR
      {"photo\u202Egpj.exe", false},  // RIGHT-TO-LEFT OVERRIDE: shows as photoexe.jpg
      {"a\u202Ab.jpg", false},
      {"a\u2066b.jpg", false},
      {"a\u2069b.jpg", false},
      {"a\u200Eb.jpg", false},
      {"a\u200Fb.jpg", false},
      {"a\u061Cb.jpg", false},
      {"a\u200Bb.jpg", false},  // ZERO WIDTH SPACE
      {"a\u200Db.jpg", false},
      {"a\uFEFFb.jpg", false},  // BOM
      {"a\u00ADb.jpg", false},  // SOFT HYPHEN
      {"a\uFF0Fb.jpg", false},  // FULLWIDTH SOLIDUS
      {"x\uFF0Ehtml", false},   // FULLWIDTH FULL STOP: x.html once normalised
      {"a\uE000.jpg", false},   // private use
      {" photo.jpg", false},
      {"photo.jpg ", false},
      {"\u3000photo.jpg", false},  // IDEOGRAPHIC SPACE at the start
      {"a<b>.jpg", false},
      {"a:b.jpg", false},
      {"a\"b.jpg", false},
      {"a|b.jpg", false},
      {"a*b.jpg", false},
      {"a?b.jpg", false},
      {"a%2e%2e.jpg", false},
      {"a$(id).jpg", false},
      {"a`id`.jpg", false},
      {"a;b.jpg", false},
      {"\xff\xfe.jpg", false},      // not UTF-8
      {"\xc0\xae.jpg", false},      // an overlong '.'
      {"\xed\xa0\x80.jpg", false},  // a surrogate
  };
  for (const auto& c : cases) {
    const absl::Status status = CheckEvidenceFileName(c.name);
    EXPECT_EQ(status.ok(), c.ok) << "\"" << c.name << "\": " << status;
    if (!status.ok()) {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.name;
      EXPECT_FALSE(status.message().empty()) << c.name;
    }
  }
}

}  // namespace
}  // namespace returns
