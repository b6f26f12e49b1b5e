// TLS and mutual TLS end to end, with the development CA the test fixture made
// (deploy/make-dev-certs.sh).
#include <cstdlib>

#include "e2e_fixture.h"

namespace returns::testing {
namespace {

std::string Cert(const std::string& name) { return TestDir() + "/certs/" + name; }

class TlsTest : public ::testing::Test {
 protected:
  grpc::Status Call(const client::ClientOptions& options) {
    v1::ListOrdersResponse response;
    return v1::OrderService::NewStub(client::MakeChannel(options))
        ->ListOrders(client::MakeContext(options).get(), {}, &response);
  }
  client::ClientOptions Options(const ServerProcess& server) {
    client::ClientOptions options;
    options.address = "localhost:" + std::to_string(server.port());
    options.api_key = merchant_.admin_key;
    options.timeout = absl::Seconds(5);
    return options;
  }
  TestDatabase db_;
  TestMerchant merchant_ = CreateTestMerchant(db_.url());
};

TEST_F(TlsTest, ServesTlsAndRefusesPlaintextClients) {
  ServerProcess server(
      db_.url(), {"--tls_cert_file", Cert("server.pem"), "--tls_key_file", Cert("server.key")});
  client::ClientOptions options = Options(server);
  EXPECT_EQ(Call(options).error_code(), grpc::StatusCode::UNAVAILABLE);  // plaintext client
  options.tls_ca_file = Cert("ca.pem");
  grpc::Status status = Call(options);
  EXPECT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_NE(server.logs().find("\"mutual_tls\":false"), std::string::npos);
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificateFromTheCa) {
  ServerProcess server(db_.url(), {"--tls_cert_file", Cert("server.pem"), "--tls_key_file",
                                   Cert("server.key"), "--tls_client_ca_file", Cert("ca.pem")});
  client::ClientOptions options = Options(server);
  options.tls_ca_file = Cert("ca.pem");
  EXPECT_EQ(Call(options).error_code(), grpc::StatusCode::UNAVAILABLE);  // no client certificate
  // A client certificate from another CA is refused.
  const std::string foreign = TestDir() + "/foreign-certs";
  ASSERT_EQ(std::system(
                ("bash " RETURNS_SOURCE_DIR "/deploy/make-dev-certs.sh " + foreign + " >/dev/null")
                    .c_str()),
            0);
  options.tls_cert_file = foreign + "/client.pem";
  options.tls_key_file = foreign + "/client.key";
  EXPECT_EQ(Call(options).error_code(), grpc::StatusCode::UNAVAILABLE);
  options.tls_cert_file = Cert("client.pem");
  options.tls_key_file = Cert("client.key");
  grpc::Status status = Call(options);
  EXPECT_TRUE(status.ok()) << client::DescribeError(status);
  // TLS proves the transport; the API key still decides the merchant.
  options.api_key = "";
  EXPECT_EQ(Call(options).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TlsTest, PlaintextOffLoopbackNeedsAnExplicitFlag) {
  std::string output;
  int code = ServerProcess::RunToCompletion(
      {"--listen", "0.0.0.0:0", "--database_url", db_.url(), "--no_migrate"}, &output);
  EXPECT_NE(code, 0);
  EXPECT_NE(output.find("refusing plaintext"), std::string::npos) << output;
}

}  // namespace
}  // namespace returns::testing
