// Plaintext (and the API key in it) stays on this machine unless explicitly allowed, on the
// server's side and the client library's alike.
#include "common/loopback.h"

#include <stdexcept>

#include <gtest/gtest.h>

#include "client/returns_client.h"

namespace returns {
namespace {

TEST(LoopbackTest, OnlyAddressesOfThisMachineAreLoopback) {
  for (const char* address :
       {"127.0.0.1:50051", "127.1.2.3:1", "localhost:50051", "[::1]:50051",
        "unix:/run/returnsd.sock", "dns:///localhost:50051", "ipv4:127.0.0.1:1"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
  for (const char* address :
       {"10.0.0.7:50051", "returns.internal:50051", "[2001:db8::1]:50051", "0.0.0.0:50051",
        "localhost.example.com:50051", "dns:///10.0.0.7:1", "128.0.0.1:1", "127.evil.example:50051",
        "ipv4:127.0.0.1:1,10.0.0.9:1"}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

TEST(LoopbackTest, TheClientRefusesPlaintextOffThisMachineUnlessAllowed) {
  client::ClientOptions options;
  options.api_key = "rk_secret";
  options.address = "10.0.0.7:50051";
  EXPECT_THROW(client::MakeChannel(options), std::runtime_error);
  options.allow_insecure_plaintext = true;
  EXPECT_NE(client::MakeChannel(options), nullptr);
  options.allow_insecure_plaintext = false;
  options.address = "127.0.0.1:50051";
  EXPECT_NE(client::MakeChannel(options), nullptr);
}

}  // namespace
}  // namespace returns
