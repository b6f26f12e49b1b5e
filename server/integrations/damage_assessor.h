#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/claim_rules.h"

// A model that looks at an evidence photo and says whether it shows damage. Its answer is one
// input of a claim's adjudication (domain/claim_rules.h), never the decider alone. A real model
// (a hosted vision API) plugs in behind this interface; the sandbox one is the default.
namespace returns::integrations {

class DamageAssessor {
 public:
  virtual ~DamageAssessor() = default;
  // Assesses one complete photo. An error leaves the photo unassessed (label "unclear"), which
  // can only send the claim to a person.
  virtual absl::StatusOr<Assessment> Assess(absl::string_view content_type,
                                            absl::string_view bytes) = 0;
};

// Deterministic, for tests and demos: a photo whose bytes contain the marker "sandbox:no-damage"
// is no_damage_visible (900/1000), one with "sandbox:unclear" is unclear (400/1000), and any
// other is damage_visible with a confidence of 800 to 899 taken from its SHA-256. Model version
// "sandbox-damage/1".
class SandboxDamageAssessor : public DamageAssessor {
 public:
  absl::StatusOr<Assessment> Assess(absl::string_view content_type,
                                    absl::string_view bytes) override;
};

}  // namespace returns::integrations
