#include "returnsctl/photo_upload.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "domain/evidence_rules.h"
#include "returnsctl/evidence_files.h"

namespace returns::client {
namespace {

// Small enough that a dropped connection costs little to resend, far below the service's 1 MiB
// chunk limit.
constexpr int64_t kUploadChunkBytes = 256 * 1024;

}  // namespace

bool LoadPhoto(const std::string& path, Photo* photo, std::string* error) {
  if (!ReadWholeFile(path, &photo->bytes)) {
    *error = absl::StrCat("--photo ", path, ": cannot read it");
    return false;
  }
  if (photo->bytes.empty()) {
    *error = absl::StrCat("--photo ", path, ": the file is empty");
    return false;
  }
  photo->name = std::filesystem::path(path).filename().string();
  // The service refuses a name outside its class (no hidden files, controls, bidi, or extension
  // other than an image's): say so before the claim is filed, not after.
  if (absl::Status name = CheckEvidenceFileName(photo->name); !name.ok()) {
    *error = absl::StrCat("--photo ", TerminalSafe(path), ": its name ", name.message(),
                          "; copy or rename the file");
    return false;
  }
  photo->sha256 = Sha256HexOf(photo->bytes);
  if (photo->sha256.empty()) {
    *error = absl::StrCat("--photo ", path, ": cannot compute its SHA-256");
    return false;
  }
  return true;
}

int UploadPhoto(const Globals& g, v1::ClaimService::Stub& stub, const std::string& claim_id,
                const Photo& photo, const std::string& request_id_prefix) {
  const int64_t total = static_cast<int64_t>(photo.bytes.size());
  std::string evidence_id;
  int64_t offset = 0;
  while (true) {
    const int64_t length = std::min(kUploadChunkBytes, total - offset);
    const bool last = offset + length == total;
    v1::AddClaimEvidenceRequest request;
    request.set_request_id(absl::StrCat(request_id_prefix, "-", offset));
    request.set_claim_id(claim_id);
    if (offset == 0) {
      request.set_file_name(photo.name);  // the first chunk starts the upload
    } else {
      request.set_evidence_id(evidence_id);
    }
    request.set_offset(offset);
    request.set_data(photo.bytes.substr(static_cast<size_t>(offset), static_cast<size_t>(length)));
    request.set_last(last);
    // The service checks it and keeps the upload open on a mismatch.
    if (last) request.set_sha256(photo.sha256);
    v1::ClaimEvidence response;
    const int rc = Invoke(g, true, [&](grpc::ClientContext* c) {
      return stub.AddClaimEvidence(c, request, &response);
    });
    if (rc != 0) return rc;
    if (offset == 0) evidence_id = response.evidence_id();
    offset += length;
    PrintProgress(photo.name, offset, total);
    if (last) return 0;
  }
}

}  // namespace returns::client
