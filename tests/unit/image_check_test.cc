// CheckImage against real images made here with the same libraries' encoders (libpng, libjpeg,
// libwebp, libheif), and against what an attacker sends: a signature followed by HTML, a cut-short
// file, a valid image with bytes after its end, a tiny file that declares a huge image.
#include "integrations/image_check.h"

#include <csetjmp>
#include <cstdio>  // before jpeglib.h
#include <cstdlib>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <jpeglib.h>
#include <libheif/heif.h>
#include <png.h>
#include <webp/encode.h>
#include <zlib.h>

namespace returns::integrations {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A gradient, so the encoders have something to compress. 3 or 4 bytes per pixel.
std::vector<unsigned char> Pixels(int width, int height, int channels) {
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * channels);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      unsigned char* p = &pixels[(static_cast<size_t>(y) * width + x) * channels];
      p[0] = static_cast<unsigned char>(x * 255 / width);
      p[1] = static_cast<unsigned char>(y * 255 / height);
      p[2] = static_cast<unsigned char>((x + y) % 256);
      if (channels == 4) p[3] = 255;
    }
  }
  return pixels;
}

// ---- PNG (libpng writing to memory) ----

void AppendPng(png_structp png, png_bytep data, size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))
      ->append(reinterpret_cast<const char*>(data), length);
}
void FlushPng(png_structp) {}

struct PngWriter {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngWriter() { png_destroy_write_struct(&png, &info); }
};

std::string EncodePng(int width, int height, bool interlaced = false) {
  const std::vector<unsigned char> pixels = Pixels(width, height, 3);
  std::vector<png_bytep> rows;
  for (int y = 0; y < height; ++y) {
    rows.push_back(const_cast<png_bytep>(&pixels[static_cast<size_t>(y) * width * 3]));
  }
  std::string out;
  PngWriter writer;
  writer.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  writer.info = png_create_info_struct(writer.png);
  if (setjmp(png_jmpbuf(writer.png)) != 0) {
    ADD_FAILURE() << "libpng could not write the test image";
    return "";
  }
  png_set_write_fn(writer.png, &out, AppendPng, FlushPng);
  png_set_IHDR(writer.png, writer.info, width, height, 8, PNG_COLOR_TYPE_RGB,
               interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(writer.png, writer.info);
  png_write_image(writer.png, rows.data());
  png_write_end(writer.png, nullptr);
  return out;
}

// ---- JPEG (libjpeg compressing to memory) ----

struct JpegWriter {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  jmp_buf jump;
};

[[noreturn]] void JpegWriterError(j_common_ptr cinfo) {
  std::longjmp(static_cast<JpegWriter*>(cinfo->client_data)->jump, 1);
}

std::string EncodeJpeg(int width, int height, bool progressive = false) {
  const std::vector<unsigned char> pixels = Pixels(width, height, 3);
  JpegWriter writer{};
  writer.cinfo.err = jpeg_std_error(&writer.err);
  writer.err.error_exit = JpegWriterError;
  writer.cinfo.client_data = &writer;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  if (setjmp(writer.jump) != 0) {
    jpeg_destroy_compress(&writer.cinfo);
    std::free(buffer);
    ADD_FAILURE() << "libjpeg could not write the test image";
    return "";
  }
  jpeg_create_compress(&writer.cinfo);
  jpeg_mem_dest(&writer.cinfo, &buffer, &size);
  writer.cinfo.image_width = width;
  writer.cinfo.image_height = height;
  writer.cinfo.input_components = 3;
  writer.cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&writer.cinfo);
  jpeg_set_quality(&writer.cinfo, 90, TRUE);
  if (progressive) jpeg_simple_progression(&writer.cinfo);
  jpeg_start_compress(&writer.cinfo, TRUE);
  while (writer.cinfo.next_scanline < writer.cinfo.image_height) {
    JSAMPROW row =
        const_cast<JSAMPROW>(&pixels[static_cast<size_t>(writer.cinfo.next_scanline) * width * 3]);
    jpeg_write_scanlines(&writer.cinfo, &row, 1);
  }
  jpeg_finish_compress(&writer.cinfo);
  std::string out(reinterpret_cast<const char*>(buffer), size);
  jpeg_destroy_compress(&writer.cinfo);
  std::free(buffer);
  return out;
}

// ---- WebP ----

std::string EncodeWebp(int width, int height, bool lossless) {
  const std::vector<unsigned char> pixels = Pixels(width, height, 4);
  uint8_t* output = nullptr;
  const size_t size = lossless
                          ? WebPEncodeLosslessRGBA(pixels.data(), width, height, width * 4, &output)
                          : WebPEncodeRGBA(pixels.data(), width, height, width * 4, 80, &output);
  std::string out(reinterpret_cast<const char*>(output), size);
  WebPFree(output);
  EXPECT_FALSE(out.empty()) << "libwebp could not write the test image";
  return out;
}

// ---- HEIC (libheif with its HEVC encoder, x265 on Debian) ----

heif_error AppendHeif(heif_context*, const void* data, size_t size, void* userdata) {
  static_cast<std::string*>(userdata)->append(static_cast<const char*>(data), size);
  return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

// Empty when libheif has no HEVC encoder or could not encode.
std::string EncodeHeic(int width, int height) {
  heif_init(nullptr);
  std::string out;
  heif_context* context = heif_context_alloc();
  heif_encoder* encoder = nullptr;
  heif_image* image = nullptr;
  if (heif_context_get_encoder_for_format(context, heif_compression_HEVC, &encoder).code ==
          heif_error_Ok &&
      heif_image_create(width, height, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &image)
              .code == heif_error_Ok &&
      heif_image_add_plane(image, heif_channel_interleaved, width, height, 8).code ==
          heif_error_Ok) {
    int stride = 0;
    uint8_t* plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
    const std::vector<unsigned char> pixels = Pixels(width, height, 3);
    for (int y = 0; y < height; ++y) {
      std::copy_n(&pixels[static_cast<size_t>(y) * width * 3], width * 3,
                  plane + static_cast<size_t>(y) * stride);
    }
    heif_encoder_set_lossy_quality(encoder, 50);
    heif_writer writer{};
    writer.writer_api_version = 1;
    writer.write = AppendHeif;
    if (heif_context_encode_image(context, image, encoder, nullptr, nullptr).code !=
            heif_error_Ok ||
        heif_context_write(context, &writer, &out).code != heif_error_Ok) {
      out.clear();
    }
  }
  if (image != nullptr) heif_image_release(image);
  if (encoder != nullptr) heif_encoder_release(encoder);
  heif_context_free(context);
  heif_deinit();
  return out;
}

// ---- helpers ----

uint32_t ReadBigEndian32(const std::string& s, size_t at) {
  return (uint32_t{static_cast<unsigned char>(s[at])} << 24) |
         (uint32_t{static_cast<unsigned char>(s[at + 1])} << 16) |
         (uint32_t{static_cast<unsigned char>(s[at + 2])} << 8) |
         static_cast<unsigned char>(s[at + 3]);
}

void WriteBigEndian(std::string& s, size_t at, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    s[at + i] = static_cast<char>((value >> (8 * (bytes - 1 - i))) & 0xFF);
  }
}

// A valid PNG whose IHDR now declares width x height, its CRC recomputed so that only the
// dimensions are wrong.
std::string PngClaiming(uint32_t width, uint32_t height) {
  std::string png = EncodePng(4, 4);
  WriteBigEndian(png, 16, width, 4);
  WriteBigEndian(png, 20, height, 4);
  // The CRC covers the chunk type and data: "IHDR" and 13 bytes, from offset 12.
  const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(png.data() + 12), 17);
  WriteBigEndian(png, 29, static_cast<uint32_t>(crc), 4);
  return png;
}

// A valid JPEG whose frame header (SOF0) now declares width x height.
std::string JpegClaiming(uint16_t width, uint16_t height) {
  std::string jpeg = EncodeJpeg(16, 16);
  const size_t sof = jpeg.find("\xFF\xC0", 2);
  EXPECT_NE(sof, std::string::npos);
  if (sof == std::string::npos) return jpeg;
  // FF C0, length (2), precision (1), height (2), width (2)
  WriteBigEndian(jpeg, sof + 5, height, 2);
  WriteBigEndian(jpeg, sof + 7, width, 2);
  return jpeg;
}

void ExpectAccepted(const std::string& bytes, const char* type, int width, int height) {
  const absl::StatusOr<ImageFacts> facts = CheckImage(bytes);
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_EQ(facts->content_type, type);
  EXPECT_EQ(facts->width, width);
  EXPECT_EQ(facts->height, height);
}

void ExpectRefused(const std::string& bytes, const std::string& message,
                   const ImageLimits& limits = {}) {
  const absl::StatusOr<ImageFacts> facts = CheckImage(bytes, limits);
  ASSERT_FALSE(facts.ok()) << "accepted as " << facts->content_type;
  EXPECT_EQ(facts.status().code(), absl::StatusCode::kInvalidArgument) << facts.status();
  EXPECT_THAT(std::string(facts.status().message()), HasSubstr(message));
}

const std::string kHtml = "<html><script>alert(document.cookie)</script></html>\n";

// ---- tests ----

TEST(ImageCheckTest, AcceptsAPngWithItsDimensions) {
  ExpectAccepted(EncodePng(40, 30), "image/png", 40, 30);
}

TEST(ImageCheckTest, AcceptsAnInterlacedPng) {
  ExpectAccepted(EncodePng(33, 17, /*interlaced=*/true), "image/png", 33, 17);
}

TEST(ImageCheckTest, AcceptsAJpegWithItsDimensions) {
  ExpectAccepted(EncodeJpeg(40, 30), "image/jpeg", 40, 30);
}

TEST(ImageCheckTest, AcceptsAProgressiveJpeg) {
  ExpectAccepted(EncodeJpeg(64, 48, /*progressive=*/true), "image/jpeg", 64, 48);
}

TEST(ImageCheckTest, AcceptsLossyAndLosslessWebp) {
  ExpectAccepted(EncodeWebp(40, 30, /*lossless=*/false), "image/webp", 40, 30);
  ExpectAccepted(EncodeWebp(40, 30, /*lossless=*/true), "image/webp", 40, 30);
}

// The file of the report: a JPEG signature, then HTML.
TEST(ImageCheckTest, RefusesAJpegSignatureFollowedByHtml) {
  const std::string fake = "\xFF\xD8\xFF\n" + kHtml;
  ASSERT_EQ(fake.size(), 57u);
  ExpectRefused(fake, "is not a decodable JPEG image");
}

TEST(ImageCheckTest, MessagesNeverQuoteTheFile) {
  for (const std::string& bytes : {"\xFF\xD8\xFF\n" + kHtml, EncodePng(8, 8) + kHtml,
                                   EncodeJpeg(8, 8) + kHtml, "GIF89a" + kHtml}) {
    const absl::StatusOr<ImageFacts> facts = CheckImage(bytes);
    ASSERT_FALSE(facts.ok());
    EXPECT_THAT(std::string(facts.status().message()), Not(HasSubstr("script")));
    EXPECT_THAT(std::string(facts.status().message()), Not(HasSubstr("html")));
  }
}

TEST(ImageCheckTest, RefusesAFileOfNoSupportedType) {
  ExpectRefused("GIF89a" + kHtml, "is not a JPEG, PNG, WebP or HEIC image");
  ExpectRefused("", "is not a JPEG, PNG, WebP or HEIC image");
}

TEST(ImageCheckTest, RefusesATruncatedPng) {
  const std::string png = EncodePng(40, 30);
  ExpectRefused(png.substr(0, png.size() / 2), "is not a decodable PNG image");
  ExpectRefused(png.substr(0, png.size() - 4), "is not a decodable PNG image");  // IEND's CRC cut
}

TEST(ImageCheckTest, RefusesATruncatedJpeg) {
  const std::string jpeg = EncodeJpeg(40, 30);
  ExpectRefused(jpeg.substr(0, jpeg.size() / 2), "is not a decodable JPEG image");
  // Only the EOI marker missing: libjpeg would invent it, with a warning.
  ExpectRefused(jpeg.substr(0, jpeg.size() - 2), "is not a decodable JPEG image");
}

TEST(ImageCheckTest, RefusesATruncatedWebp) {
  const std::string webp = EncodeWebp(40, 30, /*lossless=*/false);
  ExpectRefused(webp.substr(0, webp.size() - 10), "is not a decodable WebP image");
}

TEST(ImageCheckTest, RefusesBytesAfterAPng) {
  ExpectRefused(EncodePng(40, 30) + kHtml, "has 53 bytes after the end of the image");
  ExpectRefused(EncodePng(40, 30) + std::string(1, '\0'), "has 1 byte after the end of the image");
}

TEST(ImageCheckTest, RefusesBytesAfterAJpeg) {
  ExpectRefused(EncodeJpeg(40, 30) + kHtml, "has 53 bytes after the end of the image");
  // Strict: zero padding after EOI is refused too.
  ExpectRefused(EncodeJpeg(40, 30) + std::string(4, '\0'),
                "has 4 bytes after the end of the image");
}

TEST(ImageCheckTest, RefusesBytesAfterAWebp) {
  ExpectRefused(EncodeWebp(40, 30, /*lossless=*/false) + kHtml,
                "has 53 bytes after the end of the image");
  ExpectRefused(EncodeWebp(40, 30, /*lossless=*/true) + kHtml,
                "has 53 bytes after the end of the image");
}

// 10 billion pixels declared in a 100-byte file: refused from the header, before libpng starts.
TEST(ImageCheckTest, RefusesAPngDeclaringHugeDimensions) {
  const std::string png = PngClaiming(100000, 100000);
  ASSERT_EQ(ReadBigEndian32(png, 16), 100000u);
  ExpectRefused(png, "is 100000x100000 pixels; at most 12000 on a side and 50,000,000 pixels");
}

TEST(ImageCheckTest, RefusesAJpegDeclaringHugeDimensions) {
  ExpectRefused(JpegClaiming(60000, 60000),
                "is 60000x60000 pixels; at most 12000 on a side and 50,000,000 pixels");
  // Each side within the limit, the pixel count not: 10000 x 10000 = 100,000,000.
  ExpectRefused(JpegClaiming(10000, 10000), "is 10000x10000 pixels");
}

TEST(ImageCheckTest, AppliesTheCallersLimits) {
  const ImageLimits limits{100, 50, 1000};
  ExpectRefused(EncodePng(40, 30), "is 40x30 pixels; at most 100 wide, 50 high and 1,000 pixels",
                limits);
  ExpectRefused(EncodeJpeg(40, 30), "is 40x30 pixels", limits);
  ExpectRefused(EncodeWebp(40, 30, /*lossless=*/true), "is 40x30 pixels", limits);
  const absl::StatusOr<ImageFacts> small = CheckImage(EncodePng(20, 20), limits);
  EXPECT_TRUE(small.ok()) << small.status();
}

// RIFF, WEBP, a VP8X header with the animation flag, an ANIM chunk: what an animated WebP
// starts with.
TEST(ImageCheckTest, RefusesAnAnimatedWebp) {
  std::string vp8x("VP8X\x0A\0\0\0\x02\0\0\0\x0F\0\0\x0F\0\0", 18);  // 16x16 canvas
  std::string anim("ANIM\x06\0\0\0\0\0\0\0\0\0", 14);                // background, loop count
  std::string webp = "RIFF" + std::string(4, '\0') + "WEBP" + vp8x + anim;
  const uint32_t riff_size = static_cast<uint32_t>(webp.size() - 8);
  for (int i = 0; i < 4; ++i) webp[4 + i] = static_cast<char>((riff_size >> (8 * i)) & 0xFF);
  ExpectRefused(webp, "is an animated WebP image");
}

TEST(ImageCheckTest, RefusesAHeicHeaderFollowedByGarbage) {
  ExpectRefused(std::string("\0\0\0\x18"
                            "ftypheic\0\0\0\0mif1heic",
                            24) +
                    kHtml,
                "is not a decodable HEIC image");
  ExpectRefused(std::string("\0\0\0\x0C"
                            "ftypheic",
                            12),
                "is not a decodable HEIC image");
}

TEST(ImageCheckTest, AcceptsAHeicAndRefusesBytesAfterIt) {
  if (!heif_have_encoder_for_format(heif_compression_HEVC)) {
    GTEST_SKIP() << "libheif has no HEVC encoder here";
  }
  const std::string heic = EncodeHeic(64, 48);
  ASSERT_FALSE(heic.empty()) << "libheif could not write the test image";
  ExpectAccepted(heic, "image/heic", 64, 48);
  // At the limit exactly, and over it (refused by libheif's own bound as the file is read).
  const absl::StatusOr<ImageFacts> at_limit = CheckImage(heic, ImageLimits{64, 64, 64 * 48});
  EXPECT_TRUE(at_limit.ok()) << at_limit.status();
  ExpectRefused(heic, "is a HEIC image over the size limits; at most 32 on a side and 1,000 pixels",
                ImageLimits{32, 32, 1000});
  ExpectRefused(heic, "is 64x48 pixels; at most 100 on a side and 1,000 pixels",
                ImageLimits{100, 100, 1000});
  ExpectRefused(heic + kHtml, "has 53 bytes after the end of the image");
  ExpectRefused(heic.substr(0, heic.size() - 20), "is not a decodable HEIC image");
}

}  // namespace
}  // namespace returns::integrations
