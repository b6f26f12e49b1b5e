// The `authorization` metadata value and the API key inside it: arbitrary bytes from any caller.
#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/api_key.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto key = returns::ParseAuthorizationHeader(text);
  if (key.has_value()) {
    // Whatever is accepted is exactly one well-formed key: formatting it gives the input back.
    if ("Bearer " + returns::FormatApiKey(*key) != text) __builtin_trap();
    if (key->key_id.size() != 16 || key->secret.size() != 43) __builtin_trap();
  }
  return 0;
}
