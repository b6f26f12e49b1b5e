#include "domain/exchange_token_codec.h"

#include <set>

#include <gtest/gtest.h>

namespace returns {
namespace {

const TokenSigningKey kOld{"k2025", std::string(32, 'o')};
const TokenSigningKey kNew{"k2026", std::string(32, 'n')};

TEST(ExchangeTokenCodecTest, IssuedTokensVerifyAndAreUnique) {
  auto codec = ExchangeTokenCodec::Create({kNew});
  ASSERT_TRUE(codec.ok());
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string token = codec->Issue();
    EXPECT_TRUE(codec->Verify(token)) << token;
    EXPECT_EQ(token.rfind("xt1.k2026.", 0), 0u);
    EXPECT_TRUE(seen.insert(token).second);
  }
}

TEST(ExchangeTokenCodecTest, FlippingAnyByteIsRefused) {
  auto codec = *ExchangeTokenCodec::Create({kNew});
  const std::string token = codec.Issue();
  for (size_t i = 0; i < token.size(); ++i) {
    for (char replacement : {'A', 'b', '0', '.', '_'}) {
      if (token[i] == replacement) continue;
      std::string tampered = token;
      tampered[i] = replacement;
      EXPECT_FALSE(codec.Verify(tampered)) << "byte " << i << " -> " << replacement;
    }
  }
  EXPECT_FALSE(codec.Verify(token + "A"));
  EXPECT_FALSE(codec.Verify(token.substr(1)));
  EXPECT_FALSE(codec.Verify(""));
}

TEST(ExchangeTokenCodecTest, KeysRotateWithoutInvalidatingLiveTokens) {
  auto before = *ExchangeTokenCodec::Create({kOld});
  const std::string old_token = before.Issue();
  // The new key signs; the old one still verifies.
  auto during = *ExchangeTokenCodec::Create({kNew, kOld});
  EXPECT_TRUE(during.Verify(old_token));
  const std::string new_token = during.Issue();
  EXPECT_EQ(new_token.rfind("xt1.k2026.", 0), 0u);
  // Once the old key is removed, its tokens are refused; the new ones live on.
  auto after = *ExchangeTokenCodec::Create({kNew});
  EXPECT_FALSE(after.Verify(old_token));
  EXPECT_TRUE(after.Verify(new_token));
}

TEST(ExchangeTokenCodecTest, ATokenNamingAnotherKeyWithTheSameTagIsRefused) {
  auto codec = *ExchangeTokenCodec::Create({kNew, kOld});
  std::string token = codec.Issue();
  std::string renamed = "xt1.k2025." + token.substr(10);
  EXPECT_FALSE(codec.Verify(renamed));
}

TEST(ExchangeTokenCodecTest, KeysAreCheckedAndParsed) {
  EXPECT_FALSE(ExchangeTokenCodec::Create({}).ok());
  EXPECT_FALSE(ExchangeTokenCodec::Create({{"UPPER", std::string(32, 'x')}}).ok());
  EXPECT_FALSE(ExchangeTokenCodec::Create({{"k1", "short"}}).ok());
  EXPECT_FALSE(ExchangeTokenCodec::Create({kNew, kNew}).ok());
  auto keys =
      ExchangeTokenCodec::ParseKeys("k2:" + std::string(64, 'a') + ",k1:" + std::string(64, 'b'));
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].id, "k2");
  EXPECT_EQ((*keys)[0].secret, std::string(32, '\xaa'));
  EXPECT_FALSE(ExchangeTokenCodec::ParseKeys("k1:zz").ok());
  EXPECT_FALSE(ExchangeTokenCodec::ParseKeys("k1").ok());
}

TEST(ExchangeTokenCodecTest, OnlyTheHashIsStored) {
  auto codec = *ExchangeTokenCodec::Create({kNew});
  const std::string token = codec.Issue();
  const std::string hash = ExchangeTokenCodec::Hash(token);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find(token.substr(10, 20)), std::string::npos);
}

}  // namespace
}  // namespace returns
