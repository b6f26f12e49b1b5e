#pragma once

#include "api/call_runner.h"
#include "returns/v1/inventory_service.grpc.pb.h"

namespace returns::api {

// returns.v1.InventoryService: validation and use case per method, nothing else.
class InventoryService final : public v1::InventoryService::Service {
 public:
  explicit InventoryService(CallRunner& runner) : runner_(runner) {}

  grpc::Status SetInventoryLevels(grpc::ServerContext* context,
                                  const v1::SetInventoryLevelsRequest* request,
                                  v1::SetInventoryLevelsResponse* response) override;
  grpc::Status GetInventoryLevel(grpc::ServerContext* context,
                                 const v1::GetInventoryLevelRequest* request,
                                 v1::InventoryLevel* response) override;
  grpc::Status ListInventoryLevels(grpc::ServerContext* context,
                                   const v1::ListInventoryLevelsRequest* request,
                                   v1::ListInventoryLevelsResponse* response) override;

 private:
  CallRunner& runner_;
};

}  // namespace returns::api
