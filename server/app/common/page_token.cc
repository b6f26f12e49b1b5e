#include "app/common/page_token.h"

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "domain/errors.h"

namespace returns::app {
namespace {

constexpr size_t kTagBytes = 16;

std::string Tag(absl::string_view secret, absl::string_view scope, absl::string_view body) {
  return crypto::HmacSha256(secret, absl::StrCat(scope, "\n", body)).substr(0, kTagBytes);
}

absl::Status BadToken() {
  return InvalidField("page_token", "is not a page token of this list; start without one");
}

}  // namespace

absl::StatusOr<int> EffectivePageSize(int requested) {
  if (requested < 0) return InvalidField("page_size", "must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

std::string EncodePageToken(absl::string_view secret, absl::string_view scope,
                            const std::vector<std::string>& position) {
  std::string body = nlohmann::json(position).dump();
  return absl::StrCat(absl::WebSafeBase64Escape(body), ".",
                      absl::WebSafeBase64Escape(Tag(secret, scope, body)));
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view secret,
                                                         absl::string_view scope,
                                                         absl::string_view token) {
  if (token.empty()) return std::vector<std::string>{};
  if (token.size() > 1024) return BadToken();
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::string body, tag;
  if (parts.size() != 2 || !absl::WebSafeBase64Unescape(parts[0], &body) ||
      !absl::WebSafeBase64Unescape(parts[1], &tag)) {
    return BadToken();
  }
  if (!crypto::ConstantTimeEquals(tag, Tag(secret, scope, body))) return BadToken();
  // Only the canonical spelling is a token (no padding, no stray bits): one token per position.
  if (absl::WebSafeBase64Escape(body) != parts[0] || absl::WebSafeBase64Escape(tag) != parts[1]) {
    return BadToken();
  }
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return BadToken();
  std::vector<std::string> position;
  for (const auto& item : parsed) {
    if (!item.is_string()) return BadToken();
    position.push_back(item.get<std::string>());
  }
  return position;
}

absl::StatusOr<TimeIdPosition> DecodeTimeIdPosition(absl::string_view secret,
                                                    absl::string_view scope,
                                                    absl::string_view token, TimeIdPosition first) {
  auto position = DecodePageToken(secret, scope, token);
  if (!position.ok()) return position.status();
  if (position->empty()) return first;
  int64_t unused = 0;
  if (position->size() != 2 || !absl::SimpleAtoi((*position)[0], &unused)) return BadToken();
  return TimeIdPosition{(*position)[0], (*position)[1]};
}

}  // namespace returns::app
