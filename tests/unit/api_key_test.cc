#include "domain/api_key.h"

#include <set>

#include <gtest/gtest.h>

#include "common/enum_text.h"

namespace returns {
namespace {

TEST(ApiKeyTest, NewKeysRoundTripAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    ParsedApiKey key = NewApiKey();
    EXPECT_EQ(key.key_id.size(), 16u);
    EXPECT_EQ(key.secret.size(), 43u);
    std::string text = FormatApiKey(key);
    auto parsed = ParseApiKey(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(parsed->key_id, key.key_id);
    EXPECT_EQ(parsed->secret, key.secret);
    EXPECT_TRUE(seen.insert(text).second);
  }
}

TEST(ApiKeyTest, AuthorizationHeaderNeedsBearerAndAWellFormedKey) {
  std::string key = FormatApiKey(NewApiKey());
  EXPECT_TRUE(ParseAuthorizationHeader("Bearer " + key).has_value());
  EXPECT_FALSE(ParseAuthorizationHeader(key).has_value());
  EXPECT_FALSE(ParseAuthorizationHeader("bearer " + key).has_value());
  EXPECT_FALSE(ParseAuthorizationHeader("Bearer  " + key).has_value());
  EXPECT_FALSE(ParseAuthorizationHeader("Bearer " + key + " ").has_value());
  EXPECT_FALSE(ParseAuthorizationHeader("Basic dXNlcjpwYXNz").has_value());
  EXPECT_FALSE(ParseAuthorizationHeader("").has_value());
}

TEST(ApiKeyTest, MalformedKeysAreRefused) {
  std::string key = FormatApiKey(NewApiKey());
  EXPECT_FALSE(ParseApiKey(key.substr(1)).has_value());
  EXPECT_FALSE(ParseApiKey("xk" + key.substr(2)).has_value());
  std::string upper_id = key;
  upper_id[3] = 'A';
  EXPECT_FALSE(ParseApiKey(upper_id).has_value());
  std::string bad_separator = key;
  bad_separator[19] = '-';
  EXPECT_FALSE(ParseApiKey(bad_separator).has_value());
  std::string bad_secret = key;
  bad_secret.back() = '=';
  EXPECT_FALSE(ParseApiKey(bad_secret).has_value());
}

TEST(ApiKeyTest, SecretsAreStoredAsSha256Hex) {
  EXPECT_EQ(HashApiKeySecret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiKeyTest, RoleNamesRoundTrip) {
  for (auto role : {v1::API_KEY_ROLE_STOREFRONT, v1::API_KEY_ROLE_SUPPORT, v1::API_KEY_ROLE_ADMIN,
                    v1::API_KEY_ROLE_CARRIER}) {
    EXPECT_EQ(ParseEnum<v1::ApiKeyRole>(EnumText(role)), role);
  }
  EXPECT_EQ(EnumText(v1::API_KEY_ROLE_ADMIN), "ADMIN");  // the stored form
  EXPECT_EQ(ParseEnum<v1::ApiKeyRole>("UNSPECIFIED"), std::nullopt);
}

}  // namespace
}  // namespace returns
