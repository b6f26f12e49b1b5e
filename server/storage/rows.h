#pragma once

#include <pqxx/row>

#include "returns/v1/order.pb.h"
#include "returns/v1/return.pb.h"
#include "returns/v1/timeline.pb.h"

// Row -> message mapping for the columns that the named statements select, in their order.
namespace returns::storage {

// orders/get_order.sql and orders/list_orders.sql.
v1::Order OrderFromRow(const pqxx::row& row);
// returns/get_return.sql and returns/list_returns.sql.
v1::Return ReturnFromRow(const pqxx::row& row);
// timeline/list_timeline_events.sql.
v1::TimelineEvent TimelineEventFromRow(const pqxx::row& row);

}  // namespace returns::storage
