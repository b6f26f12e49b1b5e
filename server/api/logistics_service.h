#pragma once

#include "api/call_runner.h"
#include "returns/v1/logistics_service.grpc.pb.h"

namespace returns::api {

// returns.v1.LogisticsService: validation and use case per method, nothing else.
class LogisticsService final : public v1::LogisticsService::Service {
 public:
  explicit LogisticsService(CallRunner& runner) : runner_(runner) {}

  grpc::Status CreateReturnLabel(grpc::ServerContext* context, const v1::CreateReturnLabelRequest* request,
                 v1::Shipment* response) override;
  grpc::Status VoidLabel(grpc::ServerContext* context, const v1::VoidLabelRequest* request,
                 v1::Shipment* response) override;
  grpc::Status ConfirmFulfillment(grpc::ServerContext* context, const v1::ConfirmFulfillmentRequest* request,
                 v1::Shipment* response) override;
  grpc::Status RecordCarrierEvents(grpc::ServerContext* context, const v1::RecordCarrierEventsRequest* request,
                 v1::RecordCarrierEventsResponse* response) override;
  grpc::Status GetShipment(grpc::ServerContext* context, const v1::GetShipmentRequest* request,
                 v1::Shipment* response) override;
  grpc::Status ListShipments(grpc::ServerContext* context, const v1::ListShipmentsRequest* request,
                 v1::ListShipmentsResponse* response) override;

 private:
  CallRunner& runner_;
};

}  // namespace returns::api
