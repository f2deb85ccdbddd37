// The usage writer's settings: usageQueueMax (integer 100–1000000, default 10000) and
// usageDurability ("batched" by default, or "sync").
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "config/settings.hpp"

namespace {

using namespace routerly;
namespace json = boost::json;

std::string merge_error(const json::object& patch) {
  auto merged = config::merge_settings(config::default_settings(), patch);
  return merged ? std::string() : merged.error().message;
}

TEST(UsageSettings, Defaults) {
  const json::object d = config::default_settings();
  EXPECT_EQ(d.at("usageQueueMax").as_int64(), 10000);
  EXPECT_EQ(d.at("usageDurability").as_string(), "batched");
}

TEST(UsageSettings, QueueMaxRange) {
  for (int64_t n : {100, 10000, 1000000}) EXPECT_EQ(merge_error({{"usageQueueMax", n}}), "") << n;
  for (const json::value& bad : {json::value(99), json::value(1000001), json::value(-1), json::value("big"),
                                 json::value(500.5)})
    EXPECT_EQ(merge_error({{"usageQueueMax", bad}}), "field 'usageQueueMax' must be an integer from 100 to 1000000")
        << bad;
}

TEST(UsageSettings, DurabilityIsBatchedOrSync) {
  for (const char* ok : {"batched", "sync"}) {
    auto merged = config::merge_settings(config::default_settings(), json::object{{"usageDurability", ok}});
    ASSERT_TRUE(merged) << ok;
    EXPECT_EQ(merged->at("usageDurability").as_string(), ok);
  }
  for (const json::value& bad : {json::value("SYNC"), json::value("full"), json::value(true), json::value(1)}) {
    const std::string error = merge_error({{"usageDurability", bad}});
    EXPECT_NE(error.find("usageDurability"), std::string::npos) << bad;
    EXPECT_NE(error.find("batched"), std::string::npos) << error;
  }
}

}  // namespace
