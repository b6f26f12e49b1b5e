#pragma once

#include <deque>
#include <functional>
#include <string>

#include <grpcpp/impl/codegen/rpc_method.h>
#include <grpcpp/impl/service_type.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_callback.h>

// A gRPC service on the callback API whose handlers receive the request's wire bytes instead of
// a parsed message. gRPC's typed handlers parse before any project code runs, and answer
// INTERNAL with no detail when a string field holds invalid UTF-8; taking the bytes lets
// CallRunner decode every request in one place (api/request_decoding.h) and name the field
// instead. Callback handlers hold no thread: CallRunner hands the work to its executor.
//
// Each method is checked at startup against the service's descriptor: Finish() fails if a
// method of the contract has no handler or a handler's types differ from the contract's.
namespace returns::api {

class ByteService : public grpc::Service {
 public:
  using Unary = std::function<grpc::ServerUnaryReactor*(
      grpc::CallbackServerContext*, const grpc::ByteBuffer*, grpc::ByteBuffer*)>;
  using ServerStream = std::function<grpc::ServerWriteReactor<grpc::ByteBuffer>*(
      grpc::CallbackServerContext*, const grpc::ByteBuffer*)>;

  // `service` is the full name, "returns.v1.ReturnService".
  explicit ByteService(std::string service) : service_(std::move(service)) {}

  // `method` is the short name, "CreateReturn"; the types are the contract's full names.
  void AddUnary(const std::string& method, const std::string& request_type,
                const std::string& response_type, Unary handler);
  void AddServerStream(const std::string& method, const std::string& request_type,
                       const std::string& response_type, ServerStream handler);

  // Throws std::logic_error naming the first mismatch with the contract.
  void Finish() const;

  const std::string& name() const { return service_; }

 private:
  void Add(const std::string& method, const std::string& request_type,
           const std::string& response_type, grpc::internal::RpcMethod::RpcType type,
           grpc::internal::MethodHandler* handler);
  void CheckAgainstContract(const std::string& method, const std::string& request_type,
                            const std::string& response_type, bool server_streaming) const;

  std::string service_;
  std::deque<std::string>
      paths_;  // "/returns.v1.ReturnService/CreateReturn"; gRPC keeps the pointer
  int methods_ = 0;
};

}  // namespace returns::api
