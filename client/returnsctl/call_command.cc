// returnsctl call SERVICE/METHOD -d JSON: any method of the contract with a JSON body, the way
// grpcurl does it (grpcurl is not packaged in Debian 12), for support machines and for the test
// that runs every grpcurl example of the docs (tests/e2e/executed_docs_test.cc). The request is
// built from the contract compiled into returnsctl; responses print as proto3 JSON
// (lowerCamelCase, like grpcurl), one object per message of a stream.
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/impl/codegen/client_unary_call.h>
#include <grpcpp/impl/codegen/sync_stream.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

struct CallValues {
  std::string method;
  std::string data = "{}";
};

// "returns.v1.ReturnService/GetReturn", "returns.v1.ReturnService.GetReturn" or
// "ReturnService/GetReturn" (the package is implied).
const MethodDescriptor* FindMethod(std::string name) {
  name = absl::StrReplaceAll(name, {{"/", "."}});
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  if (const auto* method = pool->FindMethodByName(name)) return method;
  return pool->FindMethodByName("returns.v1." + name);
}

// -d JSON, -d @FILE, or -d @ (standard input).
bool ReadData(const std::string& data, std::string* json, std::string* error) {
  if (data.empty() || data[0] != '@') {
    *json = data;
    return true;
  }
  if (data == "@") {
    *json = std::string(std::istreambuf_iterator<char>(std::cin), {});
    return true;
  }
  std::ifstream file(data.substr(1));
  if (!file) {
    *error = "cannot read " + data.substr(1);
    return false;
  }
  std::stringstream text;
  text << file.rdbuf();
  *json = text.str();
  return true;
}

void PrintMessage(const Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::cout << json;
}

void RunCall(const CallValues& v, CommandContext& context) {
  const MethodDescriptor* method = FindMethod(v.method);
  if (method == nullptr) {
    std::cerr << "error: no method " << v.method << " in the contract (SERVICE/METHOD, e.g. "
              << "returns.v1.ReturnService/GetReturn)\n";
    context.rc = 2;
    return;
  }
  std::string json, error;
  if (!ReadData(v.data, &json, &error)) {
    std::cerr << "error: " << error << "\n";
    context.rc = 2;
    return;
  }
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(factory->GetPrototype(method->input_type())->New());
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, request.get());
  if (!parsed.ok()) {
    std::cerr << "error: the JSON is not a " << method->input_type()->full_name() << ": "
              << parsed.message() << "\n";
    context.rc = 2;
    return;
  }
  // First: it draws the default request id.
  const std::shared_ptr<grpc::Channel>& channel = context.services().channel;
  // A mutation without a request_id gets returnsctl's (--request-id, else a fresh one), so a
  // retry of this command is safe when the id is given.
  if (const auto* field = method->input_type()->FindFieldByName("request_id");
      field != nullptr && request->GetReflection()->GetString(*request, field).empty()) {
    request->GetReflection()->SetString(request.get(), field, context.request_id);
  }
  std::string wire;
  request->SerializeToString(&wire);
  const std::string path = absl::StrCat("/", method->service()->full_name(), "/", method->name());
  std::unique_ptr<Message> response(factory->GetPrototype(method->output_type())->New());
  if (method->server_streaming()) {
    auto client_context = MakeContext(context.g.options);
    if (context.g.options.timeout == absl::Seconds(10)) {
      client_context->set_deadline(std::chrono::system_clock::time_point::max());
    }
    grpc::Slice slice(wire);
    grpc::ByteBuffer bytes(&slice, 1);
    std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>> reader(
        grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(
            channel.get(),
            grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::SERVER_STREAMING),
            client_context.get(), bytes));
    grpc::ByteBuffer message;
    while (reader->Read(&message)) {
      std::vector<grpc::Slice> slices;
      (void)message.Dump(&slices);
      std::string data;
      for (const auto& s : slices) {
        data.append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
      response->ParseFromString(data);
      PrintMessage(*response);
    }
    grpc::Status status = reader->Finish();
    // A stream runs until the server ends it, or until --timeout when one is given.
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED &&
        status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
      std::cerr << "error: " << DescribeError(status) << "\n";
      context.rc = 1;
    }
    return;
  }
  const bool mutation = method->input_type()->FindFieldByName("request_id") != nullptr;
  context.rc = Invoke(context.g, mutation, [&](grpc::ClientContext* client_context) {
    grpc::Slice slice(wire);
    grpc::ByteBuffer bytes(&slice, 1);
    grpc::ByteBuffer answer;
    grpc::Status status = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
        channel.get(),
        grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC),
        client_context, bytes, &answer);
    if (status.ok()) {
      std::vector<grpc::Slice> slices;
      (void)answer.Dump(&slices);
      std::string data;
      for (const auto& s : slices) {
        data.append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
      response->ParseFromString(data);
    }
    return status;
  });
  if (context.rc == 0) PrintMessage(*response);
}

}  // namespace

void AddCallCommand(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<CallValues>();
  auto* call = app.add_subcommand("call", "any method with a JSON body, as grpcurl does it");
  call->add_option("method", v->method, "SERVICE/METHOD, e.g. returns.v1.ReturnService/GetReturn")
      ->required();
  call->add_option("-d,--data", v->data,
                   "the request as proto3 JSON (lowerCamelCase or proto names); @FILE reads a "
                   "file, @ standard input; a missing request_id is filled in")
      ->capture_default_str();
  call->callback([v, &context] { RunCall(*v, context); });
}

}  // namespace returns::client
