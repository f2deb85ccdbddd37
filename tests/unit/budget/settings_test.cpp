// budgetAlertThreshold (issue 4): the percentage at which budget.threshold is sent.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "config/settings.hpp"

namespace routerly::budget {
namespace {

TEST(BudgetSettings, AlertThresholdDefaultsTo80AndIsValidated) {
  auto defaults = config::default_settings();
  EXPECT_EQ(defaults.at("budgetAlertThreshold").as_int64(), 80);
  auto ok = config::merge_settings(defaults, boost::json::parse(R"({"budgetAlertThreshold":90})"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->at("budgetAlertThreshold").as_int64(), 90);
  for (const char* bad : {R"({"budgetAlertThreshold":0})", R"({"budgetAlertThreshold":101})",
                          R"({"budgetAlertThreshold":"80"})"}) {
    auto rejected = config::merge_settings(defaults, boost::json::parse(bad));
    ASSERT_FALSE(rejected) << bad;
    EXPECT_NE(rejected.error().message.find("budgetAlertThreshold"), std::string::npos);
  }
}

}  // namespace
}  // namespace routerly::budget
