#pragma once

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

// What this replica learned about the credentials it was sent, to keep floods of bad keys away
// from the database and out of good keys' way, without ever deciding a call on memory alone:
//   - credentials that failed authentication (unknown key, wrong secret, revoked) are refused
//     at once, before the executor, for a minute; revocation is permanent, and a wrong secret
//     stays wrong, so the answer is the one the database would give;
//   - credentials that authenticated recently get their key's own executor lane; all others
//     (never seen, or unknown) share one "unverified" lane, so a flood of made-up keys fills
//     that lane only and is shed there (RESOURCE_EXHAUSTED), not spread over a lane per key.
// Credentials are remembered by a SHA-256 of the whole header, never in the clear; a good entry
// only picks the lane, and every call is still authenticated against the database.
namespace returns::api {

class CredentialMemory {
 public:
  static constexpr absl::string_view kUnverifiedLane = "unverified";

  // The SHA-256 (hex) of an authorization header, the key of everything below.
  static std::string Fingerprint(absl::string_view authorization_header);

  bool KnownBad(const std::string& fingerprint, absl::Time now);
  bool KnownGood(const std::string& fingerprint, absl::Time now);
  void Remember(const std::string& fingerprint, bool good, absl::Time now);

 private:
  static constexpr absl::Duration kBadFor = absl::Minutes(1);
  static constexpr absl::Duration kGoodFor = absl::Minutes(5);
  static constexpr size_t kMaxEntries = 100000;  // then forgotten all at once

  struct Entry {
    bool good = false;
    absl::Time until;
  };
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace returns::api
