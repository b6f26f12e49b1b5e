#include "http/http_listener.h"

// The packaged server library is built with these three, and its header declares classes whose
// layout depends on them (a request holds an SSL pointer only with OpenSSL support): this file
// must see the same set whether or not the build passes them.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#ifndef CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT
#endif
#ifndef CPPHTTPLIB_BROTLI_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT
#endif

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <thread>

#include <httplib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/log.h"

// Everything that needs no body is decided before any of it is read (Screen): the health path,
// unknown paths and methods, and bodies refused by their headers. Only a POST to a registered
// prefix reads its body, through the library's content reader, counted against the limit as it
// arrives: the library's own reading would skip through an oversized Content-Length to its end,
// and would not bound a chunked body at all.
//
// A reply sent while request body bytes are still unread must end the connection, or those bytes
// would be parsed as the next request. The library has no call for that; a reply whose content
// provider reports failure after writing everything does it (CloseAfter).
namespace returns::http {
namespace {

constexpr absl::string_view kHealthPath = "/healthz";
// How long an idle keep-alive connection keeps its thread; also how long stopping may wait.
constexpr time_t kKeepAliveIdleSeconds = 2;
constexpr size_t kKeepAliveMaxRequests = 100;
constexpr int kDefaultTimeoutMs = 10000;

// The library adds these to every request's headers; they are not the client's.
bool IsInjectedHeader(absl::string_view name) {
  return absl::EqualsIgnoreCase(name, "REMOTE_ADDR") ||
         absl::EqualsIgnoreCase(name, "REMOTE_PORT") ||
         absl::EqualsIgnoreCase(name, "LOCAL_ADDR") || absl::EqualsIgnoreCase(name, "LOCAL_PORT");
}

std::string ErrorJson(absl::string_view message) {
  return absl::StrCat("{\"error\":\"", message, "\"}");
}

void Reply(httplib::Response& res, int status, const std::string& body,
           const std::string& content_type) {
  res.status = status;
  res.set_content(body, content_type);
}

// Replies, then ends the connection: see the note at the top.
void CloseAfter(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_header("Connection", "close");
  auto shared = std::make_shared<const std::string>(std::move(body));
  res.set_content_provider(
      shared->size(), "application/json",
      [shared](size_t offset, size_t length, httplib::DataSink& sink) {
        sink.write(shared->data() + offset, length);
        return false;  // the library then closes the connection, the reply written in full
      });
}

// For the error replies the library makes itself, before this file's code sees the request.
absl::string_view DefaultErrorText(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 414:
      return "uri too long";
    case 416:
      return "range not satisfiable";
    default:
      return status < 500 ? "request refused" : "internal error";
  }
}

bool IsChunked(const httplib::Request& req) {
  return absl::EqualsIgnoreCase(req.get_header_value("Transfer-Encoding"), "chunked");
}

// Whether body bytes may follow the headers (and stay unread unless the body is read).
bool MayHaveBody(const httplib::Request& req) {
  if (req.has_header("Transfer-Encoding")) return true;
  if (!req.has_header("Content-Length")) return false;
  return req.get_header_value("Content-Length") != "0";
}

// The declared Content-Length: false when it is malformed or given twice with different values.
bool DeclaredLength(const httplib::Request& req, uint64_t& length) {
  const std::string first = req.get_header_value("Content-Length");
  const size_t count = req.get_header_value_count("Content-Length");
  for (size_t i = 1; i < count; ++i) {
    if (req.get_header_value("Content-Length", i) != first) return false;
  }
  if (first.empty() || first.size() > 19 ||
      !std::all_of(first.begin(), first.end(), absl::ascii_isdigit)) {
    return false;
  }
  return absl::SimpleAtoi(first, &length);
}

std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  const char* reason = ERR_reason_error_string(code);
  if (reason != nullptr) return reason;
  // "error:80000002:system library::No such file or directory": the part after the codes.
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  const std::string full = text;
  const size_t colon = full.rfind(':');
  return colon == std::string::npos || colon + 1 == full.size() ? full : full.substr(colon + 1);
}

struct HostPort {
  std::string host;
  int port = 0;
};

HostPort ParseListen(const std::string& listen) {
  const auto bad = [&listen](absl::string_view why) {
    return std::runtime_error(absl::StrCat("http listener: the listen address must be HOST:PORT (",
                                           why, "), got \"", listen, "\""));
  };
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) throw bad("no port");
  HostPort result;
  result.host = listen.substr(0, colon);
  const std::string port_text = listen.substr(colon + 1);
  if (result.host.size() >= 2 && result.host.front() == '[' && result.host.back() == ']') {
    result.host = result.host.substr(1, result.host.size() - 2);  // an IPv6 literal
  } else if (result.host.find(':') != std::string::npos) {
    throw bad("an IPv6 address goes in brackets, as [::1]:8080");
  }
  if (result.host.empty()) throw bad("no host; 0.0.0.0 or [::] for every address");
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(port_text, &result.port) || result.port > 65535) {
    throw bad("the port is a number from 0 to 65535");
  }
  return result;
}

}  // namespace

std::string HttpInbound::Header(absl::string_view lowercase) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase) return value;
  }
  return "";
}

struct HttpListener::Impl {
  struct Route {
    std::string prefix;
    std::shared_ptr<const HttpHandler> handler;
  };

  HttpListenerOptions options;
  std::function<bool()> healthy;
  std::unique_ptr<httplib::Server> server;
  int port = 0;
  std::thread thread;
  std::atomic<bool> serving_done{false};

  absl::Mutex mu;
  std::vector<Route> routes ABSL_GUARDED_BY(mu);  // longest prefix first

  Route FindRoute(absl::string_view path) {
    absl::MutexLock lock(&mu);
    for (const Route& route : routes) {
      if (absl::StartsWith(path, route.prefix)) return route;
    }
    return {};
  }

  bool IsHealthy() const {
    if (!healthy) return true;
    try {
      return healthy();
    } catch (...) {
      return false;
    }
  }

  enum class Verdict { kAnswered, kReadBody };

  // Answers every request that needs no body; kReadBody for a POST whose body is to be read.
  Verdict Screen(const httplib::Request& req, httplib::Response& res) {
    const bool close = MayHaveBody(req);
    const auto answer = [&](int status, std::string body) {
      if (close) {
        CloseAfter(res, status, std::move(body));
      } else {
        Reply(res, status, body, "application/json");
      }
      return Verdict::kAnswered;
    };

    if (req.path == kHealthPath) {
      if (req.method != "GET") {
        res.set_header("Allow", "GET");
        return answer(405, ErrorJson("method not allowed"));
      }
      if (IsHealthy()) return answer(200, "{\"status\":\"SERVING\"}");
      return answer(503, "{\"status\":\"NOT_SERVING\"}");
    }
    if (FindRoute(req.path).handler == nullptr) return answer(404, ErrorJson("not found"));
    if (req.method != "POST") {
      res.set_header("Allow", "POST");
      return answer(405, ErrorJson("method not allowed"));
    }

    // A signature covers the body as sent: it is passed on exactly so, never decoded here.
    const std::string encoding = req.get_header_value("Content-Encoding");
    if (!encoding.empty() && !absl::EqualsIgnoreCase(encoding, "identity")) {
      return answer(415, ErrorJson("unsupported content encoding"));
    }
    if (req.has_header("Transfer-Encoding")) {
      if (!IsChunked(req)) return answer(501, ErrorJson("unsupported transfer encoding"));
      // Both framings at once is how requests are smuggled past a proxy.
      if (req.has_header("Content-Length")) return answer(400, ErrorJson("ambiguous body length"));
      return Verdict::kReadBody;
    }
    if (req.has_header("Content-Length")) {
      uint64_t length = 0;
      if (!DeclaredLength(req, length)) return answer(400, ErrorJson("bad content length"));
      if (length > options.max_body_bytes) return answer(413, ErrorJson("body too large"));
    }
    return Verdict::kReadBody;
  }

  // A POST that passed Screen: reads the body within the limits, then calls the handler.
  void ReadAndHandle(const httplib::Request& req, httplib::Response& res,
                     const httplib::ContentReader& read) {
    const bool has_body = MayHaveBody(req);
    const Route route = FindRoute(req.path);
    if (route.handler == nullptr) {  // only if the routes changed since Screen
      CloseAfter(res, 404, ErrorJson("not found"));
      return;
    }

    HttpInbound in;
    in.method = req.method;
    in.path = req.path;
    const size_t question = req.target.find('?');
    if (question != std::string::npos) in.query = req.target.substr(question + 1);
    for (const auto& [name, value] : req.headers) {
      if (!IsInjectedHeader(name)) in.headers.emplace_back(absl::AsciiStrToLower(name), value);
    }
    in.remote_address = req.remote_addr;

    // Without Content-Length or chunking a request has no body (RFC 9112, 6.3): reading one
    // would wait for the client to close the connection.
    if (has_body) {
      const size_t max = options.max_body_bytes;
      const auto deadline =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(options.request_timeout_ms);
      bool too_large = false;
      bool too_slow = false;
      const bool complete = read([&](const char* data, size_t length) {
        if (length > max - in.body.size()) {
          too_large = true;
          return false;
        }
        if (std::chrono::steady_clock::now() > deadline) {
          too_slow = true;
          return false;
        }
        in.body.append(data, length);
        return true;
      });
      if (!complete) {
        if (too_large) {
          CloseAfter(res, 413, ErrorJson("body too large"));
        } else if (too_slow) {
          CloseAfter(res, 408, ErrorJson("body too slow"));
        } else {
          CloseAfter(res, 400, ErrorJson("incomplete body"));
        }
        return;
      }
    }

    HttpReply reply;
    try {
      reply = (*route.handler)(in);
    } catch (const std::exception& e) {
      // The prefix, never the path: a path may end in a token.
      log::Error("http handler failed", {{"prefix", route.prefix}, {"error", e.what()}});
      Reply(res, 500, ErrorJson("internal error"), "application/json");
      return;
    } catch (...) {
      log::Error("http handler failed", {{"prefix", route.prefix}});
      Reply(res, 500, ErrorJson("internal error"), "application/json");
      return;
    }
    if (reply.status < 200 || reply.status > 599) {
      log::Error("http handler gave an invalid status",
                 {{"prefix", route.prefix}, {"status", reply.status}});
      Reply(res, 500, ErrorJson("internal error"), "application/json");
      return;
    }
    Reply(res, reply.status, reply.body, reply.content_type);
  }

  // Sets up TLS on the library's SSL_CTX; on failure leaves the reason in `error`.
  bool SetUpTls(SSL_CTX& ctx, std::string& error) const {
    ERR_clear_error();
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(
        &ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    // An encrypted key would otherwise make OpenSSL ask for a pass phrase on the terminal.
    SSL_CTX_set_default_passwd_cb(&ctx, [](char*, int, int, void*) { return 0; });
    // The key first: a certificate loaded after a key it does not match drops that key, so the
    // check below names the mismatch.
    if (SSL_CTX_use_PrivateKey_file(&ctx, options.tls_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      error = absl::StrCat("cannot load the TLS private key ", options.tls_key_file,
                           " (PEM, unencrypted): ", OpenSslError());
      return false;
    }
    if (SSL_CTX_use_certificate_chain_file(&ctx, options.tls_cert_file.c_str()) != 1) {
      error = absl::StrCat("cannot load the TLS certificate chain ", options.tls_cert_file, ": ",
                           OpenSslError());
      return false;
    }
    if (SSL_CTX_check_private_key(&ctx) != 1) {
      error = absl::StrCat("the TLS private key ", options.tls_key_file,
                           " does not match the certificate ", options.tls_cert_file);
      ERR_clear_error();
      return false;
    }
    return true;
  }
};

HttpListener::HttpListener(const HttpListenerOptions& options, std::function<bool()> healthy)
    : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.options = options;
  impl.healthy = std::move(healthy);
  if (impl.options.threads < 1) impl.options.threads = 1;
  if (impl.options.request_timeout_ms <= 0) impl.options.request_timeout_ms = kDefaultTimeoutMs;
  const HostPort address = ParseListen(options.listen);

  const bool tls = !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  if (tls) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
      throw std::runtime_error("http listener: TLS needs both a certificate and a key file");
    }
    std::string error;
    auto server = std::make_unique<httplib::SSLServer>(
        [&impl, &error](SSL_CTX& ctx) { return impl.SetUpTls(ctx, error); });
    if (!server->is_valid()) {
      throw std::runtime_error(
          absl::StrCat("http listener: ", error.empty() ? "cannot create the TLS context" : error));
    }
    impl.server = std::move(server);
  } else {
    impl.server = std::make_unique<httplib::Server>();
  }

  httplib::Server& server = *impl.server;
  const size_t threads = static_cast<size_t>(impl.options.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  const int timeout_ms = impl.options.request_timeout_ms;
  server.set_read_timeout(timeout_ms / 1000, (timeout_ms % 1000) * 1000);
  server.set_write_timeout(timeout_ms / 1000, (timeout_ms % 1000) * 1000);
  server.set_keep_alive_timeout(kKeepAliveIdleSeconds);
  server.set_keep_alive_max_count(kKeepAliveMaxRequests);
  server.set_payload_max_length(impl.options.max_body_bytes);
  server.set_tcp_nodelay(true);
  // The library's default sets SO_REUSEPORT, which would let a second process bind the same
  // port and share its traffic: a taken port must fail instead.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  server.set_pre_routing_handler([&impl](const httplib::Request& req, httplib::Response& res) {
    return impl.Screen(req, res) == Impl::Verdict::kAnswered
               ? httplib::Server::HandlerResponse::Handled
               : httplib::Server::HandlerResponse::Unhandled;
  });
  // Every POST that Screen lets through lands here ([\s\S] also matches a decoded newline).
  server.Post(R"([\s\S]*)", httplib::Server::HandlerWithContentReader(
                                [&impl](const httplib::Request& req, httplib::Response& res,
                                        const httplib::ContentReader& read) {
                                  impl.ReadAndHandle(req, res, read);
                                }));
  // "Expect: 100-continue": the client sends the body only once told to; a refusal is the final
  // reply, so the body is never sent.
  server.set_expect_100_continue_handler(
      [&impl](const httplib::Request& req, httplib::Response& res) {
        // Tried on a scratch reply first: routing screens the request again once told 100.
        httplib::Response scratch;
        if (impl.Screen(req, scratch) == Impl::Verdict::kReadBody || scratch.status < 400) {
          return 100;
        }
        impl.Screen(req, res);
        return res.status;
      });
  // The library's own refusals (a malformed request line, a bad Range) come without a body.
  // Handled also for ours, so that the library sets Content-Length on every error reply.
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.has_header("Content-Type")) {
          res.set_content(ErrorJson(DefaultErrorText(res.status)), "application/json");
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  // The library adds "Keep-Alive" to every reply unless it closes the connection itself.
  server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.get_header_value("Connection") == "close") res.headers.erase("Keep-Alive");
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
        log::Error("http listener failed on a request");
        CloseAfter(res, 500, ErrorJson("internal error"));
      });

  std::signal(SIGPIPE, SIG_IGN);

  errno = 0;
  impl.port = address.port == 0
                  ? server.bind_to_any_port(address.host)
                  : (server.bind_to_port(address.host, address.port) ? address.port : -1);
  if (impl.port <= 0) {
    const int bind_errno = errno;
    std::string why = "cannot resolve the host or bind to it";
    if (bind_errno == EADDRINUSE) why = "the address is already in use";
    if (bind_errno == EADDRNOTAVAIL) why = "not an address of this host";
    if (bind_errno == EACCES) why = "permission denied";
    throw std::runtime_error(
        absl::StrCat("http listener: cannot listen on ", options.listen, ": ", why));
  }

  impl.thread = std::thread([&impl] {
    impl.server->listen_after_bind();
    impl.serving_done = true;
  });
  // stop() does nothing until the accept loop runs: wait for it, so the destructor can stop it.
  while (!server.is_running() && !impl.serving_done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

HttpListener::~HttpListener() {
  // Closing the listening socket ends the accept loop; the library then joins its threads, each
  // finishing the request it is on.
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void HttpListener::HandlePost(const std::string& prefix, HttpHandler handler) {
  if (prefix.empty() || prefix.front() != '/') {
    throw std::invalid_argument("http listener: a route prefix starts with '/'");
  }
  auto shared = std::make_shared<const HttpHandler>(std::move(handler));
  absl::MutexLock lock(&impl_->mu);
  auto& routes = impl_->routes;
  auto same = std::find_if(routes.begin(), routes.end(),
                           [&prefix](const Impl::Route& route) { return route.prefix == prefix; });
  if (same != routes.end()) {
    same->handler = std::move(shared);
    return;
  }
  routes.push_back({prefix, std::move(shared)});
  std::stable_sort(routes.begin(), routes.end(), [](const Impl::Route& a, const Impl::Route& b) {
    return a.prefix.size() > b.prefix.size();
  });
}

int HttpListener::port() const { return impl_->port; }

}  // namespace returns::http
