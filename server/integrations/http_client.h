#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

// One outbound HTTP call, for merchants' webhook endpoints and other HTTP APIs. A merchant
// chooses the URL, so every call is checked against a DestinationRule first (an SSRF guard): in
// production only https to public addresses, checked after DNS resolution and again on the
// address actually connected to.
namespace returns::integrations {

// Which destinations a call may reach.
enum class DestinationRule {
  kPublicHttpsOnly,       // the production default: https, and every resolved address public
  kAllowHttpAndLoopback,  // development and tests (--webhook_allow_insecure): http, any address
};

struct HttpLimits {
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration total_timeout = absl::Seconds(15);
  size_t max_response_bytes = 64 * 1024;  // the body kept; reading stops past it
};

struct HttpRequest {
  std::string method = "POST";  // "GET", "POST", "DELETE", "PUT" or "PATCH"
  std::string url;
  // Sent as given; no name or value may contain CR or LF.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string basic_auth_user;  // when set: HTTP basic auth with this user and an empty password
};

struct HttpResponse {
  int status = 0;
  std::string body;             // at most max_response_bytes
  bool body_truncated = false;  // the server sent more than max_response_bytes
  // The final response's headers (not those of a 100 Continue): names lowercased, values trimmed.
  std::vector<std::pair<std::string, std::string>> headers;

  // The first value of a header, "" when absent.
  std::string Header(absl::string_view lowercase_name) const;
};

// Checks a URL without connecting: an absolute http(s) URL with an ASCII host, no user info
// ("user:pw@"), no fragment, a scheme the rule allows, and under kPublicHttpsOnly a literal IP
// host that is public and no IPv6 zone id. InvalidArgument with a short message otherwise.
absl::Status CheckDestinationUrl(absl::string_view url, DestinationRule rule);

// True for a public unicast address given as text (IPv4 dotted quad or IPv6). False for the
// special-purpose IPv4 ranges (0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24,
// 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4, 240/4).
// IPv6 is public only inside global unicast 2000::/3, minus 2001::/23 (which holds 2001:db8::/32
// too); ::ffff:0:0/96 (mapped), 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) are judged by the IPv4
// address they embed. False for text that is not an address (including one with a zone id).
bool IsPublicAddress(absl::string_view ip);

// Sends one request. Redirects are never followed (a 3xx is a response like any other), proxies
// from the environment are ignored, TLS is verified. Any HTTP answer, whatever its status, is a
// response; a body longer than max_response_bytes is cut there (body_truncated). Errors, only
// when there is no complete answer:
//   InvalidArgument: the URL fails CheckDestinationUrl, or the method or a header is malformed;
//   PermissionDenied: the host resolves to an address the rule refuses (the message names the
//     host, not the addresses);
//   DeadlineExceeded: the connect or total timeout passed;
//   Unavailable: DNS failure, connection refused, TLS failure, a reset, anything else (the
//     message is curl's short error text, never the URL).
// Under kPublicHttpsOnly the host is resolved first and every address checked; the connection
// is then pinned to those addresses, so a second DNS answer cannot point elsewhere (DNS
// rebinding). The resolution is not bounded by the limits but by the system resolver's own
// timeouts. Thread-safe; blocks the calling thread.
absl::StatusOr<HttpResponse> SendHttp(const HttpRequest& request, const HttpLimits& limits,
                                      DestinationRule rule);

}  // namespace returns::integrations
