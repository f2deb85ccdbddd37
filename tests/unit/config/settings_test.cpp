#include "config/settings.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace {

using namespace routerly;
namespace json = boost::json;

json::value parse(std::string_view text) {
  return json::parse(text);
}

// Merges `patch` into the defaults and returns the error message ("" on success).
std::string merge_error(std::string_view patch) {
  auto merged = config::merge_settings(config::default_settings(), parse(patch));
  if (merged) return "";
  EXPECT_EQ(merged.error().code, ErrorCode::validation_error);
  return merged.error().message;
}

TEST(Settings, Defaults) {
  auto d = config::default_settings();
  EXPECT_EQ(d.at("port").as_int64(), 3000);
  EXPECT_EQ(d.at("host").as_string(), "0.0.0.0");
  EXPECT_EQ(d.at("dashboardEnabled").as_bool(), true);
  EXPECT_EQ(d.at("defaultTimeoutMs").as_int64(), 30000);
  EXPECT_EQ(d.at("logLevel").as_string(), "info");
  EXPECT_EQ(d.at("publicUrl").as_string(), "http://localhost:3000");
  EXPECT_EQ(d.at("channel").as_string(), "latest");
  EXPECT_EQ(d.at("budgets"), json::array{});
  EXPECT_EQ(d.at("corsOrigins"), (json::array{"*"}));
  EXPECT_EQ(d.at("maxBodyBytes").as_int64(), 33554432);
  EXPECT_EQ(d.at("budgetAlertThreshold").as_int64(), 80);
  EXPECT_EQ(d.at("trustedProxies"), json::array{});
  EXPECT_EQ(d.size(), 15u);  // with usageQueueMax and usageDurability (usage_settings_test.cpp)
}

TEST(Settings, WithDefaultsKeepsStoredValuesAndExtras) {
  auto s = config::with_defaults(
      json::object{{"logLevel", "debug"}, {"telemetry", json::object{{"enabled", false}}}});
  EXPECT_EQ(s.at("logLevel").as_string(), "debug");
  EXPECT_EQ(s.at("port").as_int64(), 3000);
  EXPECT_TRUE(s.contains("telemetry"));
  EXPECT_EQ(config::with_defaults({}), config::default_settings());
}

TEST(Settings, MergeAppliesValidValues) {
  auto merged = config::merge_settings(
      config::default_settings(),
      parse(R"({"logLevel":"debug","port":8080,"host":"127.0.0.1","dashboardEnabled":false,
                "defaultTimeoutMs":60000,"publicUrl":"https://gw.example.com/base","channel":"stable",
                "corsOrigins":["https://a.example.com","http://localhost:5173"],"maxBodyBytes":1048576,
                "notifications":{"channels":[{"id":"c1","type":"webhook","url":"https://h.example/x"}]}})"));
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->at("logLevel").as_string(), "debug");
  EXPECT_EQ(merged->at("port").as_int64(), 8080);
  EXPECT_EQ(merged->at("host").as_string(), "127.0.0.1");
  EXPECT_EQ(merged->at("dashboardEnabled").as_bool(), false);
  EXPECT_EQ(merged->at("defaultTimeoutMs").as_int64(), 60000);
  EXPECT_EQ(merged->at("publicUrl").as_string(), "https://gw.example.com/base");
  EXPECT_EQ(merged->at("channel").as_string(), "stable");
  EXPECT_EQ(merged->at("corsOrigins").as_array().size(), 2u);
  EXPECT_EQ(merged->at("maxBodyBytes").as_int64(), 1048576);
  EXPECT_EQ(merged->at("notifications").at("channels").as_array()[0].at("url").as_string(),
            "https://h.example/x");
}

TEST(Settings, MergeKeepsKeysNotInPatch) {
  json::object current = config::default_settings();
  current["logLevel"] = "warn";
  auto merged = config::merge_settings(current, parse(R"({"port":4000})"));
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->at("logLevel").as_string(), "warn");
  EXPECT_EQ(merged->at("port").as_int64(), 4000);
}

TEST(Settings, IntegralDoublesAreIntegers) {
  auto merged = config::merge_settings({}, parse(R"({"defaultTimeoutMs":5000.0})"));
  ASSERT_TRUE(merged);
  EXPECT_TRUE(merged->at("defaultTimeoutMs").is_int64());
  EXPECT_EQ(merged->at("defaultTimeoutMs").as_int64(), 5000);
}

TEST(Settings, NullResetsToDefault) {
  json::object current{{"logLevel", "debug"}};
  auto merged = config::merge_settings(current, parse(R"({"logLevel":null})"));
  ASSERT_TRUE(merged);
  EXPECT_FALSE(merged->contains("logLevel"));
  EXPECT_EQ(config::with_defaults(*merged).at("logLevel").as_string(), "info");
}

TEST(Settings, PatchMustBeAnObject) {
  EXPECT_FALSE(config::merge_settings({}, parse("[1]")));
  EXPECT_FALSE(config::merge_settings({}, parse("\"x\"")));
}

TEST(Settings, UnknownKeyIsNamed) {
  EXPECT_EQ(merge_error(R"({"logLevel":"info","colour":"blue"})"), "field 'colour' is not a known setting");
}

TEST(Settings, LogLevelEnum) {
  for (const char* level : {"trace", "debug", "info", "warn", "error"}) {
    EXPECT_EQ(merge_error(std::string(R"({"logLevel":")") + level + "\"}"), "") << level;
  }
  EXPECT_EQ(merge_error(R"({"logLevel":"verbose"})"),
            "field 'logLevel' must be one of trace, debug, info, warn, error");
  EXPECT_EQ(merge_error(R"({"logLevel":3})"),
            "field 'logLevel' must be one of trace, debug, info, warn, error");
}

TEST(Settings, NumericRanges) {
  EXPECT_EQ(merge_error(R"({"port":0})"), "field 'port' must be an integer from 1 to 65535");
  EXPECT_EQ(merge_error(R"({"port":65536})"), "field 'port' must be an integer from 1 to 65535");
  EXPECT_EQ(merge_error(R"({"port":"80"})"), "field 'port' must be an integer from 1 to 65535");
  EXPECT_EQ(merge_error(R"({"port":65535})"), "");
  EXPECT_EQ(merge_error(R"({"defaultTimeoutMs":999})"),
            "field 'defaultTimeoutMs' must be an integer from 1000 to 3600000");
  EXPECT_EQ(merge_error(R"({"defaultTimeoutMs":3600001})"),
            "field 'defaultTimeoutMs' must be an integer from 1000 to 3600000");
  EXPECT_EQ(merge_error(R"({"defaultTimeoutMs":1500.5})"),
            "field 'defaultTimeoutMs' must be an integer from 1000 to 3600000");
  EXPECT_EQ(merge_error(R"({"maxBodyBytes":1023})"),
            "field 'maxBodyBytes' must be an integer from 1024 to 268435456");
  EXPECT_EQ(merge_error(R"({"maxBodyBytes":268435457})"),
            "field 'maxBodyBytes' must be an integer from 1024 to 268435456");
  EXPECT_EQ(merge_error(R"({"maxBodyBytes":268435456})"), "");
}

TEST(Settings, ShutdownGraceDefaultAndRange) {
  EXPECT_EQ(config::default_settings().at("shutdownGraceMs").as_int64(), 10000);
  EXPECT_EQ(merge_error(R"({"shutdownGraceMs":0})"), "");
  EXPECT_EQ(merge_error(R"({"shutdownGraceMs":600000})"), "");
  EXPECT_EQ(merge_error(R"({"shutdownGraceMs":-1})"),
            "field 'shutdownGraceMs' must be an integer from 0 to 600000");
  EXPECT_EQ(merge_error(R"({"shutdownGraceMs":"5s"})"),
            "field 'shutdownGraceMs' must be an integer from 0 to 600000");
}

TEST(Settings, StringsAndBooleans) {
  EXPECT_EQ(merge_error(R"({"host":""})"), "field 'host' must be a non-empty string");
  EXPECT_EQ(merge_error(R"({"dashboardEnabled":"yes"})"), "field 'dashboardEnabled' must be a boolean");
  EXPECT_EQ(merge_error(R"({"channel":5})"), "field 'channel' must be a non-empty string");
  EXPECT_EQ(merge_error(R"({"channel":"v1.2.3"})"), "");
}

TEST(Settings, PublicUrlMustBeHttp) {
  EXPECT_EQ(merge_error(R"({"publicUrl":"ftp://x.example"})"), "field 'publicUrl' must be an http(s) URL");
  EXPECT_EQ(merge_error(R"({"publicUrl":"localhost:3000"})"), "field 'publicUrl' must be an http(s) URL");
  EXPECT_EQ(merge_error(R"({"publicUrl":"http://"})"), "field 'publicUrl' must be an http(s) URL");
  EXPECT_EQ(merge_error(R"({"publicUrl":"http://10.0.0.1:8080"})"), "");
}

TEST(Settings, TrustedProxies) {
  EXPECT_EQ(merge_error(R"({"trustedProxies":[]})"), "");
  EXPECT_EQ(merge_error(R"({"trustedProxies":["10.0.0.0/8","192.0.2.7","fd00::/8","::1"]})"), "");
  EXPECT_NE(merge_error(R"({"trustedProxies":"10.0.0.0/8"})").find("field 'trustedProxies'"), std::string::npos);
  for (const char* bad : {R"(["10.0.0.1/8"])", R"(["proxy.example.com"])", R"(["10.0.0.0/33"])", R"([8])"}) {
    std::string patch = std::string(R"({"trustedProxies":["10.0.0.0/8",)") + (bad + 1) + "}";
    EXPECT_NE(merge_error(patch).find("field 'trustedProxies[1]'"), std::string::npos) << patch;
  }
  auto merged = config::merge_settings(config::default_settings(),
                                       json::parse(R"({"trustedProxies":["10.0.0.0/8","::1"]})"));
  ASSERT_TRUE(merged);
  auto ranges = config::trusted_proxies(*merged);
  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_TRUE(ranges[0].contains(*ip::parse("10.9.8.7")));
  EXPECT_TRUE(ranges[1].contains(*ip::parse("::1")));
  EXPECT_TRUE(config::trusted_proxies(config::default_settings()).empty());
}

TEST(Settings, CorsOrigins) {
  EXPECT_EQ(merge_error(R"({"corsOrigins":["*"]})"), "");
  EXPECT_EQ(merge_error(R"({"corsOrigins":[]})"), "");
  EXPECT_EQ(merge_error(R"({"corsOrigins":"*"})"), "field 'corsOrigins' must be an array of origins");
  EXPECT_NE(merge_error(R"({"corsOrigins":["https://ok.example","https://bad.example/path"]})")
                .find("field 'corsOrigins[1]'"),
            std::string::npos);
  EXPECT_NE(merge_error(R"({"corsOrigins":["example.com"]})").find("corsOrigins[0]"), std::string::npos);
  EXPECT_NE(merge_error(R"({"corsOrigins":[7]})").find("corsOrigins[0]"), std::string::npos);
}

TEST(Settings, BudgetsAreNormalised) {
  auto merged =
      config::merge_settings({}, parse(R"({"budgets":[{"metric":"cost","limit":100,"window":"month"},
                               {"metric":"calls","windowType":"rolling","rollingAmount":1,"rollingUnit":"minute","value":60}]})"));
  ASSERT_TRUE(merged) << merged.error().message;
  const auto& budgets = merged->at("budgets").as_array();
  ASSERT_EQ(budgets.size(), 2u);
  EXPECT_EQ(budgets[0], parse(R"({"metric":"cost","windowType":"period","period":"monthly","value":100})"));
  EXPECT_EQ(budgets[1].at("rollingUnit").as_string(), "minute");
  EXPECT_EQ(
      merge_error(
          R"({"budgets":[{"metric":"cost","limit":1,"window":"day"},{"metric":"money","limit":1,"window":"day"}]})"),
      "field 'budgets[1].metric' must be one of cost, calls, input_tokens, output_tokens, total_tokens");
  EXPECT_EQ(merge_error(R"({"budgets":{}})"), "field 'budgets' must be an array of limits");
}

TEST(Settings, NotificationsShape) {
  EXPECT_EQ(merge_error(R"({"notifications":[]})"),
            "field 'notifications' must be an object with a 'channels' array");
  EXPECT_EQ(merge_error(R"({"notifications":{"channels":{}}})"),
            "field 'notifications.channels' must be an array of objects");
  EXPECT_EQ(merge_error(R"({"notifications":{"channels":[{"provider":"webhook","url":"https://h.example/x"},3]}})"),
            "field 'notifications.channels[1]' must be an object");
  EXPECT_EQ(merge_error(R"({"notifications":{}})"), "");
}

TEST(Settings, TelemetryEnableCreatesInstallIdOnce) {
  auto enabled = config::merge_settings({}, parse(R"({"telemetry":{"enabled":true,"installId":"forged"}})"));
  ASSERT_TRUE(enabled) << enabled.error().message;
  const auto& t = enabled->at("telemetry").as_object();
  EXPECT_TRUE(t.at("enabled").as_bool());
  const std::string id(t.at("installId").as_string());
  EXPECT_EQ(id.size(), 36u);  // a UUID, not the client's value
  EXPECT_NE(id, "forged");

  json::object current = *enabled;
  current["telemetry"].as_object()["lastPingedVersion"] = "0.1.0";
  auto again = config::merge_settings(current, parse(R"({"telemetry":{"enabled":true}})"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->at("telemetry"),
            (json::object{{"enabled", true}, {"installId", id}, {"lastPingedVersion", "0.1.0"}}));

  auto disabled = config::merge_settings(current, parse(R"({"telemetry":{"enabled":false}})"));
  ASSERT_TRUE(disabled);
  EXPECT_EQ(disabled->at("telemetry"), (json::object{{"enabled", false}, {"installId", id}}));
}

TEST(Settings, TelemetryDisableWithoutHistoryHasEmptyInstallId) {
  auto disabled = config::merge_settings({}, parse(R"({"telemetry":{}})"));
  ASSERT_TRUE(disabled);
  EXPECT_EQ(disabled->at("telemetry"), (json::object{{"enabled", false}, {"installId", ""}}));
  EXPECT_EQ(merge_error(R"({"telemetry":true})"),
            "field 'telemetry' must be an object such as {\"enabled\": true}");
  EXPECT_EQ(merge_error(R"({"telemetry":{"enabled":"yes"}})"), "field 'telemetry.enabled' must be a boolean");
}

TEST(Settings, FirstInvalidFieldFailsTheWholePatch) {
  json::object current = config::default_settings();
  auto merged = config::merge_settings(current, parse(R"({"logLevel":"debug","port":-1})"));
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message, "field 'port' must be an integer from 1 to 65535");
  EXPECT_EQ(current.at("logLevel").as_string(), "info");
}

}  // namespace
