#pragma once

#include "app/common/app_context.h"
#include "http/http_listener.h"

// The routes of --http_listen besides health (docs/integrations.md, "Inbound HTTP listener"):
// carriers' tracking webhooks. Each verifies the carrier's signature with the merchant's
// account secret before it reads anything else, keeps the raw event once per event id, and
// feeds tracking updates into RecordCarrierEvents (duplicates and out-of-order safe).
namespace returns::http {

// POST /webhooks/easypost/<merchant_id>: EasyPost's Event, signed with X-Hmac-Signature.
// Answers 404 for a merchant without an EasyPost webhook secret (the same as for none at all),
// 401 for a bad signature, 400 for a body that is no Event, 200 once kept (or a duplicate), 503
// while the database cannot take it (EasyPost retries).
HttpReply ReceiveEasyPostWebhook(const app::AppContext& app, const HttpInbound& inbound);

// Registers the routes above on `listener`.
void AddCarrierWebhookRoutes(const app::AppContext& app, HttpListener& listener);

}  // namespace returns::http
