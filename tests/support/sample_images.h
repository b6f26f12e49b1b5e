#pragma once

#include <cstddef>
#include <string>

namespace returns::testing {

// A real PNG image (2x2 pixels, 8-bit grey) of exactly `size` bytes: a tEXt chunk carrying
// `marker` (the sandbox damage model reads markers such as "sandbox:no-damage") and padding
// fills it, so it decodes as the server requires of evidence, whatever size a test needs.
// `size` must be at least kMinPhotoBytes + marker.size().
inline constexpr size_t kMinPhotoBytes = 100;
std::string PhotoBytes(size_t size, const std::string& marker = "");

}  // namespace returns::testing
