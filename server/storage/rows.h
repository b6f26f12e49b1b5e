#pragma once

#include <pqxx/row>

#include "returns/v1/api_key.pb.h"
#include "returns/v1/claim.pb.h"
#include "returns/v1/decision.pb.h"
#include "returns/v1/exchange_token.pb.h"
#include "returns/v1/inventory.pb.h"
#include "returns/v1/job.pb.h"
#include "returns/v1/order.pb.h"
#include "returns/v1/policy.pb.h"
#include "returns/v1/return.pb.h"
#include "returns/v1/shipment.pb.h"
#include "returns/v1/timeline.pb.h"

// Row -> message mapping for the columns that the named statements select, in their order.
namespace returns::storage {

// orders/get_order.sql and orders/list_orders.sql.
v1::Order OrderFromRow(const pqxx::row& row);
// returns/get_return.sql and returns/list_returns.sql.
v1::Return ReturnFromRow(const pqxx::row& row);
// timeline/list_timeline_events.sql.
v1::TimelineEvent TimelineEventFromRow(const pqxx::row& row);
// api_keys/list_api_keys.sql and api_keys/revoke_api_key.sql.
v1::ApiKey ApiKeyFromRow(const pqxx::row& row);
// inventory/*.sql: sku, on_hand, reserved, currency_code, unit_price_minor, update time.
v1::InventoryLevel InventoryLevelFromRow(const pqxx::row& row);
// exchange_tokens/get_exchange_token.sql and list_exchange_tokens.sql.
v1::ExchangeToken ExchangeTokenFromRow(const pqxx::row& row);
// shipments/get_shipment.sql and shipments/list_shipments.sql.
v1::Shipment ShipmentFromRow(const pqxx::row& row);
// jobs/list_jobs.sql and jobs/retry_job.sql.
v1::Job JobFromRow(const pqxx::row& row);
// decisions/list_decisions.sql.
v1::Decision DecisionFromRow(const pqxx::row& row);
// claims/get_claims.sql and claims/get_evidence.sql.
v1::Claim ClaimFromRow(const pqxx::row& row);
// policies/get_policy.sql (and lock_policy.sql).
v1::Policy PolicyFromRow(const pqxx::row& row);
v1::ClaimEvidence EvidenceFromRow(const pqxx::row& row);

}  // namespace returns::storage
