#pragma once

#include <cstddef>

#include "absl/strings/string_view.h"

namespace returns {

// One UTF-8 character of `s` at byte `at`: its code point and length in bytes, or false for bytes
// that are not UTF-8 (a stray continuation byte, a truncated sequence, an overlong form, a
// surrogate, past U+10FFFF). Shared by the rules that judge text character by character (evidence
// file names) and by returnsctl's escaping of what it prints.
bool DecodeUtf8(absl::string_view s, size_t at, char32_t* cp, size_t* length);

}  // namespace returns
