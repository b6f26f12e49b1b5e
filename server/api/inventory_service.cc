#include "api/inventory_service.h"

#include "api/request_validation.h"
#include "app/use_cases.h"

namespace returns::api {

grpc::Status InventoryService::SetInventoryLevels(grpc::ServerContext* context,
                                                  const v1::SetInventoryLevelsRequest* request,
                                                  v1::SetInventoryLevelsResponse* response) {
  return runner_.Run(context, "returns.v1.InventoryService/SetInventoryLevels", *request,
                     Validate(*request), [&](app::CallContext& call) {
                       return app::SetInventoryLevels(runner_.app(), call, *request, response);
                     });
}

grpc::Status InventoryService::GetInventoryLevel(grpc::ServerContext* context,
                                                 const v1::GetInventoryLevelRequest* request,
                                                 v1::InventoryLevel* response) {
  return runner_.Run(context, "returns.v1.InventoryService/GetInventoryLevel", *request,
                     Validate(*request), [&](app::CallContext& call) {
                       return app::GetInventoryLevel(runner_.app(), call, *request, response);
                     });
}

grpc::Status InventoryService::ListInventoryLevels(grpc::ServerContext* context,
                                                   const v1::ListInventoryLevelsRequest* request,
                                                   v1::ListInventoryLevelsResponse* response) {
  return runner_.Run(context, "returns.v1.InventoryService/ListInventoryLevels", *request,
                     Validate(*request), [&](app::CallContext& call) {
                       return app::ListInventoryLevels(runner_.app(), call, *request, response);
                     });
}

}  // namespace returns::api
