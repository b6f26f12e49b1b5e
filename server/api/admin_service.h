#pragma once

#include "api/call_runner.h"
#include "returns/v1/admin_service.grpc.pb.h"

namespace returns::api {

// returns.v1.AdminService: validation and use case per method, nothing else.
class AdminService final : public v1::AdminService::Service {
 public:
  explicit AdminService(CallRunner& runner) : runner_(runner) {}

  grpc::Status CreateMerchant(grpc::ServerContext* context, const v1::CreateMerchantRequest* request,
                              v1::CreateMerchantResponse* response) override;
  grpc::Status CreateApiKey(grpc::ServerContext* context, const v1::CreateApiKeyRequest* request,
                            v1::CreateApiKeyResponse* response) override;
  grpc::Status RevokeApiKey(grpc::ServerContext* context, const v1::RevokeApiKeyRequest* request,
                            v1::ApiKey* response) override;
  grpc::Status ListApiKeys(grpc::ServerContext* context, const v1::ListApiKeysRequest* request,
                           v1::ListApiKeysResponse* response) override;
  grpc::Status ListDecisions(grpc::ServerContext* context, const v1::ListDecisionsRequest* request,
                             v1::ListDecisionsResponse* response) override;

  grpc::Status ListJobs(grpc::ServerContext* context, const v1::ListJobsRequest* request,
                 v1::ListJobsResponse* response) override;
  grpc::Status RetryJob(grpc::ServerContext* context, const v1::RetryJobRequest* request,
                 v1::Job* response) override;
 private:
  CallRunner& runner_;
};

}  // namespace returns::api
