// Exchange-token strings: presented by customers and storefronts, so anything may arrive.
// Verify must never crash and must accept only tokens signed with a configured key.
#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/exchange_token_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const returns::ExchangeTokenCodec codec = *returns::ExchangeTokenCodec::Create(
      {{"fuzz2", std::string(32, 'n')}, {"fuzz1", std::string(32, 'o')}});
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (codec.Verify(text)) {
    // Forging a tag is out of reach for a fuzzer: whatever passes must be a seed's token.
    if (text.size() != 4 + 6 + 44 + 43) __builtin_trap();  // "xt1." "fuzzN." nonce "." tag
    if (text.rfind("xt1.fuzz", 0) != 0) __builtin_trap();
  }
  (void)returns::ExchangeTokenCodec::Hash(text);
  return 0;
}
