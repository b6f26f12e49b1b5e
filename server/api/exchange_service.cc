#include "api/exchange_service.h"

#include "api/request_validation.h"
#include "app/use_cases.h"

namespace returns::api {

grpc::Status ExchangeService::IssueExchangeToken(grpc::ServerContext* context, const v1::IssueExchangeTokenRequest* request,
                                  v1::IssueExchangeTokenResponse* response) {
  return runner_.Run(context, "returns.v1.ExchangeService/IssueExchangeToken", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::IssueExchangeToken(runner_.app(), call, *request, response);
                     });
}

grpc::Status ExchangeService::GetExchangeToken(grpc::ServerContext* context, const v1::GetExchangeTokenRequest* request,
                                  v1::ExchangeToken* response) {
  return runner_.Run(context, "returns.v1.ExchangeService/GetExchangeToken", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::GetExchangeToken(runner_.app(), call, *request, response);
                     });
}

grpc::Status ExchangeService::ListExchangeTokens(grpc::ServerContext* context, const v1::ListExchangeTokensRequest* request,
                                  v1::ListExchangeTokensResponse* response) {
  return runner_.Run(context, "returns.v1.ExchangeService/ListExchangeTokens", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::ListExchangeTokens(runner_.app(), call, *request, response);
                     });
}

grpc::Status ExchangeService::RedeemExchangeToken(grpc::ServerContext* context, const v1::RedeemExchangeTokenRequest* request,
                                  v1::ExchangeToken* response) {
  return runner_.Run(context, "returns.v1.ExchangeService/RedeemExchangeToken", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::RedeemExchangeToken(runner_.app(), call, *request, response);
                     });
}

grpc::Status ExchangeService::RevokeExchangeToken(grpc::ServerContext* context, const v1::RevokeExchangeTokenRequest* request,
                                  v1::ExchangeToken* response) {
  return runner_.Run(context, "returns.v1.ExchangeService/RevokeExchangeToken", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::RevokeExchangeToken(runner_.app(), call, *request, response);
                     });
}

grpc::Status ExchangeService::ReportChargeOutcome(grpc::ServerContext* context, const v1::ReportChargeOutcomeRequest* request,
                                  v1::ExchangeToken* response) {
  return runner_.Run(context, "returns.v1.ExchangeService/ReportChargeOutcome", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::ReportChargeOutcome(runner_.app(), call, *request, response);
                     });
}

grpc::Status ExchangeService::RetryExchangeTokenCharge(grpc::ServerContext* context,
                                                      const v1::RetryExchangeTokenChargeRequest* request,
                                                      v1::ExchangeToken* response) {
  return runner_.Run(context, "returns.v1.ExchangeService/RetryExchangeTokenCharge", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       return app::RetryExchangeTokenCharge(runner_.app(), call, *request, response);
                     });
}

}  // namespace returns::api
