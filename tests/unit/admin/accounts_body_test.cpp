// Field readers of admin/body.hpp: every error names the field.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "admin/body.hpp"

namespace routerly::admin {
namespace {

namespace json = boost::json;

json::object obj(std::string_view text) {
  return json::parse(text).as_object();
}

TEST(AccountsBody, ParseObject) {
  http::Request req;
  EXPECT_EQ(parse_object(req).error().message, "request body must be a JSON object");
  req.body = "{\"a\":";
  auto bad = parse_object(req);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::validation_error);
  EXPECT_EQ(bad.error().message.rfind("request body is not valid JSON: ", 0), 0u);
  req.body = "\"text\"";
  EXPECT_EQ(parse_object(req).error().message, "request body must be a JSON object");
  req.body = R"({"a":1})";
  ASSERT_TRUE(parse_object(req));
  EXPECT_EQ(parse_object(req)->at("a").as_int64(), 1);
}

TEST(AccountsBody, Strings) {
  auto o = obj(R"({"s":"x","e":"","n":1,"z":null})");
  EXPECT_EQ(**opt_string(o, "s"), "x");
  EXPECT_FALSE(*opt_string(o, "missing"));
  EXPECT_FALSE(*opt_string(o, "z"));
  EXPECT_EQ(opt_string(o, "n").error().message, "field 'n' must be a string");
  EXPECT_EQ(*req_string(o, "s"), "x");
  EXPECT_EQ(req_string(o, "e").error().message, "field 'e' must be a non-empty string");
  EXPECT_EQ(req_string(o, "missing").error().message, "field 'missing' is required");
}

TEST(AccountsBody, Numbers) {
  auto o = obj(R"({"i":5,"f":2.5,"neg":-1,"whole":3.0,"s":"1","big":18446744073709551615})");
  EXPECT_EQ(**opt_number(o, "f"), 2.5);
  EXPECT_EQ(**opt_number(o, "i"), 5.0);
  EXPECT_EQ(opt_number(o, "neg").error().message, "field 'neg' must be a number >= 0");
  EXPECT_EQ(**opt_number(o, "neg", -10), -1.0);
  EXPECT_FALSE(opt_number(o, "s"));
  EXPECT_EQ(**opt_integer(o, "i"), 5);
  EXPECT_EQ(**opt_integer(o, "whole"), 3);
  EXPECT_EQ(opt_integer(o, "f").error().message, "field 'f' must be an integer >= 0");
  EXPECT_EQ(opt_integer(o, "i", 10).error().message, "field 'i' must be an integer >= 10");
  EXPECT_FALSE(opt_integer(o, "big"));
  EXPECT_FALSE(*opt_integer(o, "missing"));
}

TEST(AccountsBody, BoolsArraysObjectsEnums) {
  auto o = obj(R"({"b":true,"a":["x","y"],"mixed":["x",2],"o":{"k":1},"e":"daily"})");
  EXPECT_TRUE(**opt_bool(o, "b"));
  EXPECT_EQ(opt_bool(o, "a").error().message, "field 'a' must be a boolean");
  EXPECT_EQ(**opt_string_array(o, "a"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(opt_string_array(o, "mixed").error().message, "field 'mixed[1]' must be a string");
  EXPECT_EQ(opt_string_array(o, "b").error().message, "field 'b' must be an array of strings");
  EXPECT_EQ((*opt_array(o, "mixed"))->size(), 2u);
  EXPECT_EQ(opt_array(o, "o").error().message, "field 'o' must be an array");
  EXPECT_EQ((*opt_object(o, "o"))->at("k").as_int64(), 1);
  EXPECT_EQ(opt_object(o, "a").error().message, "field 'a' must be an object");
  EXPECT_EQ(**opt_enum(o, "e", {"daily", "weekly"}), "daily");
  EXPECT_EQ(opt_enum(o, "e", {"hourly", "weekly"}).error().message,
            "field 'e' must be one of: hourly, weekly");
}

TEST(AccountsBody, RespondUsesTheEnvelope) {
  auto r = respond({ErrorCode::conflict, "taken"});
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"error":"conflict","message":"taken"})"));
}

}  // namespace
}  // namespace routerly::admin
