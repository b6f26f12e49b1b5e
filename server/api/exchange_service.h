#pragma once

#include "api/call_runner.h"
#include "returns/v1/exchange_service.grpc.pb.h"

namespace returns::api {

// returns.v1.ExchangeService: validation and use case per method, nothing else.
class ExchangeService final : public v1::ExchangeService::Service {
 public:
  explicit ExchangeService(CallRunner& runner) : runner_(runner) {}

  grpc::Status IssueExchangeToken(grpc::ServerContext* context,
                                  const v1::IssueExchangeTokenRequest* request,
                                  v1::IssueExchangeTokenResponse* response) override;
  grpc::Status GetExchangeToken(grpc::ServerContext* context,
                                const v1::GetExchangeTokenRequest* request,
                                v1::ExchangeToken* response) override;
  grpc::Status ListExchangeTokens(grpc::ServerContext* context,
                                  const v1::ListExchangeTokensRequest* request,
                                  v1::ListExchangeTokensResponse* response) override;
  grpc::Status RedeemExchangeToken(grpc::ServerContext* context,
                                   const v1::RedeemExchangeTokenRequest* request,
                                   v1::ExchangeToken* response) override;
  grpc::Status RevokeExchangeToken(grpc::ServerContext* context,
                                   const v1::RevokeExchangeTokenRequest* request,
                                   v1::ExchangeToken* response) override;
  grpc::Status ReportChargeOutcome(grpc::ServerContext* context,
                                   const v1::ReportChargeOutcomeRequest* request,
                                   v1::ExchangeToken* response) override;
  grpc::Status RetryExchangeTokenCharge(grpc::ServerContext* context,
                                        const v1::RetryExchangeTokenChargeRequest* request,
                                        v1::ExchangeToken* response) override;

 private:
  CallRunner& runner_;
};

}  // namespace returns::api
