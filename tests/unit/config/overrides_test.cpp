#include <gtest/gtest.h>

#include "config/settings.hpp"
#include "env_guard.hpp"

namespace {

using namespace routerly;

struct CleanEnv {
  EnvGuard host{"ROUTERLY_HOST", std::nullopt};
  EnvGuard port{"ROUTERLY_PORT", std::nullopt};
  EnvGuard url{"ROUTERLY_PUBLIC_URL", std::nullopt};
  EnvGuard level{"ROUTERLY_LOG_LEVEL", std::nullopt};
};

TEST(Overrides, NoneWhenUnsetOrEmpty) {
  CleanEnv clean;
  EnvGuard empty_host("ROUTERLY_HOST", "");
  auto o = config::overrides_from_env();
  ASSERT_TRUE(o);
  EXPECT_FALSE(o->host);
  EXPECT_FALSE(o->port);
  EXPECT_FALSE(o->public_url);
  EXPECT_FALSE(o->log_level);
  EXPECT_EQ(config::apply_overrides(config::default_settings(), *o), config::default_settings());
}

TEST(Overrides, ReadsAllFourAndAppliesThem) {
  CleanEnv clean;
  EnvGuard host("ROUTERLY_HOST", "127.0.0.1");
  EnvGuard port("ROUTERLY_PORT", "8443");
  EnvGuard url("ROUTERLY_PUBLIC_URL", "https://llm.example.com");
  EnvGuard level("ROUTERLY_LOG_LEVEL", "debug");
  auto o = config::overrides_from_env();
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->host, "127.0.0.1");
  EXPECT_EQ(o->port, 8443);
  EXPECT_EQ(o->public_url, "https://llm.example.com");
  EXPECT_EQ(o->log_level, "debug");

  auto effective = config::apply_overrides(config::default_settings(), *o);
  EXPECT_EQ(effective.at("host").as_string(), "127.0.0.1");
  EXPECT_EQ(effective.at("port").as_int64(), 8443);
  EXPECT_EQ(effective.at("publicUrl").as_string(), "https://llm.example.com");
  EXPECT_EQ(effective.at("logLevel").as_string(), "debug");
  EXPECT_EQ(effective.at("channel").as_string(), "latest");  // untouched
}

TEST(Overrides, InvalidPortIsNamed) {
  CleanEnv clean;
  for (const char* bad : {"0", "65536", "80a", "-1", "http", " 80"}) {
    EnvGuard port("ROUTERLY_PORT", bad);
    auto o = config::overrides_from_env();
    ASSERT_FALSE(o) << bad;
    EXPECT_EQ(o.error().code, ErrorCode::validation_error);
    EXPECT_NE(o.error().message.find("ROUTERLY_PORT"), std::string::npos);
  }
  EnvGuard port("ROUTERLY_PORT", "65535");
  EXPECT_TRUE(config::overrides_from_env());
}

TEST(Overrides, InvalidLogLevelAndUrlAreNamed) {
  CleanEnv clean;
  {
    EnvGuard level("ROUTERLY_LOG_LEVEL", "loud");
    auto o = config::overrides_from_env();
    ASSERT_FALSE(o);
    EXPECT_NE(o.error().message.find("ROUTERLY_LOG_LEVEL"), std::string::npos);
  }
  EnvGuard url("ROUTERLY_PUBLIC_URL", "not a url");
  auto o = config::overrides_from_env();
  ASSERT_FALSE(o);
  EXPECT_NE(o.error().message.find("ROUTERLY_PUBLIC_URL"), std::string::npos);
}

}  // namespace
