#pragma once

#include <map>
#include <string>
#include <vector>

#include "returns/v1/return_service.pb.h"
#include "storage/transaction.h"

namespace returns::app {

// The replacement variants to recommend for each line of an order (by order line id), for each
// of `reasons` (ReturnReason values), best first, at most 3 per reason: the catalogue's variants
// of the line's product and the merchant's settled exchanges, read in three statements for the
// whole order, scored by domain/exchange_recommender.
std::map<std::string, std::vector<v1::VariantRecommendation>> RecommendReplacementsForOrder(
    storage::Tx& tx, const std::string& merchant_id, const std::string& order_id,
    const std::vector<v1::ReturnReason>& reasons);

}  // namespace returns::app
