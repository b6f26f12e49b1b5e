#include "sample_images.h"

#include <stdexcept>

#include <zlib.h>

namespace returns::testing {
namespace {

void PutBigEndian32(std::string* out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
}

// One PNG chunk: length, type, data, CRC-32 of type and data.
std::string Chunk(const std::string& type, const std::string& data) {
  std::string chunk;
  PutBigEndian32(&chunk, static_cast<uint32_t>(data.size()));
  chunk += type + data;
  const std::string covered = type + data;
  PutBigEndian32(&chunk,
                 static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(covered.data()),
                                             static_cast<uInt>(covered.size()))));
  return chunk;
}

}  // namespace

std::string PhotoBytes(size_t size, const std::string& marker) {
  std::string header("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  PutBigEndian32(&ihdr, 2);  // width
  PutBigEndian32(&ihdr, 2);  // height
  ihdr +=
      std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit greyscale, deflate, no filter, no interlace
  // Two rows, each a filter byte (0) and two pixels.
  const std::string raw("\x00\x10\xF0\x00\x80\x40", 6);
  uLongf compressed_size = compressBound(raw.size());
  std::string compressed(compressed_size, '\0');
  compress(reinterpret_cast<Bytef*>(compressed.data()), &compressed_size,
           reinterpret_cast<const Bytef*>(raw.data()), raw.size());
  compressed.resize(compressed_size);
  const std::string image = header + Chunk("IHDR", ihdr) + Chunk("IDAT", compressed);
  const std::string end = Chunk("IEND", "");
  // tEXt: keyword, NUL, text; 12 bytes of chunk framing.
  const std::string keyword("Comment\0", 8);
  const size_t fixed = image.size() + end.size() + 12 + keyword.size() + marker.size();
  if (size < fixed || size < kMinPhotoBytes)
    throw std::invalid_argument("PhotoBytes: too small a size");
  std::string text = keyword + marker;
  text.append(size - fixed, '.');
  return image + Chunk("tEXt", text) + end;
}

}  // namespace returns::testing
