#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/common/app_context.h"

// What the webhook use cases and the sender share about endpoints: where a secret is sealed,
// which URLs are allowed, and the per-merchant limit.
namespace returns::app {

// The most endpoints a merchant may have.
inline constexpr int kMaxWebhookEndpoints = 20;

// The AES-GCM context a secret of this endpoint is sealed under (a sealed value copied into
// another endpoint's row does not open).
std::string WebhookSecretContext(const std::string& merchant_id, const std::string& endpoint_id);

// A new signing secret and its sealed form; FAILED_PRECONDITION SECRET_KEYS_NOT_CONFIGURED when
// returnsd runs without --secret_keys.
struct NewSecret {
  std::string secret;
  std::string sealed;
};
absl::StatusOr<NewSecret> MakeWebhookSecret(const AppContext& app, const std::string& merchant_id,
                                            const std::string& endpoint_id);

// The secret in clear, for the sender and for a replayed create or rotate.
absl::StatusOr<std::string> OpenWebhookSecret(const AppContext& app, const std::string& merchant_id,
                                              const std::string& endpoint_id,
                                              const std::string& sealed);

// INVALID_ARGUMENT WEBHOOK_URL_REFUSED naming `field` when the server's destination rule
// refuses the URL (https to public addresses unless --webhook_allow_insecure).
absl::Status CheckWebhookUrl(const AppContext& app, const std::string& url,
                             const std::string& field);

}  // namespace returns::app
