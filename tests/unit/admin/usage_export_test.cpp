// GET /api/usage/export: CSV quoting, NDJSON lines, filters and visibility.
#include <climits>
#include <set>
#include <sstream>

#include "fixture.hpp"

namespace routerly::admin::testing {
namespace {

constexpr int64_t kJan1 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

class UsageExport : public AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    admin_ = token_of(setup_admin());
    put_doc(store::Collection::projects, json::object{{"id", "p1"}, {"name", "Alpha"}, {"slug", "alpha"}});
    put_doc(store::Collection::projects, json::object{{"id", "p2"}, {"name", "Beta"}, {"slug", "beta"}});
    std::vector<store::UsageRow> rows;
    for (int i = 0; i < 3; ++i) {
      store::UsageRow r;
      r.id = "u" + std::to_string(i);
      r.timestamp_ms = kJan1 + i * 1000;
      r.project_id = i == 2 ? "p2" : "p1";
      r.project_slug = i == 2 ? "beta" : "alpha";
      r.model_id = "m";
      r.provider = "openai";
      r.input_tokens = 10 + i;
      r.cost = 0.5;
      r.trace = json::array{json::object{{"panel", "request"}}};
      rows.push_back(std::move(r));
    }
    rows[0].outcome = "error";
    rows[0].error_message = "bad \"thing\", then\nmore";
    ASSERT_TRUE(store_->insert_usage(rows));
  }
  static std::vector<std::string> lines(const std::string& body, std::string_view sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t end; (end = body.find(sep, start)) != std::string::npos; start = end + sep.size())
      out.push_back(body.substr(start, end - start));
    EXPECT_EQ(start, body.size()) << "body must end with a line separator";
    return out;
  }
  static constexpr const char* kRange = "period=custom&from=2026-01-01&to=2026-01-01";
  std::string admin_;
};

TEST_F(UsageExport, CsvHasHeaderAndQuotesSpecialCharacters) {
  auto r = call("GET", std::string("/api/usage/export?format=csv&") + kRange, {}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_TRUE(r.header("content-disposition").starts_with("attachment; filename=\"routerly-usage-"));
  EXPECT_TRUE(r.header("content-disposition").ends_with(".csv\""));
  // The quoted message holds a CRLF-free newline, so split records on CRLF.
  auto rows = lines(r.body, "\r\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(
      rows[0].starts_with("id,timestamp,projectId,projectSlug,tokenId,modelId,provider,type,callType,"
                          "outcome,inputTokens,"));
  EXPECT_TRUE(
      rows[1].starts_with("u0,2026-01-01T00:00:00.000Z,p1,alpha,,m,openai,chat,completion,error,10,"));
  EXPECT_NE(rows[1].find(",\"bad \"\"thing\"\", then\nmore\","), std::string::npos) << rows[1];
  EXPECT_TRUE(rows[3].starts_with("u2,"));               // oldest first
  EXPECT_EQ(r.body.find("request"), std::string::npos);  // no trace
  EXPECT_TRUE(last_exchange_streamed_);
  EXPECT_TRUE(last_exchange_complete_);
}

TEST_F(UsageExport, LargeExportsArriveInPagesWithEveryRowOnce) {
  // More rows than one page, many sharing a timestamp, so page boundaries fall inside ties.
  std::vector<store::UsageRow> rows;
  for (int i = 0; i < 4500; ++i) {
    store::UsageRow r;
    r.id = "big" + std::to_string(i);
    r.timestamp_ms = kJan1 + 5000 + (i / 7) * 10;
    r.project_id = "p1";
    r.project_slug = "alpha";
    r.model_id = "m";
    rows.push_back(std::move(r));
  }
  ASSERT_TRUE(store_->insert_usage(rows));
  for (const char* order : {"asc", "desc"}) {
    auto r = call("GET", std::string("/api/usage/export?format=ndjson&order=") + order + "&" + kRange, {}, admin_);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_TRUE(last_exchange_complete_);
    auto lines_out = lines(r.body, "\n");
    ASSERT_EQ(lines_out.size(), 4503u) << order;
    std::set<std::string> ids;
    int64_t previous = std::string(order) == "asc" ? 0 : INT64_MAX;
    for (const auto& line : lines_out) {
      auto v = json::parse(line).as_object();
      ids.insert(std::string(v.at("id").as_string()));
      const int64_t ts = clock::parse_iso(v.at("timestamp").as_string()).value_or(-1);
      if (std::string(order) == "asc") EXPECT_GE(ts, previous); else EXPECT_LE(ts, previous);
      previous = ts;
    }
    EXPECT_EQ(ids.size(), 4503u) << "every row exactly once";
  }
}

TEST_F(UsageExport, NdjsonIsOneRecordPerLineWithoutTrace) {
  auto r = call("GET", std::string("/api/usage/export?format=ndjson&order=desc&") + kRange, {}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/x-ndjson");
  EXPECT_TRUE(r.header("content-disposition").ends_with(".ndjson\""));
  auto rows = lines(r.body, "\n");
  ASSERT_EQ(rows.size(), 3u);
  std::vector<std::string> ids;
  for (const auto& line : rows) {
    auto v = json::parse(line).as_object();
    EXPECT_FALSE(v.contains("trace"));
    ids.emplace_back(v.at("id").as_string());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"u2", "u1", "u0"}));
  EXPECT_EQ(json::parse(rows[2]).at("errorMessage"), "bad \"thing\", then\nmore");
}

TEST_F(UsageExport, FiltersVisibilityAndBadFormat) {
  auto r = call("GET", std::string("/api/usage/export?format=ndjson&project=beta&") + kRange, {}, admin_);
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(lines(r.body, "\n").size(), 1u);
  auto empty =
      call("GET", "/api/usage/export?format=csv&period=custom&from=2025-01-01&to=2025-01-01", {}, admin_);
  ASSERT_EQ(empty.status, 200u);
  EXPECT_EQ(lines(empty.body, "\r\n").size(), 1u);  // header only

  auto bad = call("GET", std::string("/api/usage/export?format=xml&") + kRange, {}, admin_);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(message(bad).find("'format'"), std::string::npos);
  EXPECT_EQ(call("GET", "/api/usage/export?outcome=nope", {}, admin_).status, 400u);

  put_doc(store::Collection::roles,
          json::object{{"id", "analyst"}, {"name", "Analyst"}, {"permissions", json::array{"report:read"}}});
  auto user = create_user(admin_, "analyst@example.com", "password-1", "analyst");
  put_doc(
      store::Collection::projects,
      json::object{{"id", "p1"},
                   {"name", "Alpha"},
                   {"slug", "alpha"},
                   {"members", json::array{json::object{{"userId", user.at("id")}, {"role", "viewer"}}}}});
  auto analyst = token_of(login("analyst@example.com", "password-1"));
  auto mine = call("GET", std::string("/api/usage/export?format=ndjson&") + kRange, {}, analyst);
  ASSERT_EQ(mine.status, 200u);
  EXPECT_EQ(lines(mine.body, "\n").size(), 2u);  // only p1
  EXPECT_EQ(call("GET", std::string("/api/usage/export?project=beta&") + kRange, {}, analyst).status, 404u);
  EXPECT_EQ(call("GET", "/api/usage/export", {}, "").status, 401u);
}

}  // namespace
}  // namespace routerly::admin::testing
