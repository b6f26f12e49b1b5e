#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace returns::client {

// The extension of an evidence file's sniffed type (ClaimEvidence.content_type): ".jpg", ".png",
// ".webp" or ".heic"; ".bin" for anything else.
std::string EvidenceExtension(absl::string_view content_type);

// The name `returnsctl evidence download` writes a file under, in the current directory, when no
// --out is given. The served file_name is the customer's, and files uploaded before names were
// checked may hold anything, so it is only a hint:
//  - only its last component is kept (after the last '/' or '\'), and its extension is dropped;
//  - every character outside [A-Za-z0-9._-] becomes '_' (one '_' per non-ASCII character), and
//    so does each leading '.': the result is never a hidden file such as .bash_profile;
//  - at most 100 characters of it are kept, then the extension of the sniffed type is added, so
//    a served "receipt.html" is written as receipt.png when its bytes are a PNG;
//  - with no letter or digit left, the name is evidence-<evidence_id>.<ext>.
// The result is never empty, ".", "..", a hidden name or a path: it stays in the current folder.
std::string LocalEvidenceFileName(absl::string_view served_name, absl::string_view content_type,
                                  absl::string_view evidence_id);

}  // namespace returns::client
