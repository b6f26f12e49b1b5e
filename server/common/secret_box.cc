#include "common/secret_box.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <climits>
#include <memory>
#include <optional>
#include <stdexcept>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/crypto.h"

namespace returns::crypto {

namespace {

constexpr absl::string_view kPrefix = "sb1.";
constexpr size_t kMaxKeyIdLength = 32;
constexpr size_t kKeyBytes = 32;
// 96 bits is the nonce size AES-GCM is specified for; a random one is safe for far more values
// than one key seals before it is rotated (the bound is 2^32 per key).
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

CipherCtx NewCipherCtx() {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  return ctx;
}

// OpenSSL failures other than a failed tag mean the library is broken or out of memory: like
// common/crypto.cc, they throw rather than pass for a bad value.
void Check(int rc, const char* what) {
  if (rc != 1) throw std::runtime_error(what);
}

// The EVP update calls take int lengths.
int IntLength(absl::string_view bytes) {
  if (bytes.size() > static_cast<size_t>(INT_MAX)) throw std::length_error("too long for AES-GCM");
  return static_cast<int>(bytes.size());
}

unsigned char* Bytes(char* p) { return reinterpret_cast<unsigned char*>(p); }
const unsigned char* Bytes(const char* p) { return reinterpret_cast<const unsigned char*>(p); }

bool IsValidKeyId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxKeyIdLength) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

bool IsKeyHex(absl::string_view hex) {
  if (hex.size() != 2 * kKeyBytes) return false;
  for (char c : hex) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

struct SealedParts {
  absl::string_view key_id;
  absl::string_view body;  // base64url, not yet decoded
};

std::optional<SealedParts> SplitSealed(absl::string_view sealed) {
  if (!absl::ConsumePrefix(&sealed, kPrefix)) return std::nullopt;
  size_t dot = sealed.find('.');
  if (dot == absl::string_view::npos) return std::nullopt;
  SealedParts parts{sealed.substr(0, dot), sealed.substr(dot + 1)};
  if (!IsValidKeyId(parts.key_id) || parts.body.empty()) return std::nullopt;
  return parts;
}

}  // namespace

SecretBox::SecretBox(std::vector<std::pair<std::string, std::string>> keys)
    : keys_(std::move(keys)) {}

absl::StatusOr<SecretBox> SecretBox::Parse(absl::string_view spec) {
  if (absl::StripAsciiWhitespace(spec).empty()) {
    return absl::InvalidArgumentError(
        "--secret_keys is empty: it needs at least one id:key, the key 64 hex digits");
  }
  // Every entry is checked before any key is decoded, so a refused spec leaves no key bytes in
  // memory to clean up.
  std::vector<std::pair<absl::string_view, absl::string_view>> entries;
  int number = 0;
  for (absl::string_view entry : absl::StrSplit(spec, ',')) {
    ++number;
    entry = absl::StripAsciiWhitespace(entry);
    // Entries are named by position: an entry that is wrong may be key material in the wrong
    // place, so none of it is echoed until its id is known to be an id.
    std::string where = absl::StrCat("--secret_keys entry ", number);
    if (entry.empty()) return absl::InvalidArgumentError(absl::StrCat(where, " is empty"));
    size_t colon = entry.find(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(where, " is not of the form id:key"));
    }
    absl::string_view id = entry.substr(0, colon);
    absl::string_view hex = entry.substr(colon + 1);
    if (!IsValidKeyId(id)) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, " has a bad key id: an id is 1-32 characters of A-Z, a-z, 0-9, '_' and '-'"));
    }
    for (const auto& earlier : entries) {
      if (earlier.first == id) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, " repeats key id \"", id, "\"; each id names one key"));
      }
    }
    if (!IsKeyHex(hex)) {
      // The length and the kind of fault help the operator and say nothing of the key.
      std::string fault = hex.size() == 2 * kKeyBytes
                              ? std::string("it has a character that is not a hex digit")
                              : absl::StrCat("it has ", hex.size(), " characters");
      return absl::InvalidArgumentError(absl::StrCat(
          where, " (key id \"", id, "\"): the key must be 64 hex digits (32 bytes), and ", fault));
    }
    entries.emplace_back(id, hex);
  }
  std::vector<std::pair<std::string, std::string>> keys;
  keys.reserve(entries.size());
  for (const auto& [id, hex] : entries) {
    // Moved, not copied, into the ring: no temporary copy of the key is left behind.
    keys.emplace_back(std::string(id), absl::HexStringToBytes(hex));
  }
  return SecretBox(std::move(keys));
}

std::string SecretBox::Seal(absl::string_view plaintext, absl::string_view context) const {
  const auto& [id, key] = keys_.front();
  // nonce | ciphertext | tag, encrypted in place after the nonce.
  std::string sealed = RandomBytes(kNonceBytes);
  sealed.resize(kNonceBytes + plaintext.size() + kTagBytes);
  unsigned char* nonce = Bytes(sealed.data());
  unsigned char* ciphertext = nonce + kNonceBytes;
  unsigned char* tag = ciphertext + plaintext.size();

  CipherCtx ctx = NewCipherCtx();
  Check(EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr),
        "EVP_EncryptInit_ex failed");
  Check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr),
        "EVP_CTRL_GCM_SET_IVLEN failed");
  Check(EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key.data()), nonce),
        "EVP_EncryptInit_ex failed");
  int length = 0;
  if (!context.empty()) {
    Check(EVP_EncryptUpdate(ctx.get(), nullptr, &length, Bytes(context.data()), IntLength(context)),
          "EVP_EncryptUpdate (associated data) failed");
  }
  int written = 0;
  if (!plaintext.empty()) {
    Check(EVP_EncryptUpdate(ctx.get(), ciphertext, &length, Bytes(plaintext.data()),
                            IntLength(plaintext)),
          "EVP_EncryptUpdate failed");
    written = length;
  }
  Check(EVP_EncryptFinal_ex(ctx.get(), ciphertext + written, &length),
        "EVP_EncryptFinal_ex failed");
  Check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag),
        "EVP_CTRL_GCM_GET_TAG failed");
  return absl::StrCat(kPrefix, id, ".", absl::WebSafeBase64Escape(sealed));
}

absl::StatusOr<std::string> SecretBox::Open(absl::string_view sealed,
                                            absl::string_view context) const {
  std::optional<SealedParts> parts = SplitSealed(sealed);
  if (!parts.has_value()) {
    return absl::DataLossError("sealed secret is malformed: expected sb1.<key id>.<base64url>");
  }
  // Only the canonical encoding is accepted (no padding, no whitespace), so one value has one
  // text and a stray edit reads as damage.
  std::string bytes;
  if (!absl::WebSafeBase64Unescape(parts->body, &bytes) ||
      absl::WebSafeBase64Escape(bytes) != parts->body) {
    return absl::DataLossError(absl::StrCat("secret sealed under key \"", parts->key_id,
                                            "\" is malformed: its body is not base64url"));
  }
  if (bytes.size() < static_cast<size_t>(kNonceBytes) + kTagBytes) {
    return absl::DataLossError(absl::StrCat("secret sealed under key \"", parts->key_id,
                                            "\" is malformed: too short for a nonce and a tag"));
  }
  const std::string* key = KeyFor(parts->key_id);
  if (key == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("secret sealed under key \"", parts->key_id,
                                                      "\", which --secret_keys does not hold"));
  }
  unsigned char* nonce = Bytes(bytes.data());
  absl::string_view ciphertext(bytes.data() + kNonceBytes, bytes.size() - kNonceBytes - kTagBytes);
  unsigned char* tag = nonce + kNonceBytes + ciphertext.size();

  CipherCtx ctx = NewCipherCtx();
  Check(EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr),
        "EVP_DecryptInit_ex failed");
  Check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr),
        "EVP_CTRL_GCM_SET_IVLEN failed");
  Check(EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key->data()), nonce),
        "EVP_DecryptInit_ex failed");
  int length = 0;
  if (!context.empty()) {
    Check(EVP_DecryptUpdate(ctx.get(), nullptr, &length, Bytes(context.data()), IntLength(context)),
          "EVP_DecryptUpdate (associated data) failed");
  }
  std::string plaintext(ciphertext.size(), '\0');
  int written = 0;
  if (!ciphertext.empty()) {
    Check(EVP_DecryptUpdate(ctx.get(), Bytes(plaintext.data()), &length, Bytes(ciphertext.data()),
                            IntLength(ciphertext)),
          "EVP_DecryptUpdate failed");
    written = length;
  }
  Check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag),
        "EVP_CTRL_GCM_SET_TAG failed");
  if (EVP_DecryptFinal_ex(ctx.get(), Bytes(plaintext.data()) + written, &length) != 1) {
    // The bytes decrypted so far are unauthenticated: they are wiped, never returned.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return absl::DataLossError(
        absl::StrCat("secret sealed under key \"", parts->key_id,
                     "\" does not open: it was altered, or it was sealed for another context"));
  }
  return plaintext;
}

std::string SecretBox::KeyIdOf(absl::string_view sealed) {
  std::optional<SealedParts> parts = SplitSealed(sealed);
  return parts.has_value() ? std::string(parts->key_id) : std::string();
}

bool SecretBox::NeedsReseal(absl::string_view sealed) const {
  // A key id is never empty, so a malformed value ("") is never under the newest key.
  return KeyIdOf(sealed) != newest_key_id();
}

const std::string& SecretBox::newest_key_id() const { return keys_.front().first; }

const std::string* SecretBox::KeyFor(absl::string_view id) const {
  for (const auto& [key_id, key] : keys_) {
    if (key_id == id) return &key;
  }
  return nullptr;
}

}  // namespace returns::crypto
