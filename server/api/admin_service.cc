#include "api/admin_service.h"

#include "api/request_validation.h"
#include "app/use_cases.h"

namespace returns::api {

grpc::Status AdminService::CreateMerchant(grpc::ServerContext* context,
                                          const v1::CreateMerchantRequest* request,
                                          v1::CreateMerchantResponse* response) {
  return runner_.Run(context, "returns.v1.AdminService/CreateMerchant", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::CreateMerchant(runner_.app(), call, *request, response);
                     });
}

grpc::Status AdminService::CreateApiKey(grpc::ServerContext* context,
                                        const v1::CreateApiKeyRequest* request,
                                        v1::CreateApiKeyResponse* response) {
  return runner_.Run(context, "returns.v1.AdminService/CreateApiKey", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::CreateApiKey(runner_.app(), call, *request, response);
                     });
}

grpc::Status AdminService::RevokeApiKey(grpc::ServerContext* context,
                                        const v1::RevokeApiKeyRequest* request,
                                        v1::ApiKey* response) {
  return runner_.Run(context, "returns.v1.AdminService/RevokeApiKey", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::RevokeApiKey(runner_.app(), call, *request, response);
                     });
}

grpc::Status AdminService::ListApiKeys(grpc::ServerContext* context,
                                       const v1::ListApiKeysRequest* request,
                                       v1::ListApiKeysResponse* response) {
  return runner_.Run(context, "returns.v1.AdminService/ListApiKeys", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::ListApiKeys(runner_.app(), call, *request, response);
                     });
}

grpc::Status AdminService::ListDecisions(grpc::ServerContext* context,
                                         const v1::ListDecisionsRequest* request,
                                         v1::ListDecisionsResponse* response) {
  return runner_.Run(context, "returns.v1.AdminService/ListDecisions", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::ListDecisions(runner_.app(), call, *request, response);
                     });
}

grpc::Status AdminService::ListJobs(grpc::ServerContext* context, const v1::ListJobsRequest* request,
                        v1::ListJobsResponse* response) {
  return runner_.Run(context, "returns.v1.AdminService/ListJobs", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::ListJobs(runner_.app(), call, *request, response);
                     });
}

grpc::Status AdminService::RetryJob(grpc::ServerContext* context, const v1::RetryJobRequest* request,
                        v1::Job* response) {
  return runner_.Run(context, "returns.v1.AdminService/RetryJob", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::RetryJob(runner_.app(), call, *request, response);
                     });
}

}  // namespace returns::api
