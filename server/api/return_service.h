#pragma once

#include "api/call_runner.h"
#include "returns/v1/return_service.grpc.pb.h"

namespace returns::api {

// returns.v1.ReturnService: validation and use case per method, nothing else.
class ReturnService final : public v1::ReturnService::Service {
 public:
  explicit ReturnService(CallRunner& runner) : runner_(runner) {}

  grpc::Status CreateReturn(grpc::ServerContext* context, const v1::CreateReturnRequest* request,
                            v1::Return* response) override;
  grpc::Status GetReturn(grpc::ServerContext* context, const v1::GetReturnRequest* request,
                         v1::Return* response) override;
  grpc::Status ListReturns(grpc::ServerContext* context, const v1::ListReturnsRequest* request,
                           v1::ListReturnsResponse* response) override;
  grpc::Status CancelReturn(grpc::ServerContext* context, const v1::CancelReturnRequest* request,
                            v1::Return* response) override;
  grpc::Status ReceiveReturn(grpc::ServerContext* context, const v1::ReceiveReturnRequest* request,
                             v1::Return* response) override;

  grpc::Status ApproveReturn(grpc::ServerContext* context, const v1::ApproveReturnRequest* request,
                 v1::Return* response) override;
  grpc::Status RejectReturn(grpc::ServerContext* context, const v1::RejectReturnRequest* request,
                 v1::Return* response) override;
  grpc::Status ResolveReturn(grpc::ServerContext* context, const v1::ResolveReturnRequest* request,
                 v1::Return* response) override;
 private:
  CallRunner& runner_;
};

}  // namespace returns::api
