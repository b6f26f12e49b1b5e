#pragma once

#include <string>

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_interceptor.h>

// One "rpc" log line for every call, written as the call sends its status, by a server
// interceptor: calls refused before any handler runs (an unknown method, a message over the
// size limit, no thread free) are logged like the others. The line has method, status and
// latency; CallRunner adds what only the handler knows with AnnotateCall. Never request bodies
// or credentials.
namespace returns::api {

struct CallNote {
  std::string merchant_id;
  std::string key_id;
  std::string request_id;
  std::string reason;
  bool replayed = false;
  double stream_seconds = -1;  // a stream's life, when the call was one
};

// What to add to the log line of the call that `context` belongs to.
void AnnotateCall(const grpc::ServerContextBase* context, CallNote note);

class CallLogInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace returns::api
