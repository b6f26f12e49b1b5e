#pragma once

#include <deque>
#include <exception>
#include <optional>
#include <string>

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "api/byte_service.h"
#include "api/credential_memory.h"
#include "api/executor.h"
#include "api/live_stream.h"
#include "api/rate_limiter.h"
#include "api/request_decoding.h"
#include "api/request_validation.h"
#include "app/common/app_context.h"
#include "app/common/live_source.h"
#include "google/protobuf/message.h"

namespace returns::api {

// The method a use case serves: its request type less "Request" (CreateReturnRequest ->
// "CreateReturn"), as every method of the contract is declared; ByteService refuses a name its
// service does not have.
template <class Request>
std::string MethodNameOf() {
  absl::string_view name = Request::descriptor()->name();
  absl::ConsumeSuffix(&name, "Request");
  return std::string(name);
}

// What every handler, unary or stream, does around its use case, in one place and in this order:
//   screen the credential without the database (UNAUTHENTICATED at once when missing, malformed
//   or refused in the last minute; api/credential_memory.h) -> take the call onto the executor
//   in its key's lane (RESOURCE_EXHAUSTED SERVER_BUSY when the lane or the queue is full)
//   -> authenticate the API key (UNAUTHENTICATED) -> rate-limit the key (RESOURCE_EXHAUSTED)
//   -> authorise the role for the method (PERMISSION_DENIED) -> decode the bytes and validate
//   (INVALID_ARGUMENT) -> run the use case -> map the status -> annotate the call's log line.
// gRPC's callback threads only hand calls over; the blocking work runs on the executor.
// The log line (api/call_log.h) has method, status, reason, latency, merchant, key_id and
// request_id; never request bodies or credentials, so no secrets or addresses reach the logs.
class CallRunner {
 public:
  // Calls without a deadline, or with a longer one, get this one.
  static constexpr absl::Duration kMaxCallDuration = absl::Seconds(30);

  CallRunner(const app::AppContext& app, RateLimiter& rate_limiter, Executor& executor,
             LiveStreams& streams)
      : app_(app), rate_limiter_(rate_limiter), executor_(executor), streams_(streams) {}

  // Admission, validation and the use case for one call; `method` is the full name,
  // "returns.v1.ReturnService/CreateReturn". Annotates the call's log line.
  grpc::Status Run(grpc::ServerContextBase* context, const std::string& method,
                   const google::protobuf::Message& request, absl::Status validation,
                   absl::FunctionRef<absl::Status(app::CallContext&)> use_case);

  const app::AppContext& app() const { return app_; }

  // Registers `service`/`method` with a use case: the executor, decoding, validation and Run()
  // around it.
  template <class Request, class Response>
  void AddUnary(ByteService& service,
                absl::Status (*use_case)(const app::AppContext&, app::CallContext&, const Request&,
                                         Response*));
  template <class Request, class Response>
  void AddUnary(ByteService& service,
                absl::Status (*use_case)(const app::AppContext&, const app::CallContext&,
                                         const Request&, Response*));
  // A live stream (api/live_stream.h): `open` admits and opens it once, then the stream reads
  // its source whenever the change listener says there may be more.
  template <class Request, class Event>
  void AddServerStream(ByteService& service,
                       absl::StatusOr<app::LiveSource<Event>> (*open)(const app::AppContext&,
                                                                      const app::CallContext&,
                                                                      const Request&));

 private:
  template <class Request, class Response, class UseCase>
  void AddUnaryImpl(ByteService& service, const std::string& method, UseCase use_case);

  // Before any queue or database: a missing, malformed or recently refused credential is
  // refused at once; otherwise the call's executor lane (CredentialMemory).
  struct Screened {
    std::string lane;
    std::optional<absl::Status> refusal;
  };
  Screened Screen(const grpc::ServerContextBase& context);

  // Authentication, rate limit, role, validation and `use_case`, in that order.
  absl::Status Execute(grpc::ServerContextBase& context, const std::string& method,
                       absl::Status validation,
                       absl::FunctionRef<absl::Status(app::CallContext&)> use_case,
                       app::CallContext& call);
  absl::Status Admit(grpc::ServerContextBase& context, const std::string& method,
                     app::CallContext& call);
  // A call refused before it runs: its log line, and the status to finish it with.
  grpc::Status Refuse(grpc::ServerContextBase* context, const absl::Status& status);
  const std::string* Name(const ByteService& service, const std::string& method);

  const app::AppContext& app_;
  RateLimiter& rate_limiter_;
  Executor& executor_;
  LiveStreams& streams_;
  std::deque<std::string> method_names_;  // stable addresses for the handlers to point at
  CredentialMemory credentials_;
};

// The response's wire bytes; INTERNAL only if protobuf cannot serialise it.
grpc::Status EncodeResponse(const google::protobuf::Message& response, grpc::ByteBuffer* out);
// DecodeRequest over gRPC's buffer.
absl::Status DecodeRequest(const grpc::ByteBuffer& in, google::protobuf::Message* request);
// RESOURCE_EXHAUSTED SERVER_BUSY: the executor's queue is full.
absl::Status ServerBusyError();
// The call's authorization header, or "".
absl::string_view AuthorizationOf(const grpc::ServerContextBase& context);

template <class Request, class Response, class UseCase>
void CallRunner::AddUnaryImpl(ByteService& service, const std::string& method, UseCase use_case) {
  const std::string* name = Name(service, method);
  service.AddUnary(
      method, Request::descriptor()->full_name(), Response::descriptor()->full_name(),
      [this, name, use_case](grpc::CallbackServerContext* context, const grpc::ByteBuffer* in,
                             grpc::ByteBuffer* out) {
        grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
        Screened screened = Screen(*context);
        if (screened.refusal.has_value()) {
          reactor->Finish(Refuse(context, *screened.refusal));
          return reactor;
        }
        const bool queued = executor_.TrySubmit(screened.lane, [this, name, use_case, context, in,
                                                                out, reactor] {
          // Whatever happens the call is finished: an exception that escaped the use case (the
          // database's are statuses already) answers INTERNAL instead of leaving the call open.
          grpc::Status finish;
          try {
            Request request;
            Response response;
            absl::Status decoded = DecodeRequest(*in, &request);
            grpc::Status status = Run(
                context, *name, request, decoded.ok() ? Validate(request) : decoded,
                [&](app::CallContext& call) { return use_case(app_, call, request, &response); });
            finish = status.ok() ? EncodeResponse(response, out) : status;
          } catch (const std::exception&) {
            finish = grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
          }
          reactor->Finish(finish);
        });
        if (!queued) reactor->Finish(Refuse(context, ServerBusyError()));
        return reactor;
      });
}

template <class Request, class Response>
void CallRunner::AddUnary(ByteService& service,
                          absl::Status (*use_case)(const app::AppContext&, app::CallContext&,
                                                   const Request&, Response*)) {
  AddUnaryImpl<Request, Response>(service, MethodNameOf<Request>(), use_case);
}

template <class Request, class Response>
void CallRunner::AddUnary(ByteService& service,
                          absl::Status (*use_case)(const app::AppContext&, const app::CallContext&,
                                                   const Request&, Response*)) {
  AddUnaryImpl<Request, Response>(service, MethodNameOf<Request>(), use_case);
}

template <class Request, class Event>
void CallRunner::AddServerStream(
    ByteService& service,
    absl::StatusOr<app::LiveSource<Event>> (*open)(const app::AppContext&, const app::CallContext&,
                                                   const Request&)) {
  const std::string method = MethodNameOf<Request>();
  const std::string* name = Name(service, method);
  service.AddServerStream(
      method, Request::descriptor()->full_name(), Event::descriptor()->full_name(),
      [this, name, open](grpc::CallbackServerContext* context, const grpc::ByteBuffer* in) {
        Screened screened = Screen(*context);
        if (screened.refusal.has_value()) return streams_.Refuse(context, *screened.refusal);
        return streams_.Start(context, screened.lane, [this, name, open, context, in] {
          Request request;
          absl::Status decoded = DecodeRequest(*in, &request);
          OpenedStream opened;
          app::CallContext call;
          opened.status = Execute(
              *context, *name, decoded.ok() ? Validate(request) : decoded,
              [&](app::CallContext& call) -> absl::Status {
                absl::StatusOr<app::LiveSource<Event>> source = open(app_, call, request);
                if (!source.ok()) return source.status();
                auto encoded = std::make_shared<EncodedSource>();
                encoded->watch_key = source->watch_key;
                encoded->batch_size = app::kLiveBatch;
                encoded->read_batch = [read = std::move(source->read_batch)](
                                          std::vector<grpc::ByteBuffer>* out) mutable {
                  std::vector<Event> events;
                  absl::Status status = read(&events);
                  for (const Event& event : events) {
                    out->emplace_back();
                    (void)EncodeResponse(event, &out->back());
                  }
                  return status;
                };
                opened.source = std::move(encoded);
                return absl::OkStatus();
              },
              call);
          opened.principal = call.principal;
          return opened;
        });
      });
}

}  // namespace returns::api
