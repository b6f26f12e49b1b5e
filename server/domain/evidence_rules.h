#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

// Limits, type sniffing and file names of evidence photos (ClaimService.AddClaimEvidence).
namespace returns {

inline constexpr int64_t kMaxEvidenceChunkBytes = 1 << 20;   // per AddClaimEvidence call
inline constexpr int64_t kMaxEvidenceFileBytes = 10 << 20;   // per file
inline constexpr int64_t kMaxEvidenceClaimBytes = 25 << 20;  // all files of one claim
inline constexpr int kMaxEvidenceFiles = 10;                 // files of one claim
inline constexpr int64_t kEvidenceSniffBytes = 12;           // what the first chunk must hold

// The image type of a file from its first bytes: "image/jpeg", "image/png", "image/webp" or
// "image/heic" (an ISO-BMFF "ftyp" box with a HEIF brand); nothing for anything else, including
// fewer bytes than the signature needs. Never trusts a name or a declared type.
std::optional<std::string> SniffImageType(absl::string_view b);

inline constexpr size_t kMaxEvidenceFileNameBytes = 200;

// Whether `name` may be an evidence file's name (AddClaimEvidenceRequest.file_name; docs/claims.md,
// "File names"). OK for "" (the name is optional) and for a name that is at most 200 bytes of
// UTF-8 made of:
//  - ASCII letters and digits, the space and . _ - + ( ) [ ] , @ = (no other ASCII: no '/' or
//    '\\', no control character or DEL, nothing a shell, a URL or HTML treats specially);
//  - any other character from U+00A0 up (letters of every script, emoji), except C1 controls
//    (U+0080-U+009F), line and paragraph separators (U+2028, U+2029), bidirectional controls
//    (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), invisible and format characters
//    (U+00AD, U+180E, U+200B-U+200D, U+2060-U+206F, U+FEFF, U+FFF9-U+FFFB, tags U+E0000-U+E007F),
//    private-use characters and noncharacters, and look-alikes that some systems fold into '.',
//    '/', '\\' or ':' (U+2024-U+2026, U+FE52, U+FF0E, U+2044, U+2215, U+2216, U+29F8, U+29F9,
//    U+FE68, U+FF0F, U+FF3C, U+FE13, U+FE55, U+FF1A);
// not starting with '.' (a hidden file; so never "." or ".."), not starting or ending with a space,
// and, when it has an extension (a '.' after the first character), ending in .jpg, .jpeg, .png,
// .webp, .heic or .heif (any case): the type is sniffed from the bytes, and a photo must not be
// offered to a reviewer as "receipt.html". Otherwise INVALID_ARGUMENT saying what is wrong (the
// caller names the field).
absl::Status CheckEvidenceFileName(absl::string_view name);

}  // namespace returns
