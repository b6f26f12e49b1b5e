#include "api/byte_service.h"

#include <stdexcept>

#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/impl/codegen/server_callback_handlers.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "metrics/metrics.h"

namespace returns::api {
namespace {

const google::protobuf::ServiceDescriptor& ContractOf(const std::string& service) {
  const auto* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
  if (descriptor == nullptr)
    throw std::logic_error(absl::StrCat("no service ", service, " in the contract"));
  return *descriptor;
}

}  // namespace

void ByteService::CheckAgainstContract(const std::string& method, const std::string& request_type,
                                       const std::string& response_type,
                                       bool server_streaming) const {
  const auto* descriptor = ContractOf(service_).FindMethodByName(method);
  if (descriptor == nullptr || descriptor->input_type()->full_name() != request_type ||
      descriptor->output_type()->full_name() != response_type || descriptor->client_streaming() ||
      descriptor->server_streaming() != server_streaming) {
    throw std::logic_error(
        absl::StrCat("handler ", service_, "/", method, " does not match the contract"));
  }
}

void ByteService::AddUnary(const std::string& method, const std::string& request_type,
                           const std::string& response_type, Unary handler) {
  Add(method, request_type, response_type, grpc::internal::RpcMethod::NORMAL_RPC,
      new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
          std::move(handler)));
}

void ByteService::AddServerStream(const std::string& method, const std::string& request_type,
                                  const std::string& response_type, ServerStream handler) {
  Add(method, request_type, response_type, grpc::internal::RpcMethod::SERVER_STREAMING,
      new grpc::internal::CallbackServerStreamingHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
          std::move(handler)));
}

void ByteService::Add(const std::string& method, const std::string& request_type,
                      const std::string& response_type, grpc::internal::RpcMethod::RpcType type,
                      grpc::internal::MethodHandler* handler) {
  CheckAgainstContract(method, request_type, response_type,
                       type == grpc::internal::RpcMethod::SERVER_STREAMING);
  const std::string& path = paths_.emplace_back(absl::StrCat("/", service_, "/", method));
  metrics::DeclareMethod(absl::string_view(path).substr(1),
                         type == grpc::internal::RpcMethod::SERVER_STREAMING);
  AddMethod(new grpc::internal::RpcServiceMethod(path.c_str(), type, nullptr));
  MarkMethodRawCallback(methods_, handler);
  ++methods_;
}

void ByteService::Finish() const {
  const auto& contract = ContractOf(service_);
  if (methods_ != contract.method_count()) {
    throw std::logic_error(absl::StrCat(service_, " has ", methods_, " handlers for ",
                                        contract.method_count(), " methods of the contract"));
  }
}

}  // namespace returns::api
