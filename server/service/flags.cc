#include "service/flags.h"

#include <CLI/CLI.hpp>

namespace returns {

void AddFlags(CLI::App& cli, Flags& flags) {
  cli.add_option("--listen", flags.listen, "address to serve gRPC on")->capture_default_str();
  cli.add_option("--metrics_listen", flags.metrics_listen,
                 "address to serve Prometheus metrics on, at /metrics (e.g. 0.0.0.0:9464; port 0 "
                 "picks one); none by default");
  cli.add_flag("--db_transaction_pooling", flags.db_transaction_pooling,
               "--database_url goes through a transaction-pooling PgBouncer: send statements "
               "unprepared and make no session settings (docs/scaling.md); needs "
               "--direct_database_url");
  cli.add_option("--direct_database_url", flags.direct_database_url,
                 "a direct PostgreSQL URL for what needs a session: migrations, LISTEN, the feed "
                 "sequencer (default: --database_url)")
      ->envname("RETURNS_DIRECT_DATABASE_URL");
  cli.add_option("--database_url", flags.database_url, "PostgreSQL connection URL")
      ->envname("RETURNS_DATABASE_URL");
  cli.add_option("--db_pool_size", flags.db_pool_size, "PostgreSQL connections")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cli.add_option("--executor_threads", flags.executor_threads,
                 "threads running calls' database work (0: db_pool_size + 2)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024));
  cli.add_option("--max_queued_calls", flags.max_queued_calls,
                 "calls waiting for the executor at most; past it RESOURCE_EXHAUSTED at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--max_queued_per_key", flags.max_queued_per_key,
                 "calls of one API key waiting for the executor at most (keys take turns)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--max_streams_per_key", flags.max_streams_per_key,
                 "open WatchTimeline/StreamEvents streams per API key and replica")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--max_streams_per_merchant", flags.max_streams_per_merchant,
                 "open streams per merchant and replica")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--stream_max_lifetime_seconds", flags.stream_max_lifetime_seconds,
                 "a stream ends OK after this long; the client resumes from its cursor")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400 * 7));
  cli.add_option("--max_threads", flags.max_threads,
                 "gRPC synchronous threads (reflection) at most")
      ->capture_default_str()
      ->check(CLI::Range(2, 4096));
  cli.add_option("--drain_seconds", flags.drain_seconds, "how long SIGTERM waits for calls")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  cli.add_flag("--no_migrate", flags.no_migrate, "do not apply migrations at start");
  cli.add_option("--tls_cert_file", flags.tls_cert_file, "PEM server certificate (chain)");
  cli.add_option("--tls_key_file", flags.tls_key_file, "PEM private key of the certificate");
  cli.add_option("--tls_client_ca_file", flags.tls_client_ca_file,
                 "PEM CA that client certificates must chain to (mutual TLS)");
  cli.add_flag("--allow_insecure_plaintext", flags.allow_insecure_plaintext,
               "allow plaintext on a non-loopback --listen address");
  cli.add_flag("--sandbox_damage_assessor", flags.sandbox_damage_assessor,
               "score evidence photos with the built-in sandbox damage model (demos and tests "
               "only: without an assessor, damage claims wait for a person)");
  cli.add_option("--rate_limit_per_second", flags.rate_limit_per_second,
                 "calls per second per API key and replica (0: no limit)")
      ->capture_default_str();
  cli.add_option("--rate_limit_burst", flags.rate_limit_burst, "burst per API key")
      ->capture_default_str();
  cli.add_option("--exchange_token_keys", flags.exchange_token_keys,
                 "exchange-token signing keys id:hexsecret,... newest first "
                 "(RETURNS_EXCHANGE_TOKEN_KEYS; default: a key made at migration)")
      ->envname("RETURNS_EXCHANGE_TOKEN_KEYS");
  cli.add_option("--sweep_interval_seconds", flags.sweep_interval_seconds,
                 "how often exchange tokens and expired request ids are swept")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  cli.add_option("--job_workers", flags.job_workers, "threads running durable jobs (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 64));
  cli.add_option("--job_poll_ms", flags.job_poll_ms, "how often idle job workers look for due jobs")
      ->capture_default_str()
      ->check(CLI::Range(10, 60000));
  cli.add_option("--job_retry_base_ms", flags.job_retry_base_ms,
                 "the first retry delay of a failed job (doubling, with jitter, up to 10 minutes)")
      ->capture_default_str()
      ->check(CLI::Range(1, 600000));
  cli.add_option("--job_lease_seconds", flags.job_lease_seconds,
                 "how long a claimed job is its worker's before another replica may take it over")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  cli.add_option("--max_evidence_bytes_per_merchant", flags.max_evidence_bytes_per_merchant,
                 "bytes of claim evidence (uploading and complete) a merchant may store; past it "
                 "RESOURCE_EXHAUSTED EVIDENCE_QUOTA_EXCEEDED (0: no limit)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 50));
  cli.add_option("--max_open_uploads_per_merchant", flags.max_open_uploads_per_merchant,
                 "evidence uploads a merchant may have open (UPLOADING) at once (0: no limit)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  cli.add_option("--evidence_upload_expiry_seconds", flags.evidence_upload_expiry_seconds,
                 "an evidence upload with no chunk for this long is expired by the sweeper and its "
                 "bytes deleted")
      ->capture_default_str()
      ->check(CLI::Range(1, 30 * 24 * 3600));
  cli.add_option("--secret_keys", flags.secret_keys,
                 "AES-256-GCM keys id:64hex,... newest first, that seal merchants' secrets at rest "
                 "(webhook signing secrets; RETURNS_SECRET_KEYS). Without them no secret is kept")
      ->envname("RETURNS_SECRET_KEYS");
  cli.add_option("--webhook_senders", flags.webhook_senders,
                 "threads sending webhooks, one endpoint each at a time (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 64));
  cli.add_flag("--webhook_allow_insecure", flags.webhook_allow_insecure,
               "let webhook URLs be http and reach loopback and private addresses (development "
               "and tests; the default is https to public addresses only)");
  cli.add_option("--webhook_poll_ms", flags.webhook_poll_ms,
                 "how often idle webhook senders look for due deliveries")
      ->capture_default_str()
      ->check(CLI::Range(10, 60000));
  cli.add_option("--webhook_retry_base_ms", flags.webhook_retry_base_ms,
                 "the first retry delay of a failed webhook (doubling, with jitter)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600000));
  cli.add_option("--webhook_retry_max_ms", flags.webhook_retry_max_ms,
                 "the longest delay between a webhook's attempts")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 3600000));
  cli.add_option("--webhook_retry_window_seconds", flags.webhook_retry_window_seconds,
                 "an endpoint failing this long is disabled")
      ->capture_default_str()
      ->check(CLI::Range(1, 30 * 24 * 3600));
  cli.add_option("--http_listen", flags.http_listen,
                 "host:port of the HTTP listener for carriers' webhooks (TLS with --tls_cert_file "
                 "and --tls_key_file; empty: none)");
  cli.add_option("--easypost_base_url", flags.easypost_base_url,
                 "EasyPost's API root (RETURNS_EASYPOST_BASE_URL)")
      ->envname("RETURNS_EASYPOST_BASE_URL")
      ->capture_default_str();
  cli.add_flag("--integrations_allow_insecure", flags.integrations_allow_insecure,
               "let carrier APIs (--easypost_base_url) be http and reach loopback and private "
               "addresses (development and tests)");
  cli.add_option("--damage_assessor_url", flags.damage_assessor_url,
                 "the damage assessor's URL: photos of claims are posted there by a durable job "
                 "(docs/integrations.md; empty: none, and damage claims wait for a person)")
      ->envname("RETURNS_DAMAGE_ASSESSOR_URL");
  cli.add_option("--damage_assessor_token", flags.damage_assessor_token,
                 "bearer token for the damage assessor (RETURNS_DAMAGE_ASSESSOR_TOKEN; prefer the "
                 "variable: a flag shows in the process list)")
      ->envname("RETURNS_DAMAGE_ASSESSOR_TOKEN");
  cli.add_option("--damage_assessor_timeout_ms", flags.damage_assessor_timeout_ms,
                 "one call to the damage assessor, in total (connecting: at most 5 s of it)")
      ->capture_default_str()
      ->check(CLI::Range(1000, 45000));
  cli.add_option("--webhook_timeout_ms", flags.webhook_timeout_ms,
                 "a webhook attempt's total timeout (connecting: at most 5 s of it)")
      ->capture_default_str()
      ->check(CLI::Range(100, 60000));
}

void AddCreateMerchantFlags(CLI::App& create, Flags& flags) {
  create.add_option("--name", flags.merchant_name, "the merchant's name")->required();
  create.add_flag("--operator", flags.operator_merchant,
                  "an operator merchant, whose ADMIN keys may create merchants");
}

std::optional<std::string> FlagsError(const Flags& flags) {
  if (flags.database_url.empty()) return "--database_url or RETURNS_DATABASE_URL is required";
  if (flags.db_transaction_pooling && flags.direct_database_url.empty()) {
    return "--db_transaction_pooling needs --direct_database_url (LISTEN and the migrations' "
           "lock need a session of their own)";
  }
  if (flags.sandbox_damage_assessor && !flags.damage_assessor_url.empty()) {
    return "--sandbox_damage_assessor and --damage_assessor_url name two damage assessors; "
           "choose one";
  }
  return std::nullopt;
}

}  // namespace returns
