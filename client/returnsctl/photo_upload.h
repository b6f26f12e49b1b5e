#pragma once

#include <string>

#include "returns/v1/claim_service.grpc.pb.h"
#include "returnsctl/cli_common.h"

// The photos of `claim file --photo`: read and checked before the claim is filed, uploaded in
// chunks after.
namespace returns::client {

// A photo read before the claim is filed, so a missing or empty file stops the command before
// anything changes on the server.
struct Photo {
  std::string name;  // the file's base name: what the service keeps as file_name
  std::string bytes;
  std::string sha256;
};

// False, and the message for the user, when the file cannot be read, is empty or has a name the
// service would refuse.
bool LoadPhoto(const std::string& path, Photo* photo, std::string* error);

// Uploads one photo as chunked AddClaimEvidence calls and returns the exit code. Each chunk's
// request_id is request_id_prefix-<offset>: a re-run with the same ids replays the chunks that
// already arrived (same answers, same evidence_id) and sends the rest, so an interrupted upload
// resumes instead of starting a second copy.
int UploadPhoto(const Globals& g, v1::ClaimService::Stub& stub, const std::string& claim_id,
                const Photo& photo, const std::string& request_id_prefix);

}  // namespace returns::client
