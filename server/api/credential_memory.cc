#include "api/credential_memory.h"

#include "common/crypto.h"

namespace returns::api {

std::string CredentialMemory::Fingerprint(absl::string_view authorization_header) {
  return crypto::Sha256Hex(authorization_header);
}

bool CredentialMemory::KnownBad(const std::string& fingerprint, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(fingerprint);
  return it != entries_.end() && !it->second.good && now < it->second.until;
}

bool CredentialMemory::KnownGood(const std::string& fingerprint, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(fingerprint);
  return it != entries_.end() && it->second.good && now < it->second.until;
}

void CredentialMemory::Remember(const std::string& fingerprint, bool good, absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[fingerprint] = Entry{good, now + (good ? kGoodFor : kBadFor)};
}

}  // namespace returns::api
