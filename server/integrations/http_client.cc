#include "integrations/http_client.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

// The destination is checked three times, each closing a gap the one before leaves open:
// the URL (scheme, user info, literal IP host), the addresses its host resolves to, and the
// address each socket is about to connect to (an opensocket callback). The last one holds even
// if curl's resolution did not take the pinned addresses, so no path reaches a private address
// under kPublicHttpsOnly.
//
// The URL is parsed once, by curl's own parser, and that parsed handle is what curl sends: a
// second parser could read a crafted URL differently from the one that checked it.
namespace returns::integrations {
namespace {

struct CurlEasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

struct CurlListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlList = std::unique_ptr<curl_slist, CurlListDeleter>;

struct AddrinfoDeleter {
  void operator()(addrinfo* info) const { freeaddrinfo(info); }
};

// curl_global_init is not thread-safe and must run once before any other curl call.
CURLcode GlobalInit() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

// Appends a line; false when out of memory (the list is then unchanged).
bool Append(CurlList& list, const std::string& line) {
  curl_slist* head = curl_slist_append(list.get(), line.c_str());
  if (head == nullptr) return false;
  // A non-empty list keeps its head; only the first append creates one.
  if (!list) list.reset(head);
  return true;
}

std::optional<std::string> UrlPart(CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, flags) != CURLUE_OK || text == nullptr) return std::nullopt;
  std::string copy(text);
  curl_free(text);
  return copy;
}

bool IsPublicIpv4(const std::array<uint8_t, 4>& a) {
  const uint32_t ip =
      (uint32_t{a[0]} << 24) | (uint32_t{a[1]} << 16) | (uint32_t{a[2]} << 8) | uint32_t{a[3]};
  struct Range {
    uint32_t base;
    int prefix;
  };
  // RFC 6890 special-purpose blocks, plus multicast and the reserved 240/4 (which holds the
  // limited broadcast address).
  static constexpr Range kNonPublic[] = {
      {0x00000000, 8},   // 0.0.0.0/8 "this network"
      {0x0A000000, 8},   // 10/8 private
      {0x64400000, 10},  // 100.64/10 carrier-grade NAT
      {0x7F000000, 8},   // 127/8 loopback
      {0xA9FE0000, 16},  // 169.254/16 link-local (cloud metadata services live here)
      {0xAC100000, 12},  // 172.16/12 private
      {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments
      {0xC0000200, 24},  // 192.0.2/24 documentation
      {0xC0586300, 24},  // 192.88.99/24 6to4 relay anycast
      {0xC0A80000, 16},  // 192.168/16 private
      {0xC6120000, 15},  // 198.18/15 benchmarking
      {0xC6336400, 24},  // 198.51.100/24 documentation
      {0xCB007100, 24},  // 203.0.113/24 documentation
      {0xE0000000, 4},   // 224/4 multicast
      {0xF0000000, 4},   // 240/4 reserved, and 255.255.255.255
  };
  for (const Range& range : kNonPublic) {
    const uint32_t mask = ~uint32_t{0} << (32 - range.prefix);
    if ((ip & mask) == range.base) return false;
  }
  return true;
}

bool IsPublicIpv6(const std::array<uint8_t, 16>& a) {
  const auto embedded_ipv4 = [&a](int offset) {
    return IsPublicIpv4({a[offset], a[offset + 1], a[offset + 2], a[offset + 3]});
  };
  // ::ffff:0:0/96, IPv4-mapped: a socket connects to the IPv4 address itself.
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.data(), kMapped, sizeof(kMapped)) == 0) return embedded_ipv4(12);
  // 64:ff9b::/96, NAT64: the translator connects to the IPv4 address for us.
  static constexpr uint8_t kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(a.data(), kNat64, sizeof(kNat64)) == 0) return embedded_ipv4(12);
  // 2002::/16, 6to4: the IPv4 address in bits 16..47 is where the packets go.
  if (a[0] == 0x20 && a[1] == 0x02) return embedded_ipv4(2);
  // Everything else outside global unicast 2000::/3 is special: ::, ::1, IPv4-compatible ::/96,
  // 100::/64 discard, fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast, ...
  if ((a[0] & 0xE0) != 0x20) return false;
  // 2001::/23 IETF protocol assignments (Teredo, benchmarking, ORCHID, ...).
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] < 0x02) return false;
  // 2001:db8::/32 documentation.
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return false;
  return true;
}

bool IsPublicSockaddr(const curl_sockaddr& address) {
  sockaddr_storage storage{};
  std::memcpy(&storage, &address.addr,
              std::min<size_t>(address.addrlen, static_cast<size_t>(sizeof(storage))));
  if (address.family == AF_INET && address.addrlen >= sizeof(sockaddr_in)) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&storage);
    std::array<uint8_t, 4> bytes{};
    std::memcpy(bytes.data(), &in->sin_addr, bytes.size());
    return IsPublicIpv4(bytes);
  }
  if (address.family == AF_INET6 && address.addrlen >= sizeof(sockaddr_in6)) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&storage);
    std::array<uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), &in6->sin6_addr, bytes.size());
    return IsPublicIpv6(bytes);
  }
  return false;
}

// A URL that passed CheckDestinationUrl, as curl parsed it.
struct Destination {
  CurlUrl url;
  std::string host;         // lowercase, no trailing dot; an IPv6 literal without brackets
  bool literal_ip = false;  // the host is an address, not a name
  std::string port;         // decimal, the scheme's default when the URL has none
};

absl::StatusOr<Destination> ParseDestination(absl::string_view text, DestinationRule rule) {
  // curl's parser is lenient where a merchant's typo should be an error: it reads "https:///x"
  // as host "x", "http:/host" as "http://host", and drops an empty fragment. So the shape is
  // checked on the text first. A NUL would end the text early for curl.
  const size_t separator = text.find("://");
  if (separator == absl::string_view::npos || separator == 0 ||
      absl::StrContains(text, absl::string_view("\0", 1))) {
    return absl::InvalidArgumentError("URL is not an absolute http(s) URL");
  }
  const std::string scheme = absl::AsciiStrToLower(text.substr(0, separator));
  if (scheme != "http" && scheme != "https") {
    return absl::InvalidArgumentError("URL scheme must be http or https");
  }
  if (scheme == "http" && rule == DestinationRule::kPublicHttpsOnly) {
    return absl::InvalidArgumentError("URL must use https");
  }
  const absl::string_view after_scheme = text.substr(separator + 3);
  if (after_scheme.empty() || after_scheme.front() == '/' || after_scheme.front() == '\\') {
    return absl::InvalidArgumentError("URL has no host");
  }
  if (absl::StrContains(text, '#')) {
    return absl::InvalidArgumentError("URL must not have a fragment");
  }

  if (GlobalInit() != CURLE_OK) return absl::UnavailableError("libcurl failed to initialize");
  Destination destination;
  destination.url.reset(curl_url());
  if (destination.url == nullptr) return absl::ResourceExhaustedError("out of memory");
  const std::string copy(text);
  const CURLUcode parsed = curl_url_set(destination.url.get(), CURLUPART_URL, copy.c_str(), 0);
  if (parsed == CURLUE_NO_HOST) return absl::InvalidArgumentError("URL has no host");
  if (parsed != CURLUE_OK) {
    return absl::InvalidArgumentError(
        absl::StrCat("URL is not valid: ", curl_url_strerror(parsed)));
  }
  CURLU* url = destination.url.get();
  if (UrlPart(url, CURLUPART_USER).has_value() || UrlPart(url, CURLUPART_PASSWORD).has_value()) {
    return absl::InvalidArgumentError("URL must not contain user info");
  }
  if (UrlPart(url, CURLUPART_FRAGMENT).has_value()) {
    return absl::InvalidArgumentError("URL must not have a fragment");
  }
  std::optional<std::string> host = UrlPart(url, CURLUPART_HOST);
  if (!host.has_value() || host->empty()) return absl::InvalidArgumentError("URL has no host");
  for (char c : *host) {
    // An internationalized name would be converted later, by curl, after it was checked.
    if (static_cast<unsigned char>(c) >= 0x80) {
      return absl::InvalidArgumentError("URL host must be ASCII (use the punycode form)");
    }
  }
  if (rule == DestinationRule::kPublicHttpsOnly && UrlPart(url, CURLUPART_ZONEID).has_value()) {
    return absl::InvalidArgumentError("URL host must not have a zone id");
  }
  std::optional<std::string> port = UrlPart(url, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!port.has_value()) return absl::InvalidArgumentError("URL has no port");

  // One spelling of the host everywhere: the pinned address list is looked up by name.
  std::string normalized = absl::AsciiStrToLower(*host);
  if (normalized.size() > 1 && normalized.back() == '.') normalized.pop_back();
  if (normalized != *host &&
      curl_url_set(url, CURLUPART_HOST, normalized.c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError("URL host is not valid");
  }
  if (normalized.size() > 2 && normalized.front() == '[' && normalized.back() == ']') {
    destination.host = normalized.substr(1, normalized.size() - 2);
    destination.literal_ip = true;
  } else {
    destination.host = normalized;
    // curl has already rewritten the other IPv4 spellings (2130706433, 0x7f.1) to dotted quads.
    in_addr ipv4{};
    destination.literal_ip = inet_pton(AF_INET, destination.host.c_str(), &ipv4) == 1;
  }
  if (destination.literal_ip && rule == DestinationRule::kPublicHttpsOnly &&
      !IsPublicAddress(destination.host)) {
    return absl::InvalidArgumentError("URL host is not a public address");
  }
  destination.port = *std::move(port);
  return destination;
}

// Resolves the host and checks every address. The addresses, in curl's CURLOPT_RESOLVE form
// ("1.2.3.4" or "[2001:db8::1]").
absl::StatusOr<std::vector<std::string>> ResolvePublic(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    return absl::UnavailableError(absl::StrCat("Couldn't resolve host name ", host));
  }
  const std::unique_ptr<addrinfo, AddrinfoDeleter> owned(found);
  std::vector<std::string> addresses;
  for (const addrinfo* info = found; info != nullptr; info = info->ai_next) {
    std::array<char, INET6_ADDRSTRLEN> buffer{};
    std::string entry;
    if (info->ai_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(info->ai_addr);
      if (inet_ntop(AF_INET, &in->sin_addr, buffer.data(), buffer.size()) == nullptr) continue;
      entry = buffer.data();
    } else if (info->ai_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(info->ai_addr);
      if (inet_ntop(AF_INET6, &in6->sin6_addr, buffer.data(), buffer.size()) == nullptr) continue;
      entry = absl::StrCat("[", buffer.data(), "]");
    } else {
      continue;
    }
    if (!IsPublicAddress(buffer.data())) {
      return absl::PermissionDeniedError(
          absl::StrCat("host ", host, " resolves to a non-public address"));
    }
    if (std::find(addresses.begin(), addresses.end(), entry) == addresses.end()) {
      addresses.push_back(std::move(entry));
    }
  }
  if (addresses.empty()) {
    return absl::UnavailableError(absl::StrCat("Couldn't resolve host name ", host));
  }
  return addresses;
}

// An RFC 9110 token: what a header name may contain.
bool IsToken(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isalnum(c) && !absl::StrContains("!#$%&'*+-.^_`|~", c)) return false;
  }
  return true;
}

bool HasLineBreakOrNul(absl::string_view text) {
  return text.find_first_of(absl::string_view("\r\n\0", 3)) != absl::string_view::npos;
}

// What the callbacks fill in during one transfer.
struct Transfer {
  HttpResponse response;
  size_t max_body = 0;
  DestinationRule rule = DestinationRule::kPublicHttpsOnly;
  bool refused_address = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  const size_t room = transfer->max_body - transfer->response.body.size();
  if (bytes > room) {
    transfer->response.body.append(data, room);
    transfer->response.body_truncated = true;
    return 0;  // a short count makes curl stop with CURLE_WRITE_ERROR
  }
  transfer->response.body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  const absl::string_view line(data, bytes);
  // Each response (a 100 Continue, then the real one) starts with a status line; keep only the
  // last response's headers.
  if (absl::StartsWith(line, "HTTP/")) {
    transfer->response.headers.clear();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return bytes;  // the blank line ending the headers
  std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(line.substr(0, colon)));
  if (name.empty()) return bytes;
  transfer->response.headers.emplace_back(
      std::move(name), std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  return bytes;
}

// Every socket curl opens passes here, whichever way its address was found.
curl_socket_t OnOpenSocket(void* user, curlsocktype /*purpose*/, curl_sockaddr* address) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->rule == DestinationRule::kPublicHttpsOnly && !IsPublicSockaddr(*address)) {
    transfer->refused_address = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

long Milliseconds(absl::Duration duration) {
  // curl reads 0 as "no timeout"; a zero or negative limit means "expire at once".
  const int64_t ms = absl::ToInt64Milliseconds(duration);
  return static_cast<long>(std::clamp<int64_t>(ms, 1, std::numeric_limits<long>::max()));
}

}  // namespace

std::string HttpResponse::Header(absl::string_view lowercase_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase_name) return value;
  }
  return "";
}

bool IsPublicAddress(absl::string_view ip) {
  const std::string text(ip);
  if (text.find('\0') != std::string::npos) return false;
  std::array<uint8_t, 4> v4{};
  if (inet_pton(AF_INET, text.c_str(), v4.data()) == 1) return IsPublicIpv4(v4);
  std::array<uint8_t, 16> v6{};
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return IsPublicIpv6(v6);
  return false;
}

absl::Status CheckDestinationUrl(absl::string_view url, DestinationRule rule) {
  return ParseDestination(url, rule).status();
}

absl::StatusOr<HttpResponse> SendHttp(const HttpRequest& request, const HttpLimits& limits,
                                      DestinationRule rule) {
  absl::StatusOr<Destination> destination = ParseDestination(request.url, rule);
  if (!destination.ok()) return destination.status();

  const std::string& method = request.method;
  if (method != "GET" && method != "POST" && method != "PUT" && method != "PATCH" &&
      method != "DELETE") {
    return absl::InvalidArgumentError("HTTP method must be GET, POST, PUT, PATCH or DELETE");
  }
  if (method == "GET" && !request.body.empty()) {
    return absl::InvalidArgumentError("a GET request has no body");
  }
  const bool sends_body = method == "POST" || method == "PUT" || method == "PATCH" ||
                          (method == "DELETE" && !request.body.empty());

  CurlList headers;
  bool has_content_type = false;
  bool has_expect = false;
  for (const auto& [name, value] : request.headers) {
    if (!IsToken(name) || HasLineBreakOrNul(value)) {
      return absl::InvalidArgumentError("HTTP header name or value is not valid");
    }
    has_content_type = has_content_type || absl::EqualsIgnoreCase(name, "content-type");
    has_expect = has_expect || absl::EqualsIgnoreCase(name, "expect");
    // "name:" would tell curl to drop the header; "name;" sends it empty.
    const std::string line =
        value.empty() ? absl::StrCat(name, ";") : absl::StrCat(name, ": ", value);
    if (!Append(headers, line)) return absl::ResourceExhaustedError("out of memory");
  }
  // curl would otherwise label a body as a form, and wait a second for a 100 Continue before a
  // large one; an empty value removes its header.
  if (sends_body && !has_content_type && !Append(headers, "Content-Type:")) {
    return absl::ResourceExhaustedError("out of memory");
  }
  if (!has_expect && !Append(headers, "Expect:")) {
    return absl::ResourceExhaustedError("out of memory");
  }

  CurlList resolve;
  if (rule == DestinationRule::kPublicHttpsOnly && !destination->literal_ip) {
    absl::StatusOr<std::vector<std::string>> addresses = ResolvePublic(destination->host);
    if (!addresses.ok()) return addresses.status();
    const std::string entry = absl::StrCat(destination->host, ":", destination->port, ":",
                                           absl::StrJoin(*addresses, ","));
    if (!Append(resolve, entry)) return absl::ResourceExhaustedError("out of memory");
  }

  CurlEasy easy(curl_easy_init());
  if (easy == nullptr) return absl::UnavailableError("libcurl failed to create a handle");
  Transfer transfer;
  transfer.max_body = limits.max_response_bytes;
  transfer.rule = rule;

  // Every option is checked: one that silently failed (the protocol list, the proxy) could
  // weaken the guard.
  CURLcode setup = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (setup == CURLE_OK) setup = curl_easy_setopt(easy.get(), option, value);
  };
  const char* protocols = rule == DestinationRule::kPublicHttpsOnly ? "https" : "http,https";
  set(CURLOPT_CURLU, destination->url.get());
  set(CURLOPT_PROTOCOLS_STR, protocols);
  set(CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_PROXY, "");
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_CONNECTTIMEOUT_MS, Milliseconds(limits.connect_timeout));
  set(CURLOPT_TIMEOUT_MS, Milliseconds(limits.total_timeout));
  set(CURLOPT_OPENSOCKETFUNCTION, &OnOpenSocket);
  set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(&transfer));
  set(CURLOPT_WRITEFUNCTION, &OnBody);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&transfer));
  set(CURLOPT_HEADERFUNCTION, &OnHeader);
  set(CURLOPT_HEADERDATA, static_cast<void*>(&transfer));
  set(CURLOPT_HTTPHEADER, headers.get());
  if (resolve) set(CURLOPT_RESOLVE, resolve.get());
  if (!request.basic_auth_user.empty()) {
    set(CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    set(CURLOPT_USERNAME, request.basic_auth_user.c_str());
    set(CURLOPT_PASSWORD, "");
  }
  if (method == "GET") {
    set(CURLOPT_HTTPGET, 1L);
  } else {
    if (method != "POST") set(CURLOPT_CUSTOMREQUEST, method.c_str());
    if (sends_body) {
      // POSTFIELDS does not copy: the request outlives the transfer.
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      set(CURLOPT_POSTFIELDS, request.body.data());
    }
  }
  if (setup != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("libcurl setup: ", curl_easy_strerror(setup)));
  }

  const CURLcode result = curl_easy_perform(easy.get());
  if (result == CURLE_OK || (result == CURLE_WRITE_ERROR && transfer.response.body_truncated)) {
    long status = 0;
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
    transfer.response.status = static_cast<int>(status);
    return std::move(transfer.response);
  }
  if (transfer.refused_address) {
    return absl::PermissionDeniedError(
        absl::StrCat("host ", destination->host, " resolves to a non-public address"));
  }
  if (result == CURLE_OPERATION_TIMEDOUT) {
    return absl::DeadlineExceededError(curl_easy_strerror(result));
  }
  return absl::UnavailableError(curl_easy_strerror(result));
}

}  // namespace returns::integrations
