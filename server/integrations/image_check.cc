#include "integrations/image_check.h"

#include <algorithm>
#include <csetjmp>
#include <cstdio>  // before jpeglib.h, which uses FILE and size_t without including them
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include <jpeglib.h>
#include <libheif/heif.h>
#include <png.h>
#include <webp/decode.h>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/strings/str_cat.h"
#include "domain/evidence_rules.h"

// Each format has one function below. They share an order: the dimensions come from the header
// and are checked against the limits before a pixel is decoded (a 50-byte file may declare
// 100000x100000 pixels); then the image is decoded in full, which is what proves it is one; then
// the bytes after the image's end are counted (a valid image followed by HTML is a polyglot).
//
// libjpeg and libpng report errors by calling a function that must not return: we longjmp back
// to a setjmp in a small function that does nothing but drive the library. Its state lives in a
// session struct owned by its caller, never in its own locals (which a longjmp may clobber), and
// no C++ object with a destructor lives in the frames a longjmp crosses.
namespace returns::integrations {
namespace {

struct Dimensions {
  int width;
  int height;
};

uint32_t BigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

uint32_t LittleEndian32(const unsigned char* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

const unsigned char* Bytes(absl::string_view bytes) {
  return reinterpret_cast<const unsigned char*>(bytes.data());
}

// 50000000 -> "50,000,000".
std::string WithThousands(int64_t n) {
  const std::string digits = absl::StrCat(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

absl::Status NotDecodable(absl::string_view format) {
  return absl::InvalidArgumentError(absl::StrCat("is not a decodable ", format, " image"));
}

absl::Status BytesAfterEnd(uint64_t count) {
  return absl::InvalidArgumentError(
      absl::StrCat("has ", count, count == 1 ? " byte" : " bytes", " after the end of the image"));
}

// The limits, from the header's numbers alone. Width and height are compared first, so their
// product cannot overflow.
bool WithinLimits(int64_t width, int64_t height, const ImageLimits& limits) {
  return width > 0 && height > 0 && width <= limits.max_width && height <= limits.max_height &&
         width * height <= limits.max_pixels;
}

// "12000 on a side and 50,000,000 pixels"
std::string LimitsText(const ImageLimits& limits) {
  const std::string sides =
      limits.max_width == limits.max_height
          ? absl::StrCat(limits.max_width, " on a side")
          : absl::StrCat(limits.max_width, " wide, ", limits.max_height, " high");
  return absl::StrCat(sides, " and ", WithThousands(limits.max_pixels), " pixels");
}

absl::Status CheckDimensions(absl::string_view format, int64_t width, int64_t height,
                             const ImageLimits& limits) {
  if (width <= 0 || height <= 0) return NotDecodable(format);
  if (!WithinLimits(width, height, limits)) {
    return absl::InvalidArgumentError(
        absl::StrCat("is ", width, "x", height, " pixels; at most ", LimitsText(limits)));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// JPEG: libjpeg-turbo

// Ordinary progressive encoders write about ten scans. Each scan walks the whole image again, so
// a small file of thousands of empty scans would be a CPU bomb (libjpeg-turbo's djpeg has
// -maxscans for the same reason).
constexpr int kMaxJpegScans = 100;

struct JpegSession {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr err;
  jpeg_progress_mgr progress;
  jmp_buf jump;
  enum class Failure { kNotDecodable, kTooLarge, kTooManyScans } failure = Failure::kNotDecodable;
  int64_t width = 0;
  int64_t height = 0;
  size_t bytes_after_end = 0;
};

JpegSession& SessionOf(j_common_ptr cinfo) {
  return *static_cast<JpegSession*>(cinfo->client_data);
}

// libjpeg's default error_exit calls exit(): we jump back to DecodeJpeg instead.
[[noreturn]] void JpegErrorExit(j_common_ptr cinfo) { std::longjmp(SessionOf(cinfo).jump, 1); }

// Warnings are fatal. libjpeg warns and carries on over corrupt entropy data, extraneous bytes
// before a marker, and a file that ends early, for which it invents the end of the image: a
// truncated JPEG would pass. (Level >= 0 is tracing, never an error.)
void JpegEmitMessage(j_common_ptr cinfo, int msg_level) {
  if (msg_level < 0) JpegErrorExit(cinfo);
}

// Nothing is printed: the default writes the library's message to stderr.
void JpegOutputMessage(j_common_ptr) {}

void JpegProgress(j_common_ptr cinfo) {
  JpegSession& session = SessionOf(cinfo);
  if (session.cinfo.input_scan_number > kMaxJpegScans) {
    session.failure = JpegSession::Failure::kTooManyScans;
    JpegErrorExit(cinfo);
  }
}

// Drives libjpeg; false when it failed (session->failure says how).
bool DecodeJpeg(JpegSession* session, absl::string_view bytes, const ImageLimits& limits) {
  if (setjmp(session->jump) != 0) return false;
  j_decompress_ptr cinfo = &session->cinfo;
  jpeg_create_decompress(cinfo);  // keeps err and client_data, zeroes the rest
  cinfo->progress = &session->progress;
  // Progressive and multi-scan JPEGs keep the whole image's coefficients (2 bytes per sample,
  // at most 4 full-size components). Past this budget libjpeg would need a temporary file,
  // which libjpeg-turbo does not have, and fails rather than allocate more.
  const int64_t budget = 8 * limits.max_pixels + (int64_t{16} << 20);
  cinfo->mem->max_memory_to_use =
      static_cast<long>(std::min<int64_t>(budget, std::numeric_limits<long>::max()));
  jpeg_mem_src(cinfo, Bytes(bytes), bytes.size());
  jpeg_read_header(cinfo, TRUE);  // to the first scan: the frame header, no pixels
  session->width = cinfo->image_width;
  session->height = cinfo->image_height;
  if (!WithinLimits(session->width, session->height, limits)) {
    session->failure = JpegSession::Failure::kTooLarge;
    return false;
  }
  jpeg_start_decompress(cinfo);
  // One output row at a time, from libjpeg's own pool (freed by jpeg_destroy).
  JSAMPARRAY row = (*cinfo->mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(cinfo), JPOOL_IMAGE,
                                               cinfo->output_width * cinfo->output_components, 1);
  while (cinfo->output_scanline < cinfo->output_height) {
    if (jpeg_read_scanlines(cinfo, row, 1) != 1) return false;
  }
  jpeg_finish_decompress(cinfo);  // reads on to the EOI marker
  session->bytes_after_end = cinfo->src->bytes_in_buffer;
  return true;
}

absl::StatusOr<Dimensions> CheckJpeg(absl::string_view bytes, const ImageLimits& limits) {
  JpegSession session{};
  session.cinfo.err = jpeg_std_error(&session.err);
  session.err.error_exit = JpegErrorExit;
  session.err.emit_message = JpegEmitMessage;
  session.err.output_message = JpegOutputMessage;
  session.progress.progress_monitor = JpegProgress;
  session.cinfo.client_data = &session;
  const bool decoded = DecodeJpeg(&session, bytes, limits);
  jpeg_destroy_decompress(&session.cinfo);  // also safe when creation itself failed
  if (!decoded) {
    switch (session.failure) {
      case JpegSession::Failure::kTooLarge:
        return CheckDimensions("JPEG", session.width, session.height, limits);
      case JpegSession::Failure::kTooManyScans:
        return absl::InvalidArgumentError(
            absl::StrCat("is a JPEG image of more than ", kMaxJpegScans, " scans"));
      case JpegSession::Failure::kNotDecodable:
        break;
    }
    return NotDecodable("JPEG");
  }
  // Strict: any byte after the EOI marker refuses the file, zero padding included. The image's
  // end is exact, and whatever follows it is what a polyglot hides in. This also refuses what
  // some phones append after EOI (Motion Photo videos, MPF / Ultra HDR gain-map JPEGs); a photo
  // exported as a plain JPEG passes.
  if (session.bytes_after_end != 0) return BytesAfterEnd(session.bytes_after_end);
  return Dimensions{static_cast<int>(session.width), static_cast<int>(session.height)};
}

// ---------------------------------------------------------------------------------------------
// PNG: libpng

// Ancillary chunks libpng keeps (text, sPLT, unknown) and the largest one it allocates, its
// inflated zTXt/iTXt/iCCP included: a few bytes of zlib must not become gigabytes of text.
// Past either bound libpng drops the chunk with a warning; the image still decodes.
constexpr png_uint_32 kMaxPngKeptChunks = 128;
constexpr png_alloc_size_t kMaxPngChunkBytes = 4 << 20;

struct PngSession {
  PngSession() = default;
  PngSession(const PngSession&) = delete;
  PngSession& operator=(const PngSession&) = delete;
  ~PngSession() {
    if (png != nullptr) png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
  }

  png_structp png = nullptr;
  png_infop info = nullptr;
  absl::string_view bytes;
  size_t offset = 0;  // how far libpng has read; it reads exactly the chunks, never ahead
  std::vector<unsigned char> row;
};

// libpng reads through this, so a file that ends early is an error here, not a hang or an
// over-read.
void PngRead(png_structp png, png_bytep out, size_t length) {
  auto* session = static_cast<PngSession*>(png_get_io_ptr(png));
  if (length > session->bytes.size() - session->offset) png_error(png, "unexpected end of file");
  std::memcpy(out, session->bytes.data() + session->offset, length);
  session->offset += length;
}

// libpng's default handlers print to stderr; errors jump back to DecodePng.
[[noreturn]] void PngError(png_structp png, png_const_charp) { png_longjmp(png, 1); }
void PngWarning(png_structp, png_const_charp) {}

// The IHDR's width and height, read from the bytes: PNG requires IHDR as the first chunk, at a
// fixed offset, so the limits are checked before libpng is even started. (libpng's own
// png_set_user_limits stays as a second bound.)
bool PeekPngDimensions(absl::string_view bytes, uint32_t* width, uint32_t* height) {
  // signature (8), length (4) = 13, "IHDR" (4), width (4), height (4)
  if (bytes.size() < 24) return false;
  const unsigned char* b = Bytes(bytes);
  if (BigEndian32(b + 8) != 13 || bytes.substr(12, 4) != "IHDR") return false;
  *width = BigEndian32(b + 16);
  *height = BigEndian32(b + 20);
  return true;
}

// Drives libpng; false when it failed.
bool DecodePng(PngSession* session, const ImageLimits& limits) {
  if (setjmp(png_jmpbuf(session->png)) != 0) return false;
  png_set_user_limits(session->png, static_cast<png_uint_32>(limits.max_width),
                      static_cast<png_uint_32>(limits.max_height));
  png_set_chunk_cache_max(session->png, kMaxPngKeptChunks);
  png_set_chunk_malloc_max(session->png, kMaxPngChunkBytes);
  png_set_read_fn(session->png, session, PngRead);
  png_read_info(session->png, session->info);  // the chunks up to the first IDAT
  const png_uint_32 height = png_get_image_height(session->png, session->info);
  const int passes = png_set_interlace_handling(session->png);
  png_read_update_info(session->png, session->info);
  // One row at a time: memory is a row, whatever the image's size.
  session->row.resize(png_get_rowbytes(session->png, session->info));
  for (int pass = 0; pass < passes; ++pass) {
    for (png_uint_32 y = 0; y < height; ++y)
      png_read_row(session->png, session->row.data(), nullptr);
  }
  png_read_end(session->png, session->info);  // the chunks after IDAT, to IEND and its CRC
  return true;
}

absl::StatusOr<Dimensions> CheckPng(absl::string_view bytes, const ImageLimits& limits) {
  uint32_t width = 0;
  uint32_t height = 0;
  if (!PeekPngDimensions(bytes, &width, &height)) return NotDecodable("PNG");
  if (absl::Status s = CheckDimensions("PNG", width, height, limits); !s.ok()) return s;
  PngSession session;
  session.bytes = bytes;
  session.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, PngError, PngWarning);
  if (session.png == nullptr) return absl::ResourceExhaustedError("the PNG decoder did not start");
  session.info = png_create_info_struct(session.png);
  if (session.info == nullptr) return absl::ResourceExhaustedError("the PNG decoder did not start");
  if (!DecodePng(&session, limits)) return NotDecodable("PNG");
  // IEND (with its CRC) must be the last bytes of the file.
  if (session.offset != bytes.size()) return BytesAfterEnd(bytes.size() - session.offset);
  return Dimensions{static_cast<int>(width), static_cast<int>(height)};
}

// ---------------------------------------------------------------------------------------------
// WebP: libwebp

absl::StatusOr<Dimensions> CheckWebp(absl::string_view bytes, const ImageLimits& limits) {
  const uint8_t* data = Bytes(bytes);
  WebPBitstreamFeatures features;
  if (WebPGetFeatures(data, bytes.size(), &features) != VP8_STATUS_OK) return NotDecodable("WebP");
  // WebPDecodeRGBA decodes still images only; an animation is not one photo.
  if (features.has_animation) {
    return absl::InvalidArgumentError("is an animated WebP image; a photo must be a still image");
  }
  if (absl::Status s = CheckDimensions("WebP", features.width, features.height, limits); !s.ok()) {
    return s;
  }
  // The RIFF header's size counts every byte after its first 8 (the chunks are padded to even
  // sizes, the padding counted). libwebp silently ignores what lies past it; we refuse it. A
  // size past the end of the bytes is a cut-short file.
  const uint64_t riff_end = uint64_t{LittleEndian32(data + 4)} + 8;
  if (riff_end > bytes.size()) return NotDecodable("WebP");
  if (riff_end < bytes.size()) return BytesAfterEnd(bytes.size() - riff_end);
  // The decoded image is width * height * 4 bytes (at most 200 MB with the default limits),
  // freed at once: decoding is the check, the pixels are not used.
  int width = 0;
  int height = 0;
  uint8_t* pixels = WebPDecodeRGBA(data, bytes.size(), &width, &height);
  if (pixels == nullptr) return NotDecodable("WebP");
  WebPFree(pixels);
  return Dimensions{width, height};
}

// ---------------------------------------------------------------------------------------------
// HEIF / HEIC: libheif (HEVC through libde265, AV1 through dav1d/aom)

struct HeifFree {
  void operator()(heif_context* p) const { heif_context_free(p); }
  void operator()(heif_image_handle* p) const { heif_image_handle_release(p); }
  void operator()(heif_image* p) const { heif_image_release(p); }
};
template <typename T>
using HeifPtr = std::unique_ptr<T, HeifFree>;

// libheif registers its decoder plugins in heif_init(); once for the process, never undone
// (reference-counted, so other users such as tests can init too).
void InitHeifOnce() {
  static const bool initialized = [] {
    heif_init(nullptr);
    return true;
  }();
  (void)initialized;
}

// How many bytes follow the last complete top-level ISO-BMFF box (ftyp, meta, mdat...). A HEIF
// file is nothing but boxes, so anything else is after the image's end. This checks the boxes'
// framing only: bytes inside a box (an unreferenced part of mdat, a "free" box) are not
// examined, and a last box of size 0 ("to the end of the file") has no end to check.
uint64_t BytesAfterTopLevelBoxes(absl::string_view bytes) {
  const unsigned char* b = Bytes(bytes);
  const uint64_t size = bytes.size();
  uint64_t pos = 0;
  while (size - pos >= 8) {
    uint64_t box_size = BigEndian32(b + pos);
    uint64_t header_size = 8;
    if (box_size == 1) {  // a 64-bit size follows the type
      if (size - pos < 16) break;
      box_size = (uint64_t{BigEndian32(b + pos + 8)} << 32) | BigEndian32(b + pos + 12);
      header_size = 16;
    } else if (box_size == 0) {
      box_size = size - pos;
    }
    if (box_size < header_size || box_size > size - pos) break;
    pos += box_size;
  }
  return size - pos;
}

absl::StatusOr<Dimensions> CheckHeif(absl::string_view bytes, const ImageLimits& limits) {
  InitHeifOnce();
  HeifPtr<heif_context> context(heif_context_alloc());
  if (context == nullptr) return absl::ResourceExhaustedError("the HEIF decoder did not start");
  // libheif's own bound applies to every image item in the file (grid tiles, thumbnails, alpha),
  // not just the primary image checked below, and stops the file being read at all. It refuses
  // a side >= the value given, hence the + 1.
  const int longest_side = std::max(limits.max_width, limits.max_height);
  heif_context_set_maximum_image_size_limit(
      context.get(), std::min(longest_side, std::numeric_limits<int>::max() - 1) + 1);
  // Tiles of a grid image decode on this thread: the server runs many calls at once already.
  heif_context_set_max_decoding_threads(context.get(), 0);
  heif_error error = heif_context_read_from_memory_without_copy(context.get(), bytes.data(),
                                                                bytes.size(), nullptr);
  if (error.code != heif_error_Ok) {
    if (error.subcode == heif_suberror_Security_limit_exceeded) {
      return absl::InvalidArgumentError(
          absl::StrCat("is a HEIC image over the size limits; at most ", LimitsText(limits)));
    }
    return NotDecodable("HEIC");
  }
  heif_image_handle* raw_handle = nullptr;
  if (heif_context_get_primary_image_handle(context.get(), &raw_handle).code != heif_error_Ok) {
    return NotDecodable("HEIC");
  }
  HeifPtr<heif_image_handle> handle(raw_handle);
  const int width = heif_image_handle_get_width(handle.get());
  const int height = heif_image_handle_get_height(handle.get());
  if (absl::Status s = CheckDimensions("HEIC", width, height, limits); !s.ok()) return s;
  // In the image's own colorspace and chroma: no conversion, which the check does not need.
  heif_image* raw_image = nullptr;
  error = heif_decode_image(handle.get(), &raw_image, heif_colorspace_undefined,
                            heif_chroma_undefined, nullptr);
  HeifPtr<heif_image> image(raw_image);
  if (error.code != heif_error_Ok || image == nullptr) return NotDecodable("HEIC");
  if (const uint64_t after = BytesAfterTopLevelBoxes(bytes); after != 0)
    return BytesAfterEnd(after);
  return Dimensions{width, height};
}

}  // namespace

namespace {

// One decode at a time in this process: a decode may take a few hundred megabytes (a 50-megapixel
// WebP is 200 MB of pixels, a progressive JPEG's coefficients more), and a refused image stores
// nothing, so no quota stops a client from sending such files over and over. A caller waits its
// turn for a bounded time, then gets RESOURCE_EXHAUSTED (the upload's answer: busy, retry).
constexpr absl::Duration kDecodeTurnWait = absl::Seconds(5);

class DecodeTurn {
 public:
  bool Take() {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(absl::Condition(
                                  +[](bool* busy) { return !*busy; }, &busy_),
                              kDecodeTurnWait)) {
      return false;
    }
    busy_ = true;
    return true;
  }
  void Give() {
    absl::MutexLock lock(&mu_);
    busy_ = false;
  }

 private:
  absl::Mutex mu_;
  bool busy_ ABSL_GUARDED_BY(mu_) = false;
};

DecodeTurn& TheDecodeTurn() {
  static auto* turn = new DecodeTurn();
  return *turn;
}

}  // namespace

absl::StatusOr<ImageFacts> CheckImage(absl::string_view bytes, const ImageLimits& limits) {
  // The signature picks the decoder; it proves nothing by itself.
  const std::optional<std::string> type = SniffImageType(bytes);
  if (!type) return absl::InvalidArgumentError("is not a JPEG, PNG, WebP or HEIC image");
  if (!TheDecodeTurn().Take()) {
    return absl::ResourceExhaustedError("the server is decoding other images; retry shortly");
  }
  struct GiveBack {
    ~GiveBack() { TheDecodeTurn().Give(); }
  } give_back;
  absl::StatusOr<Dimensions> dimensions;
  if (*type == "image/jpeg") {
    dimensions = CheckJpeg(bytes, limits);
  } else if (*type == "image/png") {
    dimensions = CheckPng(bytes, limits);
  } else if (*type == "image/webp") {
    dimensions = CheckWebp(bytes, limits);
  } else if (*type == "image/heic") {
    dimensions = CheckHeif(bytes, limits);
  } else {
    return absl::InvalidArgumentError("is not a JPEG, PNG, WebP or HEIC image");
  }
  if (!dimensions.ok()) return dimensions.status();
  return ImageFacts{*type, dimensions->width, dimensions->height};
}

}  // namespace returns::integrations
