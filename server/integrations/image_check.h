#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Whether a complete evidence file is an image: the signature (domain/evidence_rules.h) only
// names the format a file claims to be; the file is an image only if Debian's decoders
// (libjpeg-turbo, libpng, libwebp, libheif) decode it, within size limits, with nothing after
// the image's end. A file that starts like a JPEG and goes on as HTML is refused.
namespace returns::integrations {

// The largest image accepted. Checked from the header, before any pixel is decoded, so a small
// file that declares a huge image (a decompression bomb) costs nothing. The pixel bound also
// bounds the decoders' memory: about 4 bytes a pixel for WebP, 8 for a progressive JPEG.
struct ImageLimits {
  int max_width = 12000;
  int max_height = 12000;
  int64_t max_pixels = 50'000'000;
};

struct ImageFacts {
  std::string content_type;  // "image/jpeg", "image/png", "image/webp" or "image/heic"
  int width;
  int height;
};

// Decodes `bytes` fully and says what image it is. InvalidArgument, with a short message that
// reads after a field name ("data: is not a decodable PNG image") and never quotes the file,
// when it is not an image of a supported type, is over `limits`, does not decode, or has bytes
// after the image's end. Thread-safe; CPU-bound (up to a second for the largest image). One
// decode runs at a time in the process (memory); a caller that waits more than a few seconds for
// its turn gets ResourceExhausted instead.
absl::StatusOr<ImageFacts> CheckImage(absl::string_view bytes, const ImageLimits& limits = {});

}  // namespace returns::integrations
