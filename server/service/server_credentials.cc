#include "service/server_credentials.h"

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "common/log.h"
#include "common/loopback.h"

namespace returns {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const Flags& flags) {
  if (flags.tls_cert_file.empty() != flags.tls_key_file.empty()) {
    std::cerr << "returnsd: --tls_cert_file and --tls_key_file go together\n";
    return nullptr;
  }
  if (flags.tls_cert_file.empty()) {
    if (!flags.tls_client_ca_file.empty()) {
      std::cerr << "returnsd: --tls_client_ca_file needs --tls_cert_file and --tls_key_file\n";
      return nullptr;
    }
    if (!IsLoopbackAddress(flags.listen) && !flags.allow_insecure_plaintext) {
      std::cerr << "returnsd: refusing plaintext on " << flags.listen
                << ": give --tls_cert_file/--tls_key_file, or --allow_insecure_plaintext\n";
      return nullptr;
    }
    log::Warn("serving plaintext gRPC (no TLS)",
              {{"listen", flags.listen}, {"loopback", IsLoopbackAddress(flags.listen)}});
    return grpc::InsecureServerCredentials();
  }
  auto cert = ReadFile(flags.tls_cert_file);
  auto key = ReadFile(flags.tls_key_file);
  if (!cert || !key) {
    std::cerr << "returnsd: cannot read the TLS certificate or key file\n";
    return nullptr;
  }
  grpc::SslServerCredentialsOptions options(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!flags.tls_client_ca_file.empty()) {
    auto ca = ReadFile(flags.tls_client_ca_file);
    if (!ca) {
      std::cerr << "returnsd: cannot read --tls_client_ca_file\n";
      return nullptr;
    }
    options.pem_root_certs = *ca;
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  log::Info("serving TLS", {{"mutual_tls", !flags.tls_client_ca_file.empty()}});
  return grpc::SslServerCredentials(options);
}

}  // namespace returns
