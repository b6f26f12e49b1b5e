#pragma once

#include <atomic>
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

namespace returns::app {

// What every use case may use, shared by all calls; set up once in main().
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

}  // namespace returns::app
