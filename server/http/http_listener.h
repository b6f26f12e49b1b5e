#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

// returnsd's HTTP listener for inbound webhooks (--http_listen HOST:PORT): carriers post their
// tracking events to it. It serves only what is registered here: GET /healthz and POST to the
// prefixes given to HandlePost. No files, no other methods, no access log. With TLS files it
// speaks https only, with the same PEM certificate chain and key files as the gRPC listener.
//
// The HTTP server library underneath is the system's packaged one, built with OpenSSL 3.
// civetweb (which the metrics endpoint uses) cannot serve TLS here: the packaged build loads
// OpenSSL 1.1 functions by name at run time, and OpenSSL 3 lacks one of them.
namespace returns::http {

struct HttpInbound {
  std::string method;
  std::string path;   // percent-decoded, without the query
  std::string query;  // as sent, after '?', without it; "" when none
  // Sorted by name (case-insensitively); names lowercased, values as sent.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;  // the peer's IP address

  // The first value of a header, "" when absent.
  std::string Header(absl::string_view lowercase) const;
};

struct HttpReply {
  int status = 200;  // 200..599; anything else becomes 500
  std::string content_type = "application/json";
  std::string body;
};

using HttpHandler = std::function<HttpReply(const HttpInbound&)>;

struct HttpListenerOptions {
  std::string listen;         // "127.0.0.1:8080", "[::]:8080" (host:port; port 0: any free port)
  std::string tls_cert_file;  // PEM certificate chain; with tls_key_file, serve https only
  std::string tls_key_file;   // PEM private key, unencrypted
  // A body larger than this is refused with 413: at once when Content-Length says so, without
  // reading it; as soon as it passes the limit when chunked.
  size_t max_body_bytes = 1 << 20;
  // Connections served at once (an idle keep-alive connection holds one for up to 2 s); more
  // wait their turn.
  // Enough that a few slow clients holding connections do not starve the carriers' posts (the
  // library has no per-request deadline beyond the read timeout; docs/operations.md).
  int threads = 32;
  // Bounds each read and write on a connection (the TLS handshake too), and the body as a whole.
  int request_timeout_ms = 10000;
};

class HttpListener {
 public:
  // Starts serving; throws std::runtime_error with a clear message when it cannot (a malformed
  // address, the address taken, TLS files missing or not matching).
  // `healthy` answers GET /healthz (200 while true, 503 otherwise); empty means always healthy.
  // Sets SIGPIPE to be ignored, process-wide: a peer gone mid-reply must not end the process.
  HttpListener(const HttpListenerOptions& options, std::function<bool()> healthy);
  ~HttpListener();  // stops accepting and waits for requests in flight

  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Routes POST requests whose path starts with `prefix` ("/webhooks/carrier/") to `handler`;
  // the longest matching prefix wins, a second call with the same prefix replaces the handler.
  // Call before traffic matters. Handlers run on the listener's threads, several at once; an
  // exception from one becomes a 500 without details.
  void HandlePost(const std::string& prefix, HttpHandler handler);

  int port() const;  // the bound port

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace returns::http
