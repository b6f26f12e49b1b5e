#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

// The bytes of claim evidence on this machine, for `claim file --photo` (uploads) and
// `evidence download`.
namespace returns::client {

// Lower-case hex SHA-256, as ClaimEvidence.sha256 has it; empty if OpenSSL fails (never expected).
std::string Sha256HexOf(absl::string_view data);

// The whole file. Evidence files are at most 10 MiB (the service's limit), so holding one in
// memory is cheap, and it means the SHA-256 is taken of exactly the bytes sent or written.
bool ReadWholeFile(const std::string& path, std::string* bytes);

// "name: done/total bytes (n%)" on stderr, after each chunk of an upload or a download.
void PrintProgress(const std::string& name, int64_t done, int64_t total);

}  // namespace returns::client
