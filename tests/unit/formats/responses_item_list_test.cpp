#include "formats/responses_item_list.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace routerly::formats {
namespace {

namespace json = boost::json;

json::array ids_of(const json::object& page) {
  json::array ids;
  for (const auto& item : page.at("data").as_array()) ids.push_back(item.at("id"));
  return ids;
}

json::array five_items() {
  json::array items;
  for (int i = 0; i < 5; ++i) items.push_back(json::object{{"id", "i" + std::to_string(i)}, {"type", "message"}});
  return items;
}

TEST(ResponsesItemList, ItemsGetIdsAndStringContentBecomesATextPart) {
  json::array input = json::parse(R"([
    {"role":"user","content":"hi"},
    {"type":"message","role":"assistant","content":"earlier answer"},
    {"type":"function_call_output","call_id":"c1","output":"22C"},
    {"type":"message","id":"msg_own","role":"user","content":[{"type":"input_text","text":"x"}]}
  ])").as_array();
  json::array listed = listable_input_items(input, "resp_abc");
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[0], json::parse(
      R"({"role":"user","content":[{"type":"input_text","text":"hi"}],"type":"message","id":"msg_abc_in0"})"));
  EXPECT_EQ(listed[1].at("content").at(0).at("type"), "output_text");
  EXPECT_EQ(listed[1].at("id"), "msg_abc_in1");
  EXPECT_EQ(listed[2].at("id"), "fco_abc_in2");
  EXPECT_EQ(listed[2].at("output"), "22C");
  EXPECT_EQ(listed[3], input[3]);  // already listable: unchanged
}

TEST(ResponsesItemList, NewestFirstByDefaultAndPagesWithAfter) {
  auto query = item_page_query(std::string("2"), std::nullopt, std::nullopt, std::nullopt);
  ASSERT_TRUE(query);
  auto page = item_page(five_items(), *query);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->at("object"), "list");
  EXPECT_EQ(ids_of(*page), json::parse(R"(["i4","i3"])"));
  EXPECT_EQ(page->at("first_id"), "i4");
  EXPECT_EQ(page->at("last_id"), "i3");
  EXPECT_EQ(page->at("has_more"), true);

  query->after = "i3";
  page = item_page(five_items(), *query);
  ASSERT_TRUE(page);
  EXPECT_EQ(ids_of(*page), json::parse(R"(["i2","i1"])"));
  EXPECT_EQ(page->at("has_more"), true);
  query->after = "i1";
  page = item_page(five_items(), *query);
  ASSERT_TRUE(page);
  EXPECT_EQ(ids_of(*page), json::parse(R"(["i0"])"));
  EXPECT_EQ(page->at("has_more"), false);
}

TEST(ResponsesItemList, AscendingOrderBeforeCursorAndEmptyPages) {
  auto query = item_page_query(std::nullopt, std::string("asc"), std::nullopt, std::string("i4"));
  ASSERT_TRUE(query);
  EXPECT_EQ(query->limit, kItemPageDefault);
  auto page = item_page(five_items(), *query);
  ASSERT_TRUE(page);
  EXPECT_EQ(ids_of(*page), json::parse(R"(["i0","i1","i2","i3"])"));
  EXPECT_EQ(page->at("has_more"), false);

  query->limit = 2;  // backwards: the two nearest the cursor
  page = item_page(five_items(), *query);
  ASSERT_TRUE(page);
  EXPECT_EQ(ids_of(*page), json::parse(R"(["i2","i3"])"));
  EXPECT_EQ(page->at("has_more"), true);

  page = item_page(json::array{}, ItemPageQuery{});
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->at("data").as_array().empty());
  EXPECT_TRUE(page->at("first_id").is_null());
  EXPECT_TRUE(page->at("last_id").is_null());
  EXPECT_EQ(page->at("has_more"), false);
}

TEST(ResponsesItemList, BadQueriesNameTheParameter) {
  for (const char* limit : {"0", "101", "ten", "5x", "-1", ""}) {
    auto q = item_page_query(std::string(limit), std::nullopt, std::nullopt, std::nullopt);
    ASSERT_FALSE(q) << limit;
    EXPECT_EQ(q.error().code, ErrorCode::validation_error);
    EXPECT_TRUE(q.error().message.starts_with("limit:")) << q.error().message;
  }
  auto order = item_page_query(std::nullopt, std::string("newest"), std::nullopt, std::nullopt);
  ASSERT_FALSE(order);
  EXPECT_TRUE(order.error().message.starts_with("order:"));
  EXPECT_FALSE(item_page_query(std::nullopt, std::nullopt, std::string("a"), std::string("b")));

  ItemPageQuery unknown;
  unknown.after = "nope";
  auto page = item_page(five_items(), unknown);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::validation_error);
  EXPECT_NE(page.error().message.find("after: no item 'nope'"), std::string::npos);
}

}  // namespace
}  // namespace routerly::formats
