#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/status/statusor.h"

// Opaque, signed page tokens (AIP-158). A token carries the position after the last item of a
// page and the scope it was made for (merchant, method and filters), with an HMAC-SHA256 tag, so
// clients can neither forge a position nor reuse a token with other filters or another merchant.
namespace returns::app {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;

// 0 -> the default; above the maximum -> the maximum; negative -> INVALID_ARGUMENT page_size.
absl::StatusOr<int> EffectivePageSize(int requested);

std::string EncodePageToken(absl::string_view secret, absl::string_view scope,
                            const std::vector<std::string>& position);

// The position stored in `token`, or INVALID_ARGUMENT naming page_token when the token is
// malformed, tampered with, or made for another scope. An empty token is the first page: {}.
absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view secret,
                                                         absl::string_view scope,
                                                         absl::string_view token);

// The position of lists ordered by (time in microseconds, id): the last item of the page shown.
struct TimeIdPosition {
  std::string time_us;
  std::string id;
};

// The (time, id) position in `token`, or `first` for the first page; INVALID_ARGUMENT naming
// page_token for anything else.
absl::StatusOr<TimeIdPosition> DecodeTimeIdPosition(absl::string_view secret,
                                                    absl::string_view scope,
                                                    absl::string_view token, TimeIdPosition first);

}  // namespace returns::app
