#pragma once

#include "api/call_runner.h"
#include "returns/v1/order_service.grpc.pb.h"

namespace returns::api {

// returns.v1.OrderService: validation and use case per method, nothing else.
class OrderService final : public v1::OrderService::Service {
 public:
  explicit OrderService(CallRunner& runner) : runner_(runner) {}

  grpc::Status UpsertOrder(grpc::ServerContext* context, const v1::UpsertOrderRequest* request,
                           v1::Order* response) override;
  grpc::Status GetOrder(grpc::ServerContext* context, const v1::GetOrderRequest* request,
                        v1::Order* response) override;
  grpc::Status ListOrders(grpc::ServerContext* context, const v1::ListOrdersRequest* request,
                          v1::ListOrdersResponse* response) override;

 private:
  CallRunner& runner_;
};

}  // namespace returns::api
