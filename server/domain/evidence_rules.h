#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

// Limits and type sniffing of evidence photos (ClaimService.AddClaimEvidence).
namespace returns {

inline constexpr int64_t kMaxEvidenceChunkBytes = 1 << 20;       // per AddClaimEvidence call
inline constexpr int64_t kMaxEvidenceFileBytes = 10 << 20;       // per file
inline constexpr int64_t kMaxEvidenceClaimBytes = 25 << 20;      // all files of one claim
inline constexpr int kMaxEvidenceFiles = 10;                     // files of one claim
inline constexpr int64_t kEvidenceSniffBytes = 12;              // what the first chunk must hold

// The image type of a file from its first bytes: "image/jpeg", "image/png", "image/webp" or
// "image/heic" (an ISO-BMFF "ftyp" box with a HEIF brand); nothing for anything else, including
// fewer bytes than the signature needs. Never trusts a name or a declared type.
std::optional<std::string> SniffImageType(absl::string_view first_bytes);

}  // namespace returns
