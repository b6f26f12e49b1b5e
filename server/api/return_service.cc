#include "api/return_service.h"

#include "api/request_validation.h"
#include "app/use_cases.h"

namespace returns::api {

grpc::Status ReturnService::CreateReturn(grpc::ServerContext* context,
                                         const v1::CreateReturnRequest* request,
                                         v1::Return* response) {
  return runner_.Run(context, "returns.v1.ReturnService/CreateReturn", *request, Validate(*request), [&](app::CallContext& call) {
    return app::CreateReturn(runner_.app(), call, *request, response);
  });
}

grpc::Status ReturnService::GetReturn(grpc::ServerContext* context,
                                      const v1::GetReturnRequest* request, v1::Return* response) {
  return runner_.Run(context, "returns.v1.ReturnService/GetReturn", *request, Validate(*request), [&](app::CallContext& call) {
    return app::GetReturn(runner_.app(), call, *request, response);
  });
}

grpc::Status ReturnService::ListReturns(grpc::ServerContext* context,
                                        const v1::ListReturnsRequest* request,
                                        v1::ListReturnsResponse* response) {
  return runner_.Run(context, "returns.v1.ReturnService/ListReturns", *request, Validate(*request), [&](app::CallContext& call) {
    return app::ListReturns(runner_.app(), call, *request, response);
  });
}

grpc::Status ReturnService::CancelReturn(grpc::ServerContext* context,
                                         const v1::CancelReturnRequest* request,
                                         v1::Return* response) {
  return runner_.Run(context, "returns.v1.ReturnService/CancelReturn", *request, Validate(*request), [&](app::CallContext& call) {
    return app::CancelReturn(runner_.app(), call, *request, response);
  });
}

grpc::Status ReturnService::ReceiveReturn(grpc::ServerContext* context,
                                          const v1::ReceiveReturnRequest* request,
                                          v1::Return* response) {
  return runner_.Run(context, "returns.v1.ReturnService/ReceiveReturn", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::ReceiveReturn(runner_.app(), call, *request, response);
                     });
}

grpc::Status ReturnService::ApproveReturn(grpc::ServerContext* context, const v1::ApproveReturnRequest* request,
                        v1::Return* response) {
  return runner_.Run(context, "returns.v1.ReturnService/ApproveReturn", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::ApproveReturn(runner_.app(), call, *request, response);
                     });
}

grpc::Status ReturnService::RejectReturn(grpc::ServerContext* context, const v1::RejectReturnRequest* request,
                        v1::Return* response) {
  return runner_.Run(context, "returns.v1.ReturnService/RejectReturn", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::RejectReturn(runner_.app(), call, *request, response);
                     });
}

grpc::Status ReturnService::ResolveReturn(grpc::ServerContext* context, const v1::ResolveReturnRequest* request,
                        v1::Return* response) {
  return runner_.Run(context, "returns.v1.ReturnService/ResolveReturn", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::ResolveReturn(runner_.app(), call, *request, response);
                     });
}

}  // namespace returns::api
