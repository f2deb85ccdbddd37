// /api/usage, /api/usage/{id} and /api/traces/{traceId} over rows inserted into the real store.
#include "common/clock.hpp"
#include "fixture.hpp"

namespace routerly::admin::testing {
namespace {

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kJan1 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

class UsageApi : public AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    admin_ = token_of(setup_admin());
    put_doc(store::Collection::projects, json::object{{"id", "p1"}, {"name", "Alpha"}, {"slug", "alpha"}});
    put_doc(store::Collection::projects, json::object{{"id", "p2"}, {"name", "Beta"}, {"slug", "beta"}});
  }

  static store::UsageRow row(std::string id, int64_t ts, std::string project, std::string model,
                             double cost) {
    store::UsageRow r;
    r.id = std::move(id);
    r.timestamp_ms = ts;
    r.project_id = std::move(project);
    r.project_slug = r.project_id == "p1" ? "alpha" : "beta";
    r.token_id = "tok-" + r.project_id;
    r.model_id = std::move(model);
    r.provider = "openai";
    r.input_tokens = 100;
    r.output_tokens = 50;
    r.cost = cost;
    r.latency_ms = 100;
    return r;
  }

  // Two days of traffic over two projects: 6 rows, one error, one routing call, one embeddings.
  void insert_sample() {
    std::vector<store::UsageRow> rows{
        row("a1", kJan1 + 1 * kHour, "p1", "m-a", 0.5),   row("a2", kJan1 + 2 * kHour, "p1", "m-a", 0.25),
        row("a3", kJan1 + 3 * kHour, "p1", "m-b", 0.125), row("b1", kJan1 + 25 * kHour, "p2", "m-a", 1.0),
        row("b2", kJan1 + 26 * kHour, "p2", "m-b", 2.0),  row("b3", kJan1 + 27 * kHour, "p2", "m-b", 0),
    };
    rows[2].outcome = "error";
    rows[2].error_message = "upstream_error";
    rows[3].call_type = "routing";
    rows[4].type = "embeddings";
    rows[5].outcome = "timeout";
    rows[5].latency_ms = 700;
    rows[0].trace_id = rows[1].trace_id = "trace-1";
    rows[0].trace = json::parse(R"([{"panel":"request","message":"model:request","details":{}}])").as_array();
    rows[1].trace = json::parse(R"([{"panel":"request","message":"model:request","details":{}},
                                    {"panel":"response","message":"model:success","details":{}}])")
                        .as_array();
    ASSERT_TRUE(store_->insert_usage(rows));
  }

  json::object get(const std::string& target, const std::string& token) {
    auto r = call("GET", target, {}, token);
    EXPECT_EQ(r.status, 200u) << target << " " << r.body;
    return r.status == 200 ? body_of(r).as_object() : json::object();
  }
  static std::vector<std::string> record_ids(const json::object& o) {
    std::vector<std::string> ids;
    for (const auto& r : o.at("records").as_array()) ids.emplace_back(r.at("id").as_string());
    return ids;
  }
  static constexpr const char* kBothDays = "/api/usage?period=custom&from=2026-01-01&to=2026-01-02";
  std::string admin_;
};

using Ids = std::vector<std::string>;

TEST_F(UsageApi, SummaryByModelTimelineAndRecords) {
  insert_sample();
  auto v = get(kBothDays, admin_);
  EXPECT_EQ(v.at("summary"), json::parse(R"({"totalCost":3.75,"totalCalls":6,"successCalls":4,"errorCalls":2,
      "successRate":0.6667,"routingCalls":1,"completionCalls":5,"routingCost":1.0,"completionCost":2.75,
      "avgLatencyMs":200.0,"latencyP50Ms":100.5,"latencyP95Ms":701.0,"latencyP99Ms":701.0})"));
  EXPECT_EQ(v.at("byModel"), json::parse(R"({
      "m-a":{"calls":3,"inputTokens":300,"outputTokens":150,"cachedInputTokens":0,"cost":1.75,"errors":0},
      "m-b":{"calls":3,"inputTokens":300,"outputTokens":150,"cachedInputTokens":0,"cost":2.125,"errors":2}})"));
  EXPECT_EQ(v.at("timeline"), json::parse(R"([["2026-01-01",0.75],["2026-01-02",3.0]])"));
  EXPECT_EQ(record_ids(v), (Ids{"b3", "b2", "b1", "a3", "a2", "a1"}));
  EXPECT_EQ(v.at("pagination"), json::parse(R"({"page":1,"pageSize":100,"totalRecords":6,"totalPages":1})"));
  const auto& first = v.at("records").at(0).as_object();
  EXPECT_EQ(first.at("outcome"), "timeout");
  EXPECT_EQ(first.at("projectSlug"), "beta");
  EXPECT_EQ(first.at("tokenId"), "tok-p2");
  EXPECT_EQ(first.at("timestamp"), "2026-01-02T03:00:00.000Z");
  EXPECT_FALSE(first.contains("trace"));  // lists never carry traces

  // A date-only `to` covers that whole UTC day; `from` alone leaves the end open.
  EXPECT_EQ(
      get("/api/usage?period=custom&from=2026-01-01&to=2026-01-01", admin_).at("summary").at("totalCalls"),
      3);
  EXPECT_EQ(get("/api/usage?from=2026-01-02", admin_).at("summary").at("totalCalls"), 3);
  EXPECT_EQ(get("/api/usage?period=custom&from=2026-01-01T02:00:00Z&to=2026-01-01T03:00:00Z", admin_)
                .at("summary")
                .at("totalCalls"),
            2);  // instants: both ends inclusive
  EXPECT_EQ(get("/api/usage?period=all", admin_).at("summary").at("totalCalls"), 6);
  EXPECT_EQ(get("/api/usage", admin_).at("summary").at("totalCalls"), 0);  // default: this month
}

TEST_F(UsageApi, EveryFilter) {
  insert_sample();
  const std::string base = std::string(kBothDays) + "&";
  EXPECT_EQ(record_ids(get(base + "project=alpha", admin_)), (Ids{"a3", "a2", "a1"}));  // slug
  EXPECT_EQ(record_ids(get(base + "project=p2&model=m-b", admin_)), (Ids{"b3", "b2"}));
  EXPECT_EQ(record_ids(get(base + "projectId=p1&outcome=error", admin_)), (Ids{"a3"}));
  EXPECT_EQ(record_ids(get(base + "outcome=timeout", admin_)), (Ids{"b3"}));
  EXPECT_EQ(record_ids(get(base + "type=embeddings", admin_)), (Ids{"b2"}));
  EXPECT_EQ(record_ids(get(base + "callType=routing", admin_)), (Ids{"b1"}));
  EXPECT_EQ(record_ids(get(base + "token=tok-p1&order=asc", admin_)), (Ids{"a1", "a2", "a3"}));
  auto filtered = get(base + "model=m-a", admin_);
  EXPECT_EQ(filtered.at("summary").at("totalCalls"), 3);  // aggregates follow the filters
  EXPECT_EQ(filtered.at("byModel").as_object().size(), 1u);
  // Usage of a deleted project stays readable by id for those who may read every project.
  EXPECT_EQ(get(base + "projectId=gone", admin_).at("summary").at("totalCalls"), 0);

  for (const char* bad : {"outcome=failed", "type=pictures", "callType=other", "order=up", "limit=0",
                          "limit=1001", "offset=-1", "pageSize=201", "page=0"}) {
    auto r = call("GET", base + bad, {}, admin_);
    EXPECT_EQ(r.status, 400u) << bad;
    std::string name(bad, std::string_view(bad).find('='));
    EXPECT_NE(message(r).find("'" + name + "'"), std::string::npos) << r.body;
  }
  EXPECT_EQ(call("GET", base + "project=alpha&projectId=p2", {}, admin_).status, 400u);
  auto bad_date = call("GET", "/api/usage?period=custom&from=yesterday", {}, admin_);
  EXPECT_EQ(bad_date.status, 400u);
  EXPECT_NE(message(bad_date).find("'from'"), std::string::npos) << bad_date.body;
  EXPECT_NE(message(call("GET", "/api/usage?to=2026-13-01", {}, admin_)).find("'to'"), std::string::npos);
}

TEST_F(UsageApi, PageAndLimitOffset) {
  insert_sample();
  const std::string base = std::string(kBothDays) + "&";
  auto p2 = get(base + "page=2&pageSize=4", admin_);
  EXPECT_EQ(record_ids(p2), (Ids{"a2", "a1"}));
  EXPECT_EQ(p2.at("pagination"), json::parse(R"({"page":2,"pageSize":4,"totalRecords":6,"totalPages":2})"));
  EXPECT_EQ(p2.at("summary").at("totalCalls"), 6);  // aggregates are over all rows, not the page
  auto clamped = get(base + "page=9&pageSize=4", admin_);
  EXPECT_EQ(clamped.at("pagination").at("page"), 2);
  EXPECT_EQ(record_ids(clamped), (Ids{"a2", "a1"}));

  auto window = get(base + "limit=2&offset=2", admin_);
  EXPECT_EQ(record_ids(window), (Ids{"b1", "a3"}));
  EXPECT_EQ(window.at("pagination"),
            json::parse(R"({"page":2,"pageSize":2,"totalRecords":6,"totalPages":3})"));
  EXPECT_TRUE(get(base + "limit=2&offset=50", admin_).at("records").as_array().empty());
}

TEST_F(UsageApi, CursorWalksEveryRecordOnceAndOffsetStillWorksBesideIt) {
  insert_sample();
  const std::string base = std::string(kBothDays) + "&";
  for (const std::string order : {"desc", "asc"}) {
    Ids seen;
    std::string cursor;
    for (int pages = 0; pages < 10; ++pages) {
      auto page = get(base + "order=" + order + "&limit=4" + (cursor.empty() ? "" : "&cursor=" + cursor), admin_);
      EXPECT_EQ(page.at("pagination").at("totalRecords"), 6);
      for (const auto& id : record_ids(page)) seen.push_back(id);
      if (page.at("nextCursor").is_null()) break;
      cursor = std::string(page.at("nextCursor").as_string());
    }
    Ids expected{"b3", "b2", "b1", "a3", "a2", "a1"};
    if (order == "asc") std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(seen, expected) << order;
  }
  auto first = get(base + "limit=2", admin_);
  const std::string cursor(first.at("nextCursor").as_string());
  EXPECT_EQ(record_ids(get(base + "limit=2&offset=1&cursor=" + cursor, admin_)), (Ids{"a3", "a2"}));
  EXPECT_TRUE(get(base + "limit=100", admin_).at("nextCursor").is_null());  // the last page has no successor
  for (const char* bad : {"cursor=abc", "cursor=12_", "cursor=_3", "cursor=1_2_3", "cursor=-1_2"}) {
    auto r = call("GET", base + bad, {}, admin_);
    EXPECT_EQ(r.status, 400u) << bad;
    EXPECT_NE(message(r).find("'cursor'"), std::string::npos) << r.body;
  }
}

TEST_F(UsageApi, DailyPeriodHasHourlyTimelineCappedAtThirtyBuckets) {
  const int64_t now = clock::now_ms();
  std::vector<store::UsageRow> rows{row("now", now, "p1", "m", 0.5)};
  for (int day = 1; day <= 40; ++day)
    rows.push_back(row("old" + std::to_string(day), now - day * 86'400'000LL, "p1", "m", 1));
  ASSERT_TRUE(store_->insert_usage(rows));
  auto daily = get("/api/usage?period=daily", admin_);
  ASSERT_EQ(daily.at("timeline").as_array().size(), 1u);
  EXPECT_EQ(daily.at("timeline").at(0).at(0).as_string(), clock::iso_utc(now).substr(0, 13));
  auto all = get("/api/usage?period=all", admin_);
  EXPECT_EQ(all.at("summary").at("totalCalls"), 41);
  const auto& timeline = all.at("timeline").as_array();
  ASSERT_EQ(timeline.size(), 30u);  // the last 30 days of the 41
  EXPECT_EQ(timeline.back().at(0).as_string(), clock::iso_utc(now).substr(0, 10));
}

TEST_F(UsageApi, RecordAndTraceReads) {
  insert_sample();
  auto record = get("/api/usage/a1", admin_);
  EXPECT_EQ(record.at("id"), "a1");
  EXPECT_EQ(record.at("trace").as_array().size(), 1u);
  EXPECT_EQ(record.at("traceId"), "trace-1");
  EXPECT_EQ(error_code(call("GET", "/api/usage/nope", {}, admin_)), "not_found");

  auto trace = get("/api/traces/trace-1", admin_);
  EXPECT_EQ(trace.at("trace").as_array().size(), 2u);  // the fullest snapshot
  EXPECT_EQ(record_ids(trace), (Ids{"a1", "a2"}));
  EXPECT_FALSE(trace.at("records").at(0).as_object().contains("trace"));
  EXPECT_EQ(call("GET", "/api/traces/unknown", {}, admin_).status, 404u);
  EXPECT_EQ(call("GET", "/api/usage/a1").status, 401u);
}

TEST_F(UsageApi, MembersOnlySeeTheirProjects) {
  insert_sample();
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

  auto mine = get(kBothDays, analyst);
  EXPECT_EQ(record_ids(mine), (Ids{"a3", "a2", "a1"}));
  EXPECT_EQ(mine.at("summary").at("totalCalls"), 3);
  EXPECT_EQ(record_ids(get(std::string(kBothDays) + "&project=alpha", analyst)), (Ids{"a3", "a2", "a1"}));
  EXPECT_EQ(call("GET", std::string(kBothDays) + "&project=beta", {}, analyst).status, 404u);
  EXPECT_EQ(call("GET", std::string(kBothDays) + "&projectId=p2", {}, analyst).status, 404u);
  EXPECT_EQ(call("GET", std::string(kBothDays) + "&projectId=gone", {}, analyst).status, 404u);
  EXPECT_EQ(call("GET", "/api/usage/a1", {}, analyst).status, 200u);
  EXPECT_EQ(call("GET", "/api/usage/b1", {}, analyst).status, 404u);
  EXPECT_EQ(call("GET", "/api/traces/trace-1", {}, analyst).status, 200u);

  // Without any membership nothing is visible.
  create_user(admin_, "nobody@example.com", "password-1", "analyst");
  auto nobody = token_of(login("nobody@example.com", "password-1"));
  EXPECT_EQ(get(kBothDays, nobody).at("summary").at("totalCalls"), 0);
  EXPECT_EQ(call("GET", "/api/traces/trace-1", {}, nobody).status, 404u);
  // No report:read at all → 403.
  put_doc(store::Collection::roles,
          json::object{{"id", "none"}, {"name", "None"}, {"permissions", json::array{}}});
  create_user(admin_, "none@example.com", "password-1", "none");
  EXPECT_EQ(call("GET", "/api/usage", {}, token_of(login("none@example.com", "password-1"))).status, 403u);
}

TEST_F(UsageApi, ByProjectAndSeriesFollowFiltersAndBucket) {
  insert_sample();
  auto v = get(kBothDays, admin_);
  EXPECT_EQ(v.at("byProject"), json::parse(R"({
      "p1":{"slug":"alpha","calls":3,"inputTokens":300,"outputTokens":150,"cost":0.875,"errors":1},
      "p2":{"slug":"beta","calls":3,"inputTokens":300,"outputTokens":150,"cost":3.0,"errors":1}})"));
  EXPECT_EQ(v.at("series"), json::parse(R"([
      {"bucket":"2026-01-01","calls":3,"errors":1,"cost":0.875,"inputTokens":300,"outputTokens":150},
      {"bucket":"2026-01-02","calls":3,"errors":1,"cost":3.0,"inputTokens":300,"outputTokens":150}])"));

  auto hourly = get(std::string(kBothDays) + "&bucket=hour&project=beta", admin_);
  EXPECT_EQ(hourly.at("byProject").as_object().size(), 1u);
  const auto& series = hourly.at("series").as_array();
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[0], json::parse(R"({"bucket":"2026-01-02T01","calls":1,"errors":0,"cost":1.0,
      "inputTokens":100,"outputTokens":50})"));
  EXPECT_EQ(series[2].at("bucket"), "2026-01-02T03");
  EXPECT_EQ(series[2].at("errors"), 1);

  auto bad = call("GET", std::string(kBothDays) + "&bucket=week", {}, admin_);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(message(bad).find("'bucket'"), std::string::npos) << bad.body;
}

}  // namespace
}  // namespace routerly::admin::testing
