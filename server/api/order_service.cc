#include "api/order_service.h"

#include "api/request_validation.h"
#include "app/use_cases.h"

namespace returns::api {

grpc::Status OrderService::UpsertOrder(grpc::ServerContext* context,
                                       const v1::UpsertOrderRequest* request,
                                       v1::Order* response) {
  return runner_.Run(context, "returns.v1.OrderService/UpsertOrder", *request, Validate(*request), [&](app::CallContext& call) {
    return app::UpsertOrder(runner_.app(), call, *request, response);
  });
}

grpc::Status OrderService::GetOrder(grpc::ServerContext* context,
                                    const v1::GetOrderRequest* request, v1::Order* response) {
  return runner_.Run(context, "returns.v1.OrderService/GetOrder", *request, Validate(*request), [&](app::CallContext& call) {
    return app::GetOrder(runner_.app(), call, *request, response);
  });
}

grpc::Status OrderService::ListOrders(grpc::ServerContext* context,
                                      const v1::ListOrdersRequest* request,
                                      v1::ListOrdersResponse* response) {
  return runner_.Run(context, "returns.v1.OrderService/ListOrders", *request, Validate(*request), [&](app::CallContext& call) {
    return app::ListOrders(runner_.app(), call, *request, response);
  });
}

}  // namespace returns::api
