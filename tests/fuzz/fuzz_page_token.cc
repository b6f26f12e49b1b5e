// Page tokens: opaque strings any client may alter. Decoding must never crash and never accept a
// token this server did not sign; encoding then decoding any position must round-trip.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "app/common/page_token.h"

namespace {
constexpr char kSecret[] = "fuzzing-secret-fuzzing-secret-32";
constexpr char kScope[] = "merchant|ListReturns|order|REQUESTED";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto decoded = returns::app::DecodePageToken(kSecret, kScope, text);
  if (decoded.ok() && !text.empty()) {
    // Only a token signed with kSecret for kScope may pass: re-encoding must give it back.
    if (returns::app::EncodePageToken(kSecret, kScope, *decoded) != text) __builtin_trap();
  }
  // Any position round-trips (split the input at NUL bytes into a position). Positions are the
  // server's own values (ids, times), always ASCII.
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return 0;
  }
  std::vector<std::string> position;
  std::string current;
  for (char c : text) {
    if (c == '\0') {
      position.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  position.push_back(current);
  const std::string token = returns::app::EncodePageToken(kSecret, kScope, position);
  auto again = returns::app::DecodePageToken(kSecret, kScope, token);
  // Tokens above the size limit are refused; everything else must come back as it went in.
  if (token.size() <= 1024 && (!again.ok() || *again != position)) __builtin_trap();
  return 0;
}
