#include "api/logistics_service.h"

#include "api/request_validation.h"
#include "app/use_cases.h"

namespace returns::api {

grpc::Status LogisticsService::CreateReturnLabel(grpc::ServerContext* context, const v1::CreateReturnLabelRequest* request,
                        v1::Shipment* response) {
  return runner_.Run(context, "returns.v1.LogisticsService/CreateReturnLabel", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::CreateReturnLabel(runner_.app(), call, *request, response);
                     });
}

grpc::Status LogisticsService::VoidLabel(grpc::ServerContext* context, const v1::VoidLabelRequest* request,
                        v1::Shipment* response) {
  return runner_.Run(context, "returns.v1.LogisticsService/VoidLabel", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::VoidLabel(runner_.app(), call, *request, response);
                     });
}

grpc::Status LogisticsService::ConfirmFulfillment(grpc::ServerContext* context, const v1::ConfirmFulfillmentRequest* request,
                        v1::Shipment* response) {
  return runner_.Run(context, "returns.v1.LogisticsService/ConfirmFulfillment", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::ConfirmFulfillment(runner_.app(), call, *request, response);
                     });
}

grpc::Status LogisticsService::RecordCarrierEvents(grpc::ServerContext* context, const v1::RecordCarrierEventsRequest* request,
                        v1::RecordCarrierEventsResponse* response) {
  return runner_.Run(context, "returns.v1.LogisticsService/RecordCarrierEvents", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::RecordCarrierEvents(runner_.app(), call, *request, response);
                     });
}

grpc::Status LogisticsService::GetShipment(grpc::ServerContext* context, const v1::GetShipmentRequest* request,
                        v1::Shipment* response) {
  return runner_.Run(context, "returns.v1.LogisticsService/GetShipment", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::GetShipment(runner_.app(), call, *request, response);
                     });
}

grpc::Status LogisticsService::ListShipments(grpc::ServerContext* context, const v1::ListShipmentsRequest* request,
                        v1::ListShipmentsResponse* response) {
  return runner_.Run(context, "returns.v1.LogisticsService/ListShipments", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::ListShipments(runner_.app(), call, *request, response);
                     });
}

}  // namespace returns::api
