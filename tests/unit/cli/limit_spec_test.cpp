#include "cli/limit_spec.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace routerly::cli {
namespace {

namespace json = boost::json;

TEST(LimitSpec, ParsesCalendarPeriods) {
  auto s = parse_limit_spec("gpt-4o:cost:period:monthly:25.5");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->model_id, "gpt-4o");
  EXPECT_EQ(s->limit,
            json::parse(R"({"windowType":"period","period":"monthly","metric":"cost","value":25.5})"));
}

TEST(LimitSpec, ParsesRollingWindowsAndColonsInModelIds) {
  auto s = parse_limit_spec("ollama:llama3:calls:rolling:5:minute:100");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->model_id, "ollama:llama3");
  EXPECT_EQ(s->limit, json::parse(R"({"windowType":"rolling","rollingAmount":5,"rollingUnit":"minute",
                                       "metric":"calls","value":100.0})"));
}

TEST(LimitSpec, RejectsBadParts) {
  for (const char* bad :
       {"gpt:cost:period:fortnightly:1", "gpt:money:period:daily:1", "gpt:cost:period:daily:-1",
        "gpt:cost:rolling:0:day:1", "gpt:cost:rolling:2:decade:1", "gpt:cost:daily:1", ":cost:period:daily:1",
        "gpt:cost:period:daily:abc"}) {
    auto s = parse_limit_spec(bad);
    ASSERT_FALSE(s.has_value()) << bad;
    EXPECT_EQ(s.error().code, ErrorCode::validation_error);
    EXPECT_NE(s.error().message.find(bad), std::string::npos) << s.error().message;
  }
}

TEST(LimitRemoval, ParsesAndValidates) {
  auto r = parse_limit_removal("gpt-4o:calls:rolling");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->model_id, "gpt-4o");
  EXPECT_EQ(r->metric, "calls");
  EXPECT_EQ(r->window_type, "rolling");
  EXPECT_FALSE(parse_limit_removal("gpt-4o:calls:weekly").has_value());
  EXPECT_FALSE(parse_limit_removal("gpt-4o:coins:period").has_value());
}

}  // namespace
}  // namespace routerly::cli
