// The inbound webhook listener (--http_listen): health, routing, body limits and TLS, spoken to
// over real sockets on 127.0.0.1 with hand-written requests, so every byte on the wire is known.
#include "http/http_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace returns::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPrefix[] = "/webhooks/test/";

// A connected TCP socket to 127.0.0.1:port, with a receive timeout so a test cannot hang.
int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

void SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the server may close early (413): what it answered is still read
    sent += static_cast<size_t>(n);
  }
}

std::string ReadToEnd(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

struct Response {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
};

// The final reply: an interim "100 Continue" before it is skipped.
Response Parse(std::string raw) {
  constexpr absl::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  if (absl::StartsWith(raw, kContinue)) raw.erase(0, kContinue.size());
  Response response;
  const size_t end = raw.find("\r\n\r\n");
  if (!absl::StartsWith(raw, "HTTP/1.1 ") || end == std::string::npos) return response;
  (void)absl::SimpleAtoi(raw.substr(9, 3), &response.status);
  response.head = raw.substr(0, end);
  response.body = raw.substr(end + 4);
  return response;
}

// One request on its own connection; the request should ask for "Connection: close".
Response Exchange(int port, const std::string& request) {
  const int fd = Connect(port);
  if (fd < 0) return {};
  SendAll(fd, request);
  const std::string raw = ReadToEnd(fd);
  close(fd);
  return Parse(raw);
}

std::string Post(absl::string_view path, absl::string_view body,
                 absl::string_view extra_headers = "") {
  return absl::StrCat("POST ", path, " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n",
                      extra_headers, "Content-Length: ", body.size(), "\r\n\r\n", body);
}

std::string Get(absl::string_view path) {
  return absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
}

// What a handler saw, kept for the test thread.
struct Seen {
  std::mutex mu;
  std::vector<HttpInbound> requests;

  HttpHandler Handler(HttpReply reply) {
    return [this, reply](const HttpInbound& in) {
      std::lock_guard<std::mutex> lock(mu);
      requests.push_back(in);
      return reply;
    };
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu);
    return requests.size();
  }
  HttpInbound last() {
    std::lock_guard<std::mutex> lock(mu);
    return requests.back();
  }
};

HttpListenerOptions LocalOptions() {
  HttpListenerOptions options;
  options.listen = "127.0.0.1:0";
  options.request_timeout_ms = 3000;
  return options;
}

TEST(HttpListenerTest, HealthFollowsTheCallback) {
  std::atomic<bool> healthy{true};
  HttpListener listener(LocalOptions(), [&healthy] { return healthy.load(); });
  ASSERT_GT(listener.port(), 0);

  Response response = Exchange(listener.port(), Get("/healthz"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"status":"SERVING"})");
  EXPECT_THAT(response.head, HasSubstr("Content-Type: application/json"));

  healthy = false;
  response = Exchange(listener.port(), Get("/healthz"));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, R"({"status":"NOT_SERVING"})");
}

TEST(HttpListenerTest, PostReachesTheHandlerAndItsReplyComesBack) {
  HttpListener listener(LocalOptions(), nullptr);
  Seen seen;
  listener.HandlePost(kPrefix, seen.Handler({202, "application/json", R"({"accepted":true})"}));

  const std::string body = R"({"id":"evt_1","status":"delivered"})";
  const Response response =
      Exchange(listener.port(), Post("/webhooks/test/carrier-a?mode=live&x=1", body,
                                     "X-Hmac-Signature: hmac-sha256-hex=abc\r\n"
                                     "Content-Type: application/json\r\n"));
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(response.body, R"({"accepted":true})");

  ASSERT_EQ(seen.count(), 1u);
  const HttpInbound in = seen.last();
  EXPECT_EQ(in.method, "POST");
  EXPECT_EQ(in.path, "/webhooks/test/carrier-a");
  EXPECT_EQ(in.query, "mode=live&x=1");
  EXPECT_EQ(in.body, body);
  EXPECT_EQ(in.remote_address, "127.0.0.1");
  EXPECT_EQ(in.Header("x-hmac-signature"), "hmac-sha256-hex=abc");
  EXPECT_EQ(in.Header("content-type"), "application/json");
  EXPECT_EQ(in.Header("X-Hmac-Signature"), "");  // names are looked up lowercased
  for (const auto& [name, value] : in.headers) {
    EXPECT_EQ(name, absl::AsciiStrToLower(name));
    EXPECT_NE(name, "remote_addr");  // the server library's own bookkeeping stays out
  }
}

TEST(HttpListenerTest, TheLongestPrefixWins) {
  HttpListener listener(LocalOptions(), nullptr);
  Seen general;
  Seen specific;
  listener.HandlePost("/webhooks/", general.Handler({200, "application/json", "{}"}));
  listener.HandlePost("/webhooks/test/", specific.Handler({200, "application/json", "{}"}));
  EXPECT_EQ(Exchange(listener.port(), Post("/webhooks/test/x", "{}")).status, 200);
  EXPECT_EQ(Exchange(listener.port(), Post("/webhooks/other", "{}")).status, 200);
  EXPECT_EQ(specific.count(), 1u);
  EXPECT_EQ(general.count(), 1u);
}

TEST(HttpListenerTest, NothingElseIsServed) {
  HttpListener listener(LocalOptions(), nullptr);
  Seen seen;
  listener.HandlePost(kPrefix, seen.Handler({200, "application/json", "{}"}));

  Response response = Exchange(listener.port(), Get("/"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, R"({"error":"not found"})");
  EXPECT_EQ(Exchange(listener.port(), Post("/webhooks/other/x", "{}")).status, 404);
  EXPECT_EQ(Exchange(listener.port(), Get("/metrics")).status, 404);
  EXPECT_EQ(Exchange(listener.port(), Get("/healthz/../etc/passwd")).status, 404);

  response = Exchange(listener.port(), Get("/webhooks/test/x"));
  EXPECT_EQ(response.status, 405);
  EXPECT_THAT(response.head, HasSubstr("Allow: POST"));
  response = Exchange(listener.port(), Post("/healthz", "{}"));
  EXPECT_EQ(response.status, 405);
  EXPECT_THAT(response.head, HasSubstr("Allow: GET"));
  EXPECT_EQ(seen.count(), 0u);
}

TEST(HttpListenerTest, BodiesOverTheLimitAreRefused) {
  HttpListenerOptions options = LocalOptions();
  options.max_body_bytes = 64;
  HttpListener listener(options, nullptr);
  Seen seen;
  listener.HandlePost(kPrefix, seen.Handler({200, "application/json", "{}"}));

  // At the limit: accepted.
  EXPECT_EQ(Exchange(listener.port(), Post("/webhooks/test/x", std::string(64, 'a'))).status, 200);
  EXPECT_EQ(seen.count(), 1u);

  // Content-Length over the limit: refused from the headers alone, the connection closed.
  Response response = Exchange(listener.port(), Post("/webhooks/test/x", std::string(100000, 'b')));
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.body, R"({"error":"body too large"})");
  EXPECT_THAT(response.head, HasSubstr("Connection: close"));

  // A declared length never sent in full: still refused at once, no waiting for the bytes.
  response = Exchange(listener.port(),
                      "POST /webhooks/test/x HTTP/1.1\r\nHost: localhost\r\n"
                      "Content-Length: 10000000000\r\n\r\nsome");
  EXPECT_EQ(response.status, 413);

  // A chunked body that grows past the limit.
  const std::string chunk(40, 'c');
  std::string chunked =
      "POST /webhooks/test/x HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) absl::StrAppend(&chunked, "28\r\n", chunk, "\r\n");
  absl::StrAppend(&chunked, "0\r\n\r\n");
  response = Exchange(listener.port(), chunked);
  EXPECT_EQ(response.status, 413);

  // "Expect: 100-continue" with too large a body: the refusal comes before any body is sent.
  response = Exchange(listener.port(),
                      "POST /webhooks/test/x HTTP/1.1\r\nHost: localhost\r\n"
                      "Expect: 100-continue\r\nContent-Length: 1000\r\n\r\n");
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(seen.count(), 1u);
}

TEST(HttpListenerTest, ChunkedAndLengthlessBodies) {
  HttpListener listener(LocalOptions(), nullptr);
  Seen seen;
  listener.HandlePost(kPrefix, seen.Handler({200, "application/json", "{}"}));

  const Response response =
      Exchange(listener.port(),
               "POST /webhooks/test/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
               "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  EXPECT_EQ(response.status, 200);
  ASSERT_EQ(seen.count(), 1u);
  EXPECT_EQ(seen.last().body, "hello world");

  // No Content-Length and not chunked: no body, and no waiting for one.
  EXPECT_EQ(
      Exchange(listener.port(),
               "POST /webhooks/test/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .status,
      200);
  ASSERT_EQ(seen.count(), 2u);
  EXPECT_EQ(seen.last().body, "");
}

TEST(HttpListenerTest, ExpectContinueAsksForTheBody) {
  HttpListener listener(LocalOptions(), nullptr);
  Seen seen;
  listener.HandlePost(kPrefix, seen.Handler({200, "application/json", "{}"}));

  const int fd = Connect(listener.port());
  ASSERT_GE(fd, 0);
  SendAll(fd,
          "POST /webhooks/test/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
          "Expect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  char buf[256];
  const ssize_t n = recv(fd, buf, sizeof(buf), 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), "HTTP/1.1 100 Continue\r\n\r\n");
  SendAll(fd, "hello");
  EXPECT_EQ(Parse(ReadToEnd(fd)).status, 200);
  close(fd);
  ASSERT_EQ(seen.count(), 1u);
  EXPECT_EQ(seen.last().body, "hello");

  // A request answered from its headers alone: a 100 may come first, the answer is the same.
  const Response response = Exchange(listener.port(),
                                     "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: "
                                     "close\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"status":"SERVING"})");
}

TEST(HttpListenerTest, EncodedOrAmbiguousBodiesAreRefused) {
  HttpListener listener(LocalOptions(), nullptr);
  Seen seen;
  listener.HandlePost(kPrefix, seen.Handler({200, "application/json", "{}"}));
  EXPECT_EQ(
      Exchange(listener.port(), Post("/webhooks/test/x", "x", "Content-Encoding: gzip\r\n")).status,
      415);
  EXPECT_EQ(Exchange(listener.port(),
                     "POST /webhooks/test/x HTTP/1.1\r\nHost: localhost\r\n"
                     "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n")
                .status,
            400);
  EXPECT_EQ(Exchange(listener.port(),
                     "POST /webhooks/test/x HTTP/1.1\r\nHost: localhost\r\n"
                     "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")
                .status,
            400);
  EXPECT_EQ(seen.count(), 0u);
}

TEST(HttpListenerTest, KeepAliveServesSeveralRequests) {
  HttpListener listener(LocalOptions(), nullptr);
  Seen seen;
  listener.HandlePost(kPrefix, seen.Handler({200, "application/json", R"({"n":1})"}));

  const int fd = Connect(listener.port());
  ASSERT_GE(fd, 0);
  const std::string keep_alive =
      "POST /webhooks/test/a HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}";
  SendAll(fd, keep_alive);
  // The first reply, read up to the end of its body (Content-Length: 7).
  std::string first;
  char buf[1024];
  while (first.find(R"({"n":1})") == std::string::npos) {
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    ASSERT_GT(n, 0);
    first.append(buf, static_cast<size_t>(n));
  }
  EXPECT_EQ(Parse(first).status, 200);
  SendAll(fd, Post("/webhooks/test/b", "{}"));
  EXPECT_EQ(Parse(ReadToEnd(fd)).status, 200);
  close(fd);
  EXPECT_EQ(seen.count(), 2u);
}

TEST(HttpListenerTest, AThrowingHandlerGivesA500WithoutDetails) {
  HttpListener listener(LocalOptions(), nullptr);
  listener.HandlePost(
      kPrefix, [](const HttpInbound&) -> HttpReply { throw std::runtime_error("secret detail"); });
  const Response response = Exchange(listener.port(), Post("/webhooks/test/x", "{}"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body, R"({"error":"internal error"})");
  EXPECT_THAT(response.head + response.body, Not(HasSubstr("secret")));
}

TEST(HttpListenerTest, StartingFailsClearly) {
  HttpListener first(LocalOptions(), nullptr);
  HttpListenerOptions taken = LocalOptions();
  taken.listen = absl::StrCat("127.0.0.1:", first.port());
  try {
    HttpListener second(taken, nullptr);
    ADD_FAILURE() << "a second listener bound a taken port";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("already in use"));
  }

  for (const char* listen : {"8080", "127.0.0.1", "127.0.0.1:99999", "::1:8080", ":8080"}) {
    HttpListenerOptions options = LocalOptions();
    options.listen = listen;
    EXPECT_THROW(HttpListener(options, nullptr), std::runtime_error) << listen;
  }
}

// A temporary folder holding a self-signed certificate and its key, made by the openssl tool.
class TlsFiles {
 public:
  TlsFiles() {
    std::string pattern = (std::filesystem::temp_directory_path() / "http_listener_XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) return;
    dir_ = pattern;
    const std::string command = absl::StrCat(
        "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 -keyout '", key(),
        "' -out '", cert(), "' >/dev/null 2>&1");
    ok_ = std::system(command.c_str()) == 0;
  }
  ~TlsFiles() {
    if (dir_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TlsFiles(const TlsFiles&) = delete;
  TlsFiles& operator=(const TlsFiles&) = delete;

  bool ok() const { return ok_; }
  std::string dir() const { return dir_; }
  std::string cert() const { return dir_ + "/cert.pem"; }
  std::string key() const { return dir_ + "/key.pem"; }

 private:
  std::string dir_;
  bool ok_ = false;
};

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

// One request over TLS, the server's certificate not verified (it is self-signed). The status
// is 0 when the handshake fails.
Response ExchangeTls(int port, const std::string& request) {
  std::unique_ptr<SSL_CTX, SslCtxDeleter> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return {};
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  const int fd = Connect(port);
  if (fd < 0) return {};
  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), fd);
  std::string raw;
  if (SSL_connect(ssl.get()) == 1 &&
      SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) > 0) {
    char buf[4096];
    for (;;) {
      const int n = SSL_read(ssl.get(), buf, sizeof(buf));
      if (n <= 0) break;
      raw.append(buf, static_cast<size_t>(n));
    }
  }
  ssl.reset();
  close(fd);
  return Parse(raw);
}

TEST(HttpListenerTest, TlsServesHttpsOnly) {
  TlsFiles files;
  ASSERT_TRUE(files.ok()) << "the openssl tool could not make a certificate";
  HttpListenerOptions options = LocalOptions();
  options.tls_cert_file = files.cert();
  options.tls_key_file = files.key();
  HttpListener listener(options, nullptr);
  Seen seen;
  listener.HandlePost(kPrefix, seen.Handler({200, "application/json", R"({"tls":true})"}));

  Response response = ExchangeTls(listener.port(), Post("/webhooks/test/x", "{\"a\":1}"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"tls":true})");
  ASSERT_EQ(seen.count(), 1u);
  EXPECT_EQ(seen.last().body, "{\"a\":1}");
  EXPECT_EQ(ExchangeTls(listener.port(), Get("/healthz")).status, 200);

  // Plain HTTP to the TLS port gets no HTTP answer.
  response = Exchange(listener.port(), Get("/healthz"));
  EXPECT_EQ(response.status, 0);
}

TEST(HttpListenerTest, BadTlsFilesFailClearly) {
  TlsFiles files;
  ASSERT_TRUE(files.ok()) << "the openssl tool could not make a certificate";
  TlsFiles other;
  ASSERT_TRUE(other.ok());

  HttpListenerOptions options = LocalOptions();
  options.tls_cert_file = files.dir() + "/missing.pem";
  options.tls_key_file = files.key();
  try {
    HttpListener listener(options, nullptr);
    ADD_FAILURE() << "started without a certificate";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("missing.pem"));
  }

  options.tls_cert_file = files.cert();
  options.tls_key_file = other.key();
  try {
    HttpListener listener(options, nullptr);
    ADD_FAILURE() << "started with a key that is not the certificate's";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("does not match"));
  }

  options.tls_key_file = "";
  EXPECT_THROW(HttpListener(options, nullptr), std::runtime_error);
}

}  // namespace
}  // namespace returns::http
