#pragma once

#include <string>

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "api/byte_service.h"
#include "api/rate_limiter.h"
#include "api/request_decoding.h"
#include "api/request_validation.h"
#include "app/app_context.h"
#include "google/protobuf/message.h"

namespace returns::api {

// What every handler, unary or stream, does around its use case, in one place and in this order:
//   authenticate the API key (UNAUTHENTICATED) -> rate-limit the key (RESOURCE_EXHAUSTED)
//   -> authorise the role for the method (PERMISSION_DENIED) -> decode the bytes and validate
//   (INVALID_ARGUMENT) -> run the use case -> map the status -> annotate the call's log line.
// The log line (api/call_log.h) has method, status, reason, latency, merchant, key_id and
// request_id; never request bodies or credentials, so no secrets or addresses reach the logs.
class CallRunner {
 public:
  // Calls without a deadline, or with a longer one, get this one.
  static constexpr absl::Duration kMaxCallDuration = absl::Seconds(30);

  CallRunner(const app::AppContext& app, RateLimiter& rate_limiter)
      : app_(app), rate_limiter_(rate_limiter) {}

  // `method` is the full name, "returns.v1.ReturnService/CreateReturn".
  grpc::Status Run(grpc::ServerContext* context, const std::string& method,
                   const google::protobuf::Message& request, absl::Status validation,
                   absl::FunctionRef<absl::Status(app::CallContext&)> use_case);

  const app::AppContext& app() const { return app_; }

  // Registers `service`/`method` with a use case: decoding, validation and Run() around it.
  template <class Request, class Response>
  void AddUnary(ByteService& service, const std::string& method,
                absl::Status (*use_case)(const app::AppContext&, app::CallContext&,
                                         const Request&, Response*));
  template <class Request, class Response>
  void AddUnary(ByteService& service, const std::string& method,
                absl::Status (*use_case)(const app::AppContext&, const app::CallContext&,
                                         const Request&, Response*));
  // A server stream: the use case writes events until the client leaves or the server drains.
  template <class Request, class Event>
  void AddServerStream(ByteService& service, const std::string& method,
                       absl::Status (*use_case)(const app::AppContext&, const app::CallContext&,
                                                const Request&,
                                                absl::FunctionRef<bool(const Event&)>,
                                                absl::FunctionRef<bool()>));

 private:
  template <class Request, class Response, class UseCase>
  void AddUnaryImpl(ByteService& service, const std::string& method, UseCase use_case);

  absl::Status Admit(grpc::ServerContext& context, const std::string& method, app::CallContext& call);

  const app::AppContext& app_;
  RateLimiter& rate_limiter_;
};

// The response's wire bytes; INTERNAL only if protobuf cannot serialise it.
grpc::Status EncodeResponse(const google::protobuf::Message& response, grpc::ByteBuffer* out);
// DecodeRequest over gRPC's buffer.
absl::Status DecodeRequest(const grpc::ByteBuffer& in, google::protobuf::Message* request);

template <class Request, class Response, class UseCase>
void CallRunner::AddUnaryImpl(ByteService& service, const std::string& method, UseCase use_case) {
  const std::string full_method = service.name() + "/" + method;
  service.AddUnary(
      method, Request::descriptor()->full_name(), Response::descriptor()->full_name(),
      [this, full_method, use_case](grpc::ServerContext* context, const grpc::ByteBuffer& in,
                                    grpc::ByteBuffer* out) {
        Request request;
        Response response;
        absl::Status decoded = DecodeRequest(in, &request);
        grpc::Status status = Run(context, full_method, request,
                                  decoded.ok() ? Validate(request) : decoded,
                                  [&](app::CallContext& call) {
                                    return use_case(app_, call, request, &response);
                                  });
        return status.ok() ? EncodeResponse(response, out) : status;
      });
}

template <class Request, class Response>
void CallRunner::AddUnary(ByteService& service, const std::string& method,
                          absl::Status (*use_case)(const app::AppContext&, app::CallContext&,
                                                   const Request&, Response*)) {
  AddUnaryImpl<Request, Response>(service, method, use_case);
}

template <class Request, class Response>
void CallRunner::AddUnary(ByteService& service, const std::string& method,
                          absl::Status (*use_case)(const app::AppContext&, const app::CallContext&,
                                                   const Request&, Response*)) {
  AddUnaryImpl<Request, Response>(service, method, use_case);
}

template <class Request, class Event>
void CallRunner::AddServerStream(
    ByteService& service, const std::string& method,
    absl::Status (*use_case)(const app::AppContext&, const app::CallContext&, const Request&,
                             absl::FunctionRef<bool(const Event&)>, absl::FunctionRef<bool()>)) {
  const std::string full_method = service.name() + "/" + method;
  service.AddServerStream(
      method, Request::descriptor()->full_name(), Event::descriptor()->full_name(),
      [this, full_method, use_case](grpc::ServerContext* context, const grpc::ByteBuffer& in,
                                    grpc::ServerWriter<grpc::ByteBuffer>* writer) {
        Request request;
        absl::Status decoded = DecodeRequest(in, &request);
        // A stream holds one handler thread while it is open (the synchronous API), parked on
        // the change listener between reads (docs/operations.md).
        return Run(context, full_method, request, decoded.ok() ? Validate(request) : decoded,
                   [&](app::CallContext& call) {
                     return use_case(
                         app_, call, request,
                         [&](const Event& event) {
                           grpc::ByteBuffer bytes;
                           return EncodeResponse(event, &bytes).ok() && writer->Write(bytes);
                         },
                         [&] {
                           return context->IsCancelled() ||
                                  (app_.draining != nullptr && app_.draining->HasBeenNotified());
                         });
                   });
      });
}

}  // namespace returns::api
