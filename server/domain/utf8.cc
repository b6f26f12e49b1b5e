#include "domain/utf8.h"

namespace returns {

bool DecodeUtf8(absl::string_view s, size_t at, char32_t* cp, size_t* length) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) {
    *cp = lead;
    *length = 1;
    return true;
  }
  char32_t min;
  if ((lead & 0xE0) == 0xC0) {
    *length = 2, *cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    *length = 3, *cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    *length = 4, *cp = lead & 0x07, min = 0x10000;
  } else {
    return false;
  }
  if (at + *length > s.size()) return false;
  for (size_t i = 1; i < *length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return false;
    *cp = (*cp << 6) | (byte(at + i) & 0x3F);
  }
  return *cp >= min && *cp <= 0x10FFFF && !(*cp >= 0xD800 && *cp <= 0xDFFF);
}

}  // namespace returns
