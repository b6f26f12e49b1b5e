#pragma once

#include "app/admin/admin_use_cases.h"
#include "app/analytics/analytics_use_cases.h"
#include "app/background/background_passes.h"
#include "app/claims/claims_use_cases.h"
#include "app/exchange_tokens/exchange_tokens_use_cases.h"
#include "app/inventory/inventory_use_cases.h"
#include "app/logistics/logistics_use_cases.h"
#include "app/money/money_use_cases.h"
#include "app/orders/orders_use_cases.h"
#include "app/policy/policy_use_cases.h"
#include "app/returns/returns_use_cases.h"
#include "app/timeline/timeline_use_cases.h"
#include "app/webhooks/webhook_use_cases.h"

// Every use case, for the wiring that needs them all (server/api/services.cc,
// server/service/serve.cc). Code that needs one service's use cases includes its folder's header
// instead.
