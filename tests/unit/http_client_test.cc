// The outbound HTTP client: the SSRF guard (which URLs and addresses a merchant's webhook may
// reach) and, against a one-shot server on 127.0.0.1, what a call returns.
#include "integrations/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace returns::integrations {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(IsPublicAddressTest, PublicAddresses) {
  for (const char* ip : {"8.8.8.8",
                         "1.1.1.1",
                         "93.184.216.34",
                         "9.255.255.255",
                         "11.0.0.0",
                         "100.63.255.255",
                         "100.128.0.0",
                         "126.255.255.255",
                         "128.0.0.1",
                         "169.253.255.255",
                         "169.255.0.0",
                         "172.15.255.255",
                         "172.32.0.0",
                         "192.0.1.1",
                         "192.0.3.1",
                         "192.88.98.1",
                         "192.88.100.1",
                         "192.167.255.255",
                         "192.169.0.0",
                         "198.17.255.255",
                         "198.20.0.0",
                         "198.51.99.1",
                         "198.51.101.1",
                         "203.0.112.1",
                         "203.0.114.1",
                         "223.255.255.255",
                         "2606:4700::1111",
                         "2a00:1450:4001:80b::200e",
                         "2001:4860:4860::8888",
                         "2001:200::1",
                         "::ffff:8.8.8.8",
                         "64:ff9b::808:808",
                         "2002:808:808::1"}) {
    EXPECT_TRUE(IsPublicAddress(ip)) << ip;
  }
}

TEST(IsPublicAddressTest, SpecialPurposeAddressesAreNotPublic) {
  for (const char* ip : {
           "0.0.0.0",
           "0.255.255.255",  // 0/8
           "10.0.0.1",
           "10.255.255.255",  // 10/8
           "100.64.0.1",
           "100.127.255.255",  // 100.64/10
           "127.0.0.1",
           "127.255.255.254",  // 127/8
           "169.254.169.254",
           "169.254.0.1",  // 169.254/16
           "172.16.0.1",
           "172.31.255.255",  // 172.16/12
           "192.0.0.1",
           "192.0.0.255",  // 192.0.0/24
           "192.0.2.1",    // 192.0.2/24
           "192.88.99.1",  // 192.88.99/24
           "192.168.0.1",
           "192.168.255.255",  // 192.168/16
           "198.18.0.1",
           "198.19.255.255",  // 198.18/15
           "198.51.100.7",    // 198.51.100/24
           "203.0.113.9",     // 203.0.113/24
           "224.0.0.1",
           "239.255.255.255",  // 224/4
           "240.0.0.1",
           "255.255.255.255",  // 240/4
           "::",
           "::1",          // unspecified, loopback
           "::127.0.0.1",  // IPv4-compatible (deprecated)
           "::ffff:127.0.0.1",
           "::ffff:10.1.2.3",
           "::ffff:169.254.169.254",  // mapped
           "::ffff:7f00:1",           // mapped, hex
           "64:ff9b::7f00:1",
           "64:ff9b::10.0.0.1",  // NAT64
           "2002:7f00:1::1",
           "2002:a00:1::",  // 6to4
           "100::1",
           "100::ffff:ffff:ffff:ffff",  // 100::/64
           "2001:db8::1",
           "2001:db8:ffff::1",  // 2001:db8::/32
           "2001::1",
           "2001:1ff:ffff::1",  // 2001::/23
           "fc00::1",
           "fd12:3456::1",  // fc00::/7
           "fe80::1",
           "febf::1",  // fe80::/10
           "ff02::1",
           "ff0e::1",  // ff00::/8
       }) {
    EXPECT_FALSE(IsPublicAddress(ip)) << ip;
  }
}

TEST(IsPublicAddressTest, TextThatIsNotAnAddressIsNotPublic) {
  for (const char* text :
       {"", "example.com", "8.8.8", "8.8.8.8.8", "256.1.1.1", "08.8.8.8", "0x8.8.8.8", "8.8.8.8 ",
        " 8.8.8.8", "[2606:4700::1111]", "2606:4700::1111%eth0", "2606:::1", "8.8.8.8/32",
        "134744072", "localhost"}) {
    EXPECT_FALSE(IsPublicAddress(text)) << "'" << text << "'";
  }
  EXPECT_FALSE(IsPublicAddress(absl::string_view("8.8.8.8\0", 8)));
}

TEST(CheckDestinationUrlTest, HttpsIsAllowedEverywhere) {
  for (DestinationRule rule :
       {DestinationRule::kPublicHttpsOnly, DestinationRule::kAllowHttpAndLoopback}) {
    EXPECT_TRUE(CheckDestinationUrl("https://example.com/hooks?x=1", rule).ok());
    EXPECT_TRUE(CheckDestinationUrl("https://example.com:8443/", rule).ok());
    EXPECT_TRUE(CheckDestinationUrl("HTTPS://Example.COM/", rule).ok());
    EXPECT_TRUE(CheckDestinationUrl("https://8.8.8.8/hook", rule).ok());
    EXPECT_TRUE(CheckDestinationUrl("https://[2606:4700::1111]/hook", rule).ok());
  }
}

TEST(CheckDestinationUrlTest, HttpOnlyUnderTheInsecureRule) {
  absl::Status status =
      CheckDestinationUrl("http://example.com/hook", DestinationRule::kPublicHttpsOnly);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("https"));
  EXPECT_TRUE(
      CheckDestinationUrl("http://example.com/hook", DestinationRule::kAllowHttpAndLoopback).ok());
  EXPECT_TRUE(
      CheckDestinationUrl("http://127.0.0.1:8080/hook", DestinationRule::kAllowHttpAndLoopback)
          .ok());
  EXPECT_TRUE(
      CheckDestinationUrl("http://localhost:8080/hook", DestinationRule::kAllowHttpAndLoopback)
          .ok());
}

TEST(CheckDestinationUrlTest, MalformedUrlsAreRefusedUnderEitherRule) {
  for (DestinationRule rule :
       {DestinationRule::kPublicHttpsOnly, DestinationRule::kAllowHttpAndLoopback}) {
    for (const char* url : {
             "",
             "ftp://example.com/file",
             "file:///etc/passwd",
             "gopher://example.com/",
             "javascript:alert(1)",
             "example.com/hook",
             "//example.com/hook",
             "https://",
             "https:///hook",
             "https:/example.com/hook",
             "https://user:pw@example.com/hook",
             "https://user@example.com/hook",
             "https://example.com/hook#part",
             "https://example.com/hook#",
             "https://exa mple.com/",
             "https://example.com:99999/",
             "https://ex\xc3\xa4mple.com/",
         }) {
      EXPECT_EQ(CheckDestinationUrl(url, rule).code(), absl::StatusCode::kInvalidArgument)
          << "'" << url << "' rule " << static_cast<int>(rule);
    }
  }
}

TEST(CheckDestinationUrlTest, NonPublicLiteralHostsAreRefusedInProduction) {
  for (const char* url : {
           "https://127.0.0.1/x", "https://127.0.0.1:1/x", "https://[::1]/x",
           "https://[::ffff:127.0.0.1]/x", "https://169.254.169.254/latest/meta-data/",
           "https://10.0.0.7/x", "https://192.168.1.1/x", "https://0.0.0.0/x",
           "https://[fe80::1%25eth0]/x",
           "https://2130706433/x",  // 127.0.0.1 as one number
           "https://0x7f.1/x",      // and in hex
       }) {
    EXPECT_EQ(CheckDestinationUrl(url, DestinationRule::kPublicHttpsOnly).code(),
              absl::StatusCode::kInvalidArgument)
        << url;
    EXPECT_TRUE(CheckDestinationUrl(url, DestinationRule::kAllowHttpAndLoopback).ok()) << url;
  }
}

TEST(SendHttpTest, LoopbackIsRefusedInProduction) {
  HttpRequest request;
  request.url = "https://127.0.0.1:1/x";
  absl::StatusOr<HttpResponse> response =
      SendHttp(request, HttpLimits{}, DestinationRule::kPublicHttpsOnly);
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(response.status().code() == absl::StatusCode::kPermissionDenied ||
              response.status().code() == absl::StatusCode::kInvalidArgument)
      << response.status();
}

TEST(SendHttpTest, NamesResolvingToLoopbackAreRefusedInProduction) {
  HttpRequest request;
  request.url = "https://localhost:1/x";
  absl::StatusOr<HttpResponse> response =
      SendHttp(request, HttpLimits{}, DestinationRule::kPublicHttpsOnly);
  ASSERT_FALSE(response.ok());
  // "localhost" may not resolve at all in a bare container; it must never be reached.
  EXPECT_TRUE(response.status().code() == absl::StatusCode::kPermissionDenied ||
              response.status().code() == absl::StatusCode::kUnavailable)
      << response.status();
  if (response.status().code() == absl::StatusCode::kPermissionDenied) {
    EXPECT_THAT(response.status().message(), HasSubstr("localhost"));
    EXPECT_THAT(response.status().message(), Not(HasSubstr("127.0.0.1")));
  }
}

TEST(SendHttpTest, NothingListeningIsUnavailable) {
  HttpRequest request;
  request.url = "http://127.0.0.1:1/x?token=secret";
  absl::StatusOr<HttpResponse> response =
      SendHttp(request, HttpLimits{}, DestinationRule::kAllowHttpAndLoopback);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
  EXPECT_THAT(response.status().message(), Not(HasSubstr("secret")));
}

TEST(SendHttpTest, MalformedRequestsAreRefused) {
  HttpRequest request;
  request.url = "http://127.0.0.1:1/x";
  request.method = "TRACE";
  EXPECT_EQ(SendHttp(request, HttpLimits{}, DestinationRule::kAllowHttpAndLoopback).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.method = "POST";
  request.headers = {{"X-Test", "a\r\nX-Injected: 1"}};
  EXPECT_EQ(SendHttp(request, HttpLimits{}, DestinationRule::kAllowHttpAndLoopback).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.headers = {{"X Test", "a"}};
  EXPECT_EQ(SendHttp(request, HttpLimits{}, DestinationRule::kAllowHttpAndLoopback).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Accepts one connection on 127.0.0.1, reads the request (headers and a Content-Length body),
// answers with `response` and closes. Optionally never answers, to test the timeout.
class OneShotServer {
 public:
  explicit OneShotServer(std::string response) : response_(std::move(response)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    if (listener_ < 0 || bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(listener_, 1) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotServer() {
    // Wakes a blocked accept() when the client never connected.
    if (listener_ >= 0) shutdown(listener_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    if (listener_ >= 0) close(listener_);
  }
  OneShotServer(const OneShotServer&) = delete;
  OneShotServer& operator=(const OneShotServer&) = delete;

  std::string Url(absl::string_view path) const {
    return absl::StrCat("http://127.0.0.1:", port_, path);
  }
  // What the client sent; read after the call returned (the thread is done by then).
  const std::string& request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  void Serve() {
    const int connection = accept(listener_, nullptr, nullptr);
    if (connection < 0) return;
    char buffer[4096];
    size_t wanted = std::string::npos;
    while (request_.size() < wanted) {
      const ssize_t n = read(connection, buffer, sizeof(buffer));
      if (n <= 0) break;
      request_.append(buffer, static_cast<size_t>(n));
      const size_t end = request_.find("\r\n\r\n");
      if (end != std::string::npos && wanted == std::string::npos) {
        size_t body = 0;
        const size_t at = request_.find("Content-Length: ");
        if (at != std::string::npos && at < end) body = std::stoul(request_.substr(at + 16));
        wanted = end + 4 + body;
      }
    }
    size_t sent = 0;
    while (sent < response_.size()) {
      const ssize_t n =
          send(connection, response_.data() + sent, response_.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    close(connection);
  }

  std::string response_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string request_;
};

TEST(SendHttpTest, ReturnsStatusHeadersAndBody) {
  OneShotServer server(
      "HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-Request-Id:  abc  \r\n"
      "Connection: close\r\n\r\nhello");
  HttpRequest request;
  request.url = server.Url("/hooks?x=1");
  request.headers = {{"Content-Type", "application/json"}, {"webhook-id", "msg_1"}};
  request.body = R"({"a":1})";
  request.basic_auth_user = "sk_test";
  absl::StatusOr<HttpResponse> response =
      SendHttp(request, HttpLimits{}, DestinationRule::kAllowHttpAndLoopback);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, "hello");
  EXPECT_FALSE(response->body_truncated);
  EXPECT_EQ(response->Header("x-request-id"), "abc");
  EXPECT_EQ(response->Header("content-length"), "5");
  EXPECT_EQ(response->Header("absent"), "");

  const std::string& sent = server.request();
  EXPECT_TRUE(absl::StartsWith(sent, "POST /hooks?x=1 HTTP/1.1\r\n")) << sent;
  EXPECT_THAT(sent, HasSubstr("\r\nContent-Type: application/json\r\n"));
  EXPECT_THAT(sent, HasSubstr("\r\nwebhook-id: msg_1\r\n"));
  EXPECT_THAT(sent, HasSubstr("\r\nAuthorization: Basic c2tfdGVzdDo=\r\n"));  // "sk_test:"
  EXPECT_THAT(sent, Not(HasSubstr("Expect:")));
  EXPECT_TRUE(absl::EndsWith(sent, "\r\n\r\n{\"a\":1}")) << sent;
}

TEST(SendHttpTest, ARedirectIsAResponseNotFollowed) {
  OneShotServer server(
      "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\n"
      "Connection: close\r\n\r\n");
  HttpRequest request;
  request.method = "GET";
  request.url = server.Url("/");
  absl::StatusOr<HttpResponse> response =
      SendHttp(request, HttpLimits{}, DestinationRule::kAllowHttpAndLoopback);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 302);
  EXPECT_EQ(response->Header("location"), "http://169.254.169.254/");
  EXPECT_TRUE(absl::StartsWith(server.request(), "GET / HTTP/1.1\r\n"));
}

TEST(SendHttpTest, ALongBodyIsCutAtTheLimit) {
  const std::string body(10000, 'x');
  OneShotServer server(absl::StrCat("HTTP/1.1 500 Internal Server Error\r\nContent-Length: ",
                                    body.size(), "\r\nConnection: close\r\n\r\n", body));
  HttpRequest request;
  request.method = "PUT";
  request.url = server.Url("/big");
  HttpLimits limits;
  limits.max_response_bytes = 100;
  absl::StatusOr<HttpResponse> response =
      SendHttp(request, limits, DestinationRule::kAllowHttpAndLoopback);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body, std::string(100, 'x'));
  EXPECT_TRUE(response->body_truncated);
  EXPECT_TRUE(absl::StartsWith(server.request(), "PUT /big HTTP/1.1\r\n"));
}

TEST(SendHttpTest, ASilentServerTimesOut) {
  // Accepts but never answers: the kernel completes the handshake from the backlog.
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  HttpRequest request;
  request.url = absl::StrCat("http://127.0.0.1:", ntohs(address.sin_port), "/slow");
  HttpLimits limits;
  limits.total_timeout = absl::Milliseconds(300);
  absl::StatusOr<HttpResponse> response =
      SendHttp(request, limits, DestinationRule::kAllowHttpAndLoopback);
  close(listener);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded) << response.status();
}

}  // namespace
}  // namespace returns::integrations
