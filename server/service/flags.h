#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/connection_pool.h"

namespace CLI {
class App;
}  // namespace CLI

namespace returns {

// returnsd's command line (docs/operations.md); the defaults are the service's.
struct Flags {
  std::string listen = "127.0.0.1:50051";
  std::string metrics_listen;  // empty: no metrics endpoint
  // Through a transaction-pooling PgBouncer: statements unprepared, and what needs a session
  // (migrations' advisory lock, LISTEN, the feed sequencer) on the direct URL.
  bool db_transaction_pooling = false;
  std::string direct_database_url;  // empty: database_url
  std::string database_url;
  int db_pool_size = 4;
  // Threads running calls' database work: the pool's size and two more, so every connection
  // stays busy while a thread encodes or hands a response back.
  int executor_threads = 0;  // 0: db_pool_size + 2
  int max_queued_calls = 1024;
  int max_queued_per_key = 64;
  int max_streams_per_key = 100;
  int max_streams_per_merchant = 1000;
  int stream_max_lifetime_seconds = 3600;
  // Only server reflection is synchronous now.
  int max_threads = 64;
  int drain_seconds = 20;
  bool no_migrate = false;
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  bool allow_insecure_plaintext = false;
  bool sandbox_damage_assessor = false;
  double rate_limit_per_second = 200;
  double rate_limit_burst = 400;
  std::string exchange_token_keys;
  int sweep_interval_seconds = 10;
  int job_workers = 2;
  int job_poll_ms = 250;
  int job_retry_base_ms = 1000;
  int job_lease_seconds = 60;
  // The merchant-wide limits on claim evidence and the expiry of abandoned uploads
  // (app::EvidenceQuotas; docs/claims.md, "Quotas and expiry").
  int64_t max_evidence_bytes_per_merchant = int64_t{5} << 30;
  int max_open_uploads_per_merchant = 100;
  int evidence_upload_expiry_seconds = 24 * 3600;
  // Merchants' secrets at rest (webhook signing secrets): AES-256-GCM keys id:hex,... newest
  // first (common/secret_box.h); empty: no secrets can be kept.
  std::string secret_keys;
  // Webhooks (docs/integrations.md): senders, the destination rule, the retry schedule.
  int webhook_senders = 2;
  bool webhook_allow_insecure = false;
  int webhook_poll_ms = 250;
  int webhook_retry_base_ms = 30000;
  int webhook_retry_max_ms = 4 * 3600 * 1000;
  int webhook_retry_window_seconds = 72 * 3600;
  int webhook_timeout_ms = 15000;
  // Inbound webhooks (carriers' tracking webhooks): host:port, empty: none. TLS with the gRPC
  // listener's --tls_cert_file and --tls_key_file when those are set.
  std::string http_listen;
  // EasyPost's API root; http and loopback only with --integrations_allow_insecure (tests).
  std::string easypost_base_url = "https://api.easypost.com/v2";
  bool integrations_allow_insecure = false;
  // The damage assessor over HTTP (integrations/http_damage_assessor.h); empty: none. Its URL
  // follows --integrations_allow_insecure's rule, like the carrier APIs.
  std::string damage_assessor_url;
  std::string damage_assessor_token;  // sent as a bearer token; empty: no Authorization header
  int damage_assessor_timeout_ms = 30000;
  // create-merchant's own.
  std::string merchant_name;
  bool operator_merchant = false;

  // How the pool on database_url uses its connections (a transaction pooler or not).
  storage::PoolOptions DatabasePoolOptions() const {
    storage::PoolOptions options;
    options.transaction_pooling = db_transaction_pooling;
    return options;
  }
  // Where what needs a session of its own connects: migrations, LISTEN, the feed sequencer.
  const std::string& DirectUrl() const {
    return direct_database_url.empty() ? database_url : direct_database_url;
  }
};

// Adds the service's options to `cli`, bound to `flags`; those given by neither the command line
// nor their environment variable keep the defaults above.
void AddFlags(CLI::App& cli, Flags& flags);

// Adds the options of the create-merchant subcommand, `create`.
void AddCreateMerchantFlags(CLI::App& create, Flags& flags);

// What CLI11 cannot check, once the command line is parsed: the message for stderr (after
// "returnsd: "; the exit code is 2), or nothing when the flags hold together.
std::optional<std::string> FlagsError(const Flags& flags);

}  // namespace returns
