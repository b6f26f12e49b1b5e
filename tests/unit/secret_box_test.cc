#include "common/secret_box.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace returns::crypto {
namespace {

// Random test keys; their hex must never appear in an error message.
constexpr char kKey1Hex[] = "cfbf5a704e2c544cb684547b75ff73999e0fb1974744bf6fe75ff670484e99f3";
constexpr char kKey2Hex[] = "a2f02e15d5696fe71146954d3e0c0a730521c8efca961ec3b4c86922390b2cc0";
constexpr char kContext[] = "webhook_endpoints/m_1/e_1";

SecretBox Ring(const std::string& spec) {
  // value() throws on a refused spec, which the test reports with the status.
  return SecretBox::Parse(spec).value();
}

std::string Unescaped(const std::string& base64url) {
  std::string bytes;
  EXPECT_TRUE(absl::WebSafeBase64Unescape(base64url, &bytes));
  return bytes;
}

std::string K1Spec() { return absl::StrCat("k1:", kKey1Hex); }
std::string K2Spec() { return absl::StrCat("k2:", kKey2Hex); }

// The sealed value with its decoded body's byte at `index` flipped, re-encoded canonically so
// only the authentication can catch it.
std::string FlipByte(const std::string& sealed, size_t index) {
  size_t dot = sealed.rfind('.');
  std::string bytes;
  EXPECT_TRUE(absl::WebSafeBase64Unescape(sealed.substr(dot + 1), &bytes));
  bytes.at(index) = static_cast<char>(bytes.at(index) ^ 0x01);
  return absl::StrCat(sealed.substr(0, dot + 1), absl::WebSafeBase64Escape(bytes));
}

TEST(SecretBoxTest, RoundTrip) {
  SecretBox box = Ring(K1Spec());
  std::string sealed = box.Seal("whsec_0123456789abcdef", kContext);
  EXPECT_TRUE(absl::StartsWith(sealed, "sb1.k1.")) << sealed;
  EXPECT_FALSE(absl::StrContains(sealed, "whsec_"));
  EXPECT_FALSE(absl::StrContains(sealed, "="));
  EXPECT_EQ(SecretBox::KeyIdOf(sealed), "k1");
  std::string bytes;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(sealed.substr(7), &bytes));
  EXPECT_EQ(bytes.size(), 12 + 22 + 16u);  // nonce | ciphertext | tag
  absl::StatusOr<std::string> opened = box.Open(sealed, kContext);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "whsec_0123456789abcdef");
}

TEST(SecretBoxTest, EmptyPlaintextRoundTrips) {
  SecretBox box = Ring(K1Spec());
  std::string sealed = box.Seal("", kContext);
  absl::StatusOr<std::string> opened = box.Open(sealed, kContext);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "");
  // The tag still binds the context.
  EXPECT_EQ(box.Open(sealed, "webhook_endpoints/m_2/e_1").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(SecretBoxTest, BinaryPlaintextAndEmptyContextRoundTrip) {
  SecretBox box = Ring(K1Spec());
  const std::string plaintext = std::string("\0\x01\xff", 3) + " key";  // NUL and a high byte
  absl::StatusOr<std::string> opened = box.Open(box.Seal(plaintext, ""), "");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, plaintext);
}

TEST(SecretBoxTest, TwoSealsOfTheSamePlaintextDiffer) {
  SecretBox box = Ring(K1Spec());
  std::string a = box.Seal("carrier-api-key", kContext);
  std::string b = box.Seal("carrier-api-key", kContext);
  EXPECT_NE(a, b);
  EXPECT_EQ(box.Open(a, kContext).value(), "carrier-api-key");
  EXPECT_EQ(box.Open(b, kContext).value(), "carrier-api-key");
}

TEST(SecretBoxTest, WrongContextIsDataLoss) {
  SecretBox box = Ring(K1Spec());
  std::string sealed = box.Seal("whsec_abc", kContext);
  for (const char* other : {"webhook_endpoints/m_1/e_2", "webhook_endpoints/m_2/e_1", "",
                            "webhook_endpoints/m_1/e_1 "}) {
    absl::StatusOr<std::string> opened = box.Open(sealed, other);
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << other;
    EXPECT_FALSE(absl::StrContains(opened.status().message(), "whsec_abc"));
  }
}

TEST(SecretBoxTest, FlippedByteInNonceCiphertextOrTagIsDataLoss) {
  SecretBox box = Ring(K1Spec());
  std::string sealed = box.Seal("whsec_abc", kContext);
  const size_t size = 12 + 9 + 16;
  for (size_t index : {size_t{0}, size_t{11}, size_t{12}, size_t{20}, size_t{21}, size - 1}) {
    std::string tampered = FlipByte(sealed, index);
    ASSERT_NE(tampered, sealed);
    absl::StatusOr<std::string> opened = box.Open(tampered, kContext);
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << index;
    EXPECT_TRUE(absl::StrContains(opened.status().message(), "\"k1\"")) << opened.status();
  }
}

TEST(SecretBoxTest, TruncatedOrGarbageIsDataLoss) {
  SecretBox box = Ring(K1Spec());
  std::string sealed = box.Seal("whsec_abc", kContext);
  for (size_t length = 0; length < sealed.size(); ++length) {
    EXPECT_EQ(box.Open(sealed.substr(0, length), kContext).status().code(),
              absl::StatusCode::kDataLoss)
        << length;
  }
  std::string body = sealed.substr(7);
  std::vector<std::string> garbage = {
      "whsec_abc",
      "sb1.",
      "sb1..",
      "sb1.k1.",
      "sb1.k1.!!!!",
      "sb1.k1.AAAA",           // decodes, but too short for nonce and tag
      "sb2.k1." + body,        // unknown version
      "SB1.k1." + body,        //
      "sb1.k 1." + body,       // not an id
      "sb1.k1." + body + "=",  // padding is not the canonical form
      "sb1.k1." + body + " ",  //
      " sb1.k1." + body,       //
      "sb1.k1." + body.substr(0, 10) + "\n" + body.substr(10),
      "sb1.k1." + body + "AA",  // longer: the tag is read from the wrong place
      "sb1.k1." + absl::Base64Escape(Unescaped(body)),  // standard alphabet, padded
  };
  for (const std::string& value : garbage) {
    absl::StatusOr<std::string> opened = box.Open(value, kContext);
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << value;
  }
}

TEST(SecretBoxTest, RotationOpensOldValuesAndResealsUnderTheNewestKey) {
  SecretBox old_ring = Ring(K1Spec());
  std::string under_k1 = old_ring.Seal("whsec_rotate", kContext);
  EXPECT_FALSE(old_ring.NeedsReseal(under_k1));

  SecretBox rotated = Ring(absl::StrCat(K2Spec(), ",", K1Spec()));
  EXPECT_EQ(rotated.newest_key_id(), "k2");
  absl::StatusOr<std::string> opened = rotated.Open(under_k1, kContext);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "whsec_rotate");
  EXPECT_TRUE(rotated.NeedsReseal(under_k1));

  std::string under_k2 = rotated.Seal(*opened, kContext);
  EXPECT_EQ(SecretBox::KeyIdOf(under_k2), "k2");
  EXPECT_FALSE(rotated.NeedsReseal(under_k2));
  EXPECT_EQ(rotated.Open(under_k2, kContext).value(), "whsec_rotate");
  // The old ring, still running elsewhere during a rollout, lacks k2.
  EXPECT_EQ(old_ring.Open(under_k2, kContext).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(SecretBoxTest, RingWithoutTheKeyIsFailedPreconditionNamingIt) {
  std::string under_k1 = Ring(K1Spec()).Seal("whsec_gone", kContext);
  SecretBox k2_only = Ring(K2Spec());
  absl::StatusOr<std::string> opened = k2_only.Open(under_k1, kContext);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(opened.status().message(),
            "secret sealed under key \"k1\", which --secret_keys does not hold");
}

TEST(SecretBoxTest, SameIdWithAnotherKeyIsDataLoss) {
  std::string sealed = Ring(K1Spec()).Seal("whsec_abc", kContext);
  SecretBox other = Ring(absl::StrCat("k1:", kKey2Hex));
  EXPECT_EQ(other.Open(sealed, kContext).status().code(), absl::StatusCode::kDataLoss);
}

TEST(SecretBoxTest, KeyIdOfAndNeedsResealOfMalformedValues) {
  SecretBox box = Ring(K1Spec());
  EXPECT_EQ(SecretBox::KeyIdOf("sb1.k-1_A.AAAA"), "k-1_A");
  EXPECT_EQ(SecretBox::KeyIdOf(""), "");
  EXPECT_EQ(SecretBox::KeyIdOf("sb1.k1"), "");
  EXPECT_EQ(SecretBox::KeyIdOf("sb1.k1."), "");
  EXPECT_EQ(SecretBox::KeyIdOf("sb1..AAAA"), "");
  EXPECT_EQ(SecretBox::KeyIdOf("sb2.k1.AAAA"), "");
  EXPECT_EQ(SecretBox::KeyIdOf(absl::StrCat("sb1.", std::string(33, 'k'), ".AAAA")), "");
  EXPECT_TRUE(box.NeedsReseal(""));
  EXPECT_TRUE(box.NeedsReseal("plaintext-secret"));
}

TEST(SecretBoxTest, ParseAcceptsSpacesAroundEntriesAndUpperCaseHex) {
  absl::StatusOr<SecretBox> box = SecretBox::Parse(
      absl::StrCat(" k2:", absl::AsciiStrToUpper(kKey2Hex), " , ", K1Spec(), "\n"));
  ASSERT_TRUE(box.ok()) << box.status();
  EXPECT_EQ(box->newest_key_id(), "k2");
  // Upper- and lower-case hex are the same key.
  std::string sealed = box->Seal("whsec_abc", kContext);
  EXPECT_EQ(Ring(K2Spec()).Open(sealed, kContext).value(), "whsec_abc");
}

TEST(SecretBoxTest, ParseErrorsAreInvalidArgumentAndNeverEchoTheKey) {
  std::string key1(kKey1Hex);
  struct Case {
    std::string spec;
    std::string names;  // what the message must mention
  };
  std::vector<Case> cases = {
      {"", "empty"},
      {" , ", "entry 1 is empty"},
      {absl::StrCat(K1Spec(), ","), "entry 2 is empty"},
      {key1, "entry 1 is not of the form id:key"},
      {absl::StrCat("k1:", key1.substr(0, 63)), "63 characters"},
      {absl::StrCat("k1:", key1, "0"), "65 characters"},
      {absl::StrCat("k1:", key1.substr(0, 63), "g"), "not a hex digit"},
      {absl::StrCat("k1:", key1.substr(0, 62), " 0"), "not a hex digit"},
      {absl::StrCat("k1:0x", key1.substr(0, 62)), "not a hex digit"},
      {absl::StrCat(K1Spec(), ",k1:", kKey2Hex), "entry 2 repeats key id \"k1\""},
      {absl::StrCat(K2Spec(), ",", K1Spec(), ",", K1Spec()), "entry 3 repeats key id \"k1\""},
      {absl::StrCat(":", key1), "entry 1 has a bad key id"},
      {absl::StrCat("k 1:", key1), "entry 1 has a bad key id"},
      {absl::StrCat("k.1:", key1), "entry 1 has a bad key id"},
      {absl::StrCat("k/1:", key1), "entry 1 has a bad key id"},
      {absl::StrCat(std::string(33, 'k'), ":", key1), "entry 1 has a bad key id"},
      {absl::StrCat(K2Spec(), ",", key1, ":k1"), "entry 2 has a bad key id"},  // swapped
  };
  for (const Case& c : cases) {
    absl::StatusOr<SecretBox> box = SecretBox::Parse(c.spec);
    ASSERT_FALSE(box.ok()) << c.spec;
    EXPECT_EQ(box.status().code(), absl::StatusCode::kInvalidArgument) << c.spec;
    std::string message(box.status().message());
    EXPECT_TRUE(absl::StrContains(message, c.names)) << message;
    // No run of key hex at all: not the whole key, nor its start, middle or end.
    for (const char* key : {kKey1Hex, kKey2Hex}) {
      for (size_t start = 0; start + 8 <= 64; ++start) {
        EXPECT_FALSE(absl::StrContains(absl::AsciiStrToLower(message),
                                       absl::string_view(key).substr(start, 8)))
            << message;
      }
    }
  }
  // The longest id is accepted.
  EXPECT_TRUE(SecretBox::Parse(absl::StrCat(std::string(32, 'k'), ":", key1)).ok());
}

// A value sealed by another implementation of AES-256-GCM, so the format (nonce | ciphertext |
// tag, base64url without padding, the context as associated data) is pinned down independently
// of Seal. Made with Node's crypto module:
//   key   = 000102...1f (32 bytes), nonce = cafebabefacedbaddecaf888
//   c = crypto.createCipheriv("aes-256-gcm", key, nonce); c.setAAD("webhook_endpoints/m_1/e_1")
//   ct = c.update("whsec_known-answer") + c.final(); tag = c.getAuthTag()
//   "sb1.kat." + base64url(nonce | ct | tag)
// and cross-checked by decrypting it with Python's cryptography AESGCM.
TEST(SecretBoxTest, OpensAKnownAnswer) {
  SecretBox box = Ring("kat:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const std::string sealed =
      "sb1.kat.yv66vvrO263eyviI_cvTQ8klJHUpfDPwGnP6SGhSEM6_2gLbzZBezsmt35xckw";
  EXPECT_EQ(SecretBox::KeyIdOf(sealed), "kat");
  EXPECT_FALSE(box.NeedsReseal(sealed));
  absl::StatusOr<std::string> opened = box.Open(sealed, "webhook_endpoints/m_1/e_1");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "whsec_known-answer");
  EXPECT_EQ(box.Open(sealed, "webhook_endpoints/m_1/e_2").status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace returns::crypto
