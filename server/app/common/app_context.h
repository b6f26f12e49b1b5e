#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "domain/exchange_token_codec.h"
#include "returns/v1/api_key.pb.h"
#include "storage/connection_pool.h"

namespace returns::integrations {
struct Integrations;
}
namespace returns::storage {
class ChangeListener;
}
namespace returns::crypto {
class SecretBox;
}

namespace returns::app {

// The limits on a merchant's claim evidence as a whole (docs/claims.md, "Quotas and expiry"),
// from returnsd's flags. The per-file and per-claim limits are fixed (domain/evidence_rules.h).
struct EvidenceQuotas {
  // The bytes of the merchant's evidence that are UPLOADING or COMPLETE; a chunk that would pass
  // it is refused RESOURCE_EXHAUSTED EVIDENCE_QUOTA_EXCEEDED (--max_evidence_bytes_per_merchant;
  // 0: no limit).
  int64_t max_stored_bytes = int64_t{5} << 30;
  // The merchant's uploads still UPLOADING; a new upload past it is refused the same way
  // (--max_open_uploads_per_merchant; 0: no limit).
  int max_open_uploads = 100;
  // An upload with no chunk for this long is expired by the sweeper: EXPIRED, its bytes deleted
  // (--evidence_upload_expiry_seconds).
  absl::Duration upload_expiry = absl::Hours(24);
};

// What every use case may use, shared by all calls; set up once at start (server/service/serve.cc).
struct AppContext {
  storage::ConnectionPool* pool = nullptr;
  // Signs page tokens (AIP-158); the same on every replica (server_secrets.page_token).
  std::string page_token_secret;
  // Issues and verifies exchange-token strings (--exchange_token_keys or server_secrets).
  const ExchangeTokenCodec* token_codec = nullptr;
  // The carriers, the warehouse and the notifier that durable jobs call.
  const integrations::Integrations* integrations = nullptr;
  // Wakes streams when their events commit (LISTEN/NOTIFY); without it they poll.
  storage::ChangeListener* change_listener = nullptr;
  // Notified when the server starts draining: long-lived streams end so SIGTERM is quick.
  const absl::Notification* draining = nullptr;
  // Set by returnsd once the database is prepared (migrations, secrets: main.cc); until then
  // calls are refused UNAVAILABLE. Null: ready from the start (tests that build the context).
  const std::atomic<bool>* started = nullptr;
  bool Started() const { return started == nullptr || started->load(std::memory_order_acquire); }
  // The merchant-wide evidence limits and the expiry of abandoned uploads.
  EvidenceQuotas evidence_quotas{};
  // Seals merchants' secrets at rest (webhook signing secrets) under the operator's
  // --secret_keys; null when none are configured (creating a secret is then refused).
  const crypto::SecretBox* secret_box = nullptr;
  // Webhook URLs may be http and reach loopback and private addresses (--webhook_allow_insecure,
  // development and tests); otherwise https to public addresses only.
  bool webhook_allow_insecure = false;
};

// Who is calling: found from the API key, never from the request body.
struct Principal {
  // The merchant the key belongs to; every query is scoped by it.
  std::string merchant_id;
  // The public id of the key (safe to log).
  std::string key_id;
  // What the key may do.
  v1::ApiKeyRole role = v1::API_KEY_ROLE_UNSPECIFIED;
  // True when the merchant runs the installation (may create merchants).
  bool operator_merchant = false;
};

// One call as the use cases see it.
struct CallContext {
  // The merchant the caller acts for (principal.merchant_id); every query is scoped by it.
  std::string merchant_id;
  Principal principal;
  // When the caller stops waiting; no database work outlives it.
  absl::Time deadline = absl::InfiniteFuture();
  // The request_id of a mutating call, for the timeline and the logs.
  std::string request_id;
  // Set when the answer is a replay of a stored response (AIP-155).
  bool replayed = false;
};

// A call of the sweeper's, which acts for no caller: its transitions carry the merchant and no
// request_id, and each merchant's pass has 30 seconds.
inline CallContext SweeperCall(const std::string& merchant_id) {
  CallContext call;
  call.merchant_id = merchant_id;
  call.deadline = absl::Now() + absl::Seconds(30);
  return call;
}

}  // namespace returns::app
