#include "cli/output.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "cli/api.hpp"
#include "cli/listing.hpp"

namespace routerly::cli {
namespace {

TEST(FormatTable, AlignsColumnsToTheWidestCell) {
  const std::string out = format_table({"id", "name"}, {{"a", "first"}, {"longer-id", "x"}});
  EXPECT_EQ(out,
            "ID         NAME\n"
            "a          first\n"
            "longer-id  x\n");
}

TEST(FormatTable, LeavesNoTrailingBlanksAfterAnEmptyLastCell) {
  const std::string out = format_table({"type", "config"}, {{"cheapest", ""}, {"health", "{}"}});
  EXPECT_EQ(out,
            "TYPE      CONFIG\n"
            "cheapest\n"
            "health    {}\n");
}

TEST(ErrorMessage, PrefersTheServersMessage) {
  EXPECT_EQ(error_message(404, R"({"error":"not_found","message":"Project not found"})"),
            "Project not found");
  EXPECT_EQ(error_message(502, "<html>bad gateway</html>"), "the server answered HTTP 502");
}

TEST(FieldText, RendersScalars) {
  boost::json::value v = boost::json::parse(R"({"s":"x","i":3,"b":true,"n":null,"d":1.5})");
  EXPECT_EQ(field_text(v, "s"), "x");
  EXPECT_EQ(field_text(v, "i"), "3");
  EXPECT_EQ(field_text(v, "b"), "yes");
  EXPECT_EQ(field_text(v, "n"), "");
  EXPECT_EQ(field_text(v, "missing"), "");
  EXPECT_EQ(field_text(v, "d"), "1.5");
}

TEST(SplitList, TrimsAndDropsEmptyParts) {
  EXPECT_EQ(split_list(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_list("").empty());
}

TEST(Urls, NormaliseAndEncode) {
  EXPECT_EQ(normalise_url("http://h:1//"), "http://h:1");
  EXPECT_EQ(url_encode("a b/ç"), "a%20b%2F%C3%A7");
}

}  // namespace
}  // namespace routerly::cli
