#pragma once

#include <string>
#include <vector>

#include "domain/paid_money.h"
#include "domain/return_rules.h"
#include "returns/v1/money.pb.h"
#include "storage/order_store.h"

// The inputs of domain/paid_money.h as the stores read them, for every use case that takes a
// share of an order line or splits money over its tenders (returns, claims, money movements).
namespace returns::app {

// What is left of an order line to return or claim (units, paid, tax), as ShareOfUnits takes it.
LineRemainder RemainderOf(const OrderLineSnapshot& line);

// The policy's refund_tender_order as stored (a JSON array of TenderKind short names).
std::vector<v1::TenderKind> RefundTenderOrderOf(const std::string& kinds_json);

// The order's tenders with what each may still refund.
std::vector<TenderBalance> TenderBalancesOf(const std::vector<storage::OrderPaymentRow>& rows);

}  // namespace returns::app
