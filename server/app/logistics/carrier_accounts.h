#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/common/app_context.h"
#include "storage/transaction.h"

// What the carrier-account use cases, the label checks and the carrier adapters share
// (docs/integrations.md, "Carrier accounts").
namespace returns::app {

// The AES-GCM context a credential of this account is sealed under: `what` is "api_key" or
// "webhook_secret" (a sealed value copied into another row or field does not open).
std::string CarrierCredentialContext(const std::string& merchant_id, const std::string& carrier,
                                     const std::string& what);

// The path on --http_listen where `carrier` posts `merchant_id`'s webhooks.
std::string CarrierWebhookPath(const std::string& merchant_id, const std::string& carrier);

// FAILED_PRECONDITION CARRIER_ACCOUNT_MISSING naming the carrier when its adapter needs an
// account and the merchant has none; OK otherwise (the sandbox carrier needs none).
absl::Status CheckCarrierAccount(storage::Tx& tx, const AppContext& app,
                                 const std::string& merchant_id, const std::string& carrier);

// A credential of the merchant's account in clear (for an adapter, in memory only): nullopt
// when the merchant has no account at the carrier or no such credential.
absl::StatusOr<std::optional<std::string>> OpenCarrierCredential(const AppContext& app,
                                                                 const std::string& merchant_id,
                                                                 const std::string& carrier,
                                                                 const std::string& what);

}  // namespace returns::app
