#include <gtest/gtest.h>
#include <sqlite3.h>
#include <algorithm>

#include <boost/json.hpp>

#include "backends.hpp"
#include "store/store.hpp"

namespace {

using namespace routerly;
using store::UsageRow;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kJan1 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

UsageRow row(std::string id, int64_t ts, std::string project, std::string model, double cost,
             std::string outcome = "success") {
  UsageRow r;
  r.id = std::move(id);
  r.timestamp_ms = ts;
  r.project_id = std::move(project);
  r.project_slug = r.project_id + "-slug";
  r.model_id = std::move(model);
  r.provider = "openai";
  r.cost = cost;
  r.outcome = std::move(outcome);
  r.input_tokens = 100;
  r.output_tokens = 10;
  r.latency_ms = 200;
  return r;
}

class UsageStore : public StoreContract {
 protected:
  store::UsageQueryResult query(store::UsageQuery q) {
    auto r = store_->query_usage(q);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : store::UsageQueryResult{};
  }
  static std::vector<std::string> ids(const store::UsageQueryResult& r) {
    std::vector<std::string> out;
    for (const auto& row : r.rows) out.push_back(row.id);
    return out;
  }
};

TEST_P(UsageStore, RoundTripsEveryField) {
  UsageRow r = row("u1", kJan1 + 5, "p1", "openai/gpt-4o", 0.000123456);
  r.token_id = "t1";
  r.type = "messages";
  r.call_type = "routing";
  r.cached_input_tokens = 30;
  r.cache_creation_input_tokens = 20;
  r.tokens_estimated = true;
  r.cost_input = 0.0001;
  r.cost_output = 0.000023456;
  r.price_input = 2.5;
  r.price_output = 10;
  r.ttft_ms = 42;
  r.stream = true;
  r.outcome = "timeout";
  r.error_message = "upstream timed out";
  r.trace_id = "trace-1";
  r.trace =
      boost::json::parse(R"([{"panel":"request","message":"model:request","details":{"a":1}}])").as_array();
  ASSERT_TRUE(store_->insert_usage({r}));

  auto got = store_->get_usage("u1");
  ASSERT_TRUE(got && *got);
  const UsageRow& g = **got;
  EXPECT_EQ(g.timestamp_ms, r.timestamp_ms);
  EXPECT_EQ(g.project_slug, "p1-slug");
  EXPECT_EQ(g.token_id, "t1");
  EXPECT_EQ(g.provider, "openai");
  EXPECT_EQ(g.type, "messages");
  EXPECT_EQ(g.call_type, "routing");
  EXPECT_EQ(g.cached_input_tokens, 30);
  EXPECT_EQ(g.cache_creation_input_tokens, 20);
  EXPECT_TRUE(g.tokens_estimated);
  EXPECT_DOUBLE_EQ(g.cost, 0.000123456);
  EXPECT_DOUBLE_EQ(g.cost_output, 0.000023456);
  EXPECT_DOUBLE_EQ(g.price_input, 2.5);
  EXPECT_EQ(g.ttft_ms, 42);
  EXPECT_TRUE(g.stream);
  EXPECT_EQ(g.outcome, "timeout");
  EXPECT_EQ(g.error_message, "upstream timed out");
  EXPECT_EQ(g.trace, r.trace);

  auto missing = store_->get_usage("nope");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_P(UsageStore, AbsentTtftStaysAbsent) {
  ASSERT_TRUE(store_->insert_usage({row("u1", kJan1, "p1", "m", 0)}));
  EXPECT_FALSE((*store_->get_usage("u1"))->ttft_ms.has_value());
}

TEST_P(UsageStore, BatchIsAllOrNothing) {
  ASSERT_TRUE(store_->insert_usage({row("dup", kJan1, "p1", "m", 0)}));
  auto failed = store_->insert_usage({row("fresh", kJan1, "p1", "m", 0), row("dup", kJan1, "p1", "m", 0)});
  EXPECT_FALSE(failed);
  EXPECT_FALSE(store_->get_usage("fresh")->has_value());  // rolled back with the duplicate
  EXPECT_TRUE(store_->insert_usage({}));
}

TEST_P(UsageStore, FiltersPagesNewestFirst) {
  std::vector<UsageRow> rows;
  for (int i = 0; i < 10; ++i) {
    auto r =
        row("r" + std::to_string(i), kJan1 + i * kHour, i % 2 == 0 ? "even" : "odd", i < 5 ? "a" : "b", 1);
    r.token_id = i % 3 == 0 ? "t3" : "tx";
    r.type = i == 9 ? "embeddings" : "chat";
    r.call_type = i == 8 ? "routing" : "completion";
    if (i == 7) r.outcome = "error";
    rows.push_back(r);
  }
  ASSERT_TRUE(store_->insert_usage(rows));

  store::UsageQuery q;
  q.limit = 3;
  auto all = query(q);
  EXPECT_EQ(all.total_rows, 10);
  EXPECT_EQ(ids(all), (std::vector<std::string>{"r9", "r8", "r7"}));
  q.offset = 8;
  EXPECT_EQ(ids(query(q)), (std::vector<std::string>{"r1", "r0"}));
  q.offset = 0;
  q.newest_first = false;
  EXPECT_EQ(ids(query(q)), (std::vector<std::string>{"r0", "r1", "r2"}));

  store::UsageQuery f;
  f.filter.project_id = "even";
  EXPECT_EQ(query(f).total_rows, 5);
  f.filter.model_id = "b";
  EXPECT_EQ(ids(query(f)), (std::vector<std::string>{"r8", "r6"}));
  f = {};
  f.filter.from_ms = kJan1 + 2 * kHour;
  f.filter.to_ms = kJan1 + 4 * kHour;  // [from, to)
  EXPECT_EQ(ids(query(f)), (std::vector<std::string>{"r3", "r2"}));
  f = {};
  f.filter.token_id = "t3";
  EXPECT_EQ(ids(query(f)), (std::vector<std::string>{"r9", "r6", "r3", "r0"}));
  f = {};
  f.filter.outcome = "error";
  EXPECT_EQ(ids(query(f)), (std::vector<std::string>{"r7"}));
  f = {};
  f.filter.type = "embeddings";
  EXPECT_EQ(ids(query(f)), (std::vector<std::string>{"r9"}));
  f = {};
  f.filter.call_type = "routing";
  EXPECT_EQ(ids(query(f)), (std::vector<std::string>{"r8"}));
  f = {};
  f.filter.project_in = std::vector<std::string>{"odd", "ghost"};
  EXPECT_EQ(query(f).total_rows, 5);
  f.filter.project_in = std::vector<std::string>{};
  auto none = query(f);
  EXPECT_EQ(none.total_rows, 0);
  EXPECT_TRUE(none.rows.empty());
  EXPECT_TRUE(none.by_model.empty());
}

TEST_P(UsageStore, KeysetWalkVisitsEveryRowOnceInBothOrders) {
  // Pairs of rows share a timestamp, so the walk must settle ties by insertion order.
  std::vector<UsageRow> rows;
  for (int i = 0; i < 7; ++i)
    rows.push_back(row("k" + std::to_string(i), kJan1 + (i / 2) * kHour, "p", "m", 1));
  ASSERT_TRUE(store_->insert_usage(rows));
  for (bool newest_first : {false, true}) {
    store::UsageQuery q;
    q.limit = 3;
    q.newest_first = newest_first;
    q.with_aggregates = false;
    std::vector<std::string> seen;
    for (int pages = 0; pages < 10; ++pages) {
      auto page = query(q);
      for (const auto& r : page.rows) seen.push_back(r.id);
      if (page.rows.size() < 3) {
        EXPECT_EQ(page.rows.empty(), !page.last.has_value());
        break;
      }
      ASSERT_TRUE(page.last);
      EXPECT_EQ(page.last->timestamp_ms, page.rows.back().timestamp_ms);
      q.after = page.last;
    }
    std::vector<std::string> expected{"k0", "k1", "k2", "k3", "k4", "k5", "k6"};
    if (newest_first) std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(seen, expected) << (newest_first ? "newest first" : "oldest first");
  }
}

TEST_P(UsageStore, AggregatesCoverAllFilteredRowsNotThePage) {
  std::vector<UsageRow> rows{
      row("s1", kJan1 + 1 * kHour, "p", "a", 0.5),
      row("s2", kJan1 + 1 * kHour + 10, "p", "a", 0.25),
      row("e1", kJan1 + 2 * kHour, "p", "a", 0.125, "error"),
      row("r1", kJan1 + kDay + 5, "p", "b", 1.0),
      row("t1", kJan1 + kDay + 6, "p", "b", 0, "timeout"),
  };
  rows[3].call_type = "routing";
  rows[0].cached_input_tokens = 7;
  rows[0].latency_ms = 100;
  rows[4].latency_ms = 700;
  ASSERT_TRUE(store_->insert_usage(rows));

  store::UsageQuery q;
  q.limit = 1;
  auto r = query(q);
  EXPECT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.total_rows, 5);
  EXPECT_EQ(r.summary.total_calls, 5);
  EXPECT_EQ(r.summary.success_calls, 3);
  EXPECT_EQ(r.summary.routing_calls, 1);
  EXPECT_EQ(r.summary.completion_calls, 4);
  EXPECT_DOUBLE_EQ(r.summary.total_cost, 1.75);  // success rows only
  EXPECT_DOUBLE_EQ(r.summary.routing_cost, 1.0);
  EXPECT_DOUBLE_EQ(r.summary.completion_cost, 0.75);
  EXPECT_DOUBLE_EQ(r.summary.avg_latency_ms, (100 + 200 + 200 + 200 + 700) / 5.0);

  ASSERT_EQ(r.by_model.size(), 2u);
  const auto& a = r.by_model.at("a");
  EXPECT_EQ(a.calls, 3);
  EXPECT_EQ(a.errors, 1);
  EXPECT_EQ(a.input_tokens, 300);
  EXPECT_EQ(a.output_tokens, 30);
  EXPECT_EQ(a.cached_input_tokens, 7);
  EXPECT_DOUBLE_EQ(a.cost, 0.875);  // all outcomes
  EXPECT_EQ(r.by_model.at("b").errors, 1);

  using Timeline = std::vector<std::pair<std::string, double>>;
  EXPECT_EQ(r.timeline, (Timeline{{"2026-01-01", 0.75}, {"2026-01-02", 1.0}}));
  q.timeline_bucket = "hour";
  EXPECT_EQ(query(q).timeline,
            (Timeline{{"2026-01-01T01", 0.75}, {"2026-01-02T00", 1.0}}));  // error-only hour absent

  q.with_aggregates = false;
  auto bare = query(q);
  EXPECT_EQ(bare.total_rows, 5);
  EXPECT_EQ(bare.summary.total_calls, 0);
  EXPECT_EQ(bare.rows.size(), 1u);
}

TEST_P(UsageStore, ByTraceAndSince) {
  auto first = row("a", kJan1 + 10, "p", "m", 0);
  first.trace_id = "T";
  first.trace = boost::json::array{1, 2};
  auto second = row("b", kJan1 + 20, "p", "m", 0);
  second.trace_id = "T";
  auto other = row("c", kJan1 + 30, "p", "m", 0);
  ASSERT_TRUE(store_->insert_usage({second, other, first}));

  auto traced = store_->usage_by_trace("T");
  ASSERT_TRUE(traced);
  ASSERT_EQ(traced->size(), 2u);
  EXPECT_EQ((*traced)[0].id, "a");  // oldest first
  EXPECT_EQ((*traced)[0].trace, (boost::json::array{1, 2}));
  EXPECT_TRUE(store_->usage_by_trace("none")->empty());
  EXPECT_TRUE(store_->usage_by_trace("")->empty());  // untraced rows are not one trace

  auto since = store_->usage_since(kJan1 + 20);
  ASSERT_TRUE(since);
  ASSERT_EQ(since->size(), 2u);
  EXPECT_EQ((*since)[0].id, "b");
  EXPECT_EQ((*since)[1].id, "c");
}

TEST(UsageStoreSqlite, ProjectDayPageUsesTheProjectIndex) {
  // The query plan, read through a second connection, proves the usage filters are index walks.
  TempDir dir;
  ASSERT_TRUE(store::open_sqlite(dir.path() / "routerly.db"));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "routerly.db").c_str(), &db), SQLITE_OK);
  auto plan = [&](const char* sql) {
    std::string out;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, (std::string("EXPLAIN QUERY PLAN ") + sql).c_str(), -1, &stmt, nullptr),
              SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW)
      out += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
    sqlite3_finalize(stmt);
    return out;
  };
  auto page = plan(
      "SELECT id FROM usage WHERE timestamp_ms >= 1 AND timestamp_ms < 2 AND project_id = 'p' "
      "ORDER BY timestamp_ms DESC, rowid DESC LIMIT 10");
  EXPECT_NE(page.find("usage_by_project"), std::string::npos) << page;
  EXPECT_EQ(page.find("TEMP B-TREE FOR ORDER BY"), std::string::npos) << page;  // no full sort
  EXPECT_NE(plan("SELECT id FROM usage WHERE model_id = 'm' AND timestamp_ms >= 1").find("usage_by_model"),
            std::string::npos);
  EXPECT_NE(plan("SELECT id FROM usage WHERE trace_id = 't'").find("usage_by_trace"), std::string::npos);
  sqlite3_close(db);
}

}  // namespace

namespace {

TEST_P(UsageStore, AggregatesByProjectAndSeriesInOnePass) {
  std::vector<UsageRow> rows{
      row("a1", kJan1 + 1 * kHour, "p1", "m", 0.5),
      row("a2", kJan1 + 1 * kHour + 10, "p1", "m", 0.25, "error"),
      row("a3", kJan1 + 3 * kHour, "p2", "m", 1.0),
      row("a4", kJan1 + kDay + 5, "p1", "n", 2.0, "timeout"),
  };
  rows[1].input_tokens = 50;
  rows[2].output_tokens = 40;
  rows[3].project_slug = "renamed";  // newest row of p1 names its slug
  ASSERT_TRUE(store_->insert_usage(rows));

  store::UsageQuery q;
  q.series_bucket = "hour";
  auto r = query(q);
  ASSERT_EQ(r.by_project.size(), 2u);
  const auto& p1 = r.by_project.at("p1");
  EXPECT_EQ(p1.slug, "renamed");
  EXPECT_EQ(p1.calls, 3);
  EXPECT_EQ(p1.errors, 2);
  EXPECT_EQ(p1.input_tokens, 250);
  EXPECT_EQ(p1.output_tokens, 30);
  EXPECT_DOUBLE_EQ(p1.cost, 2.75);  // all outcomes
  const auto& p2 = r.by_project.at("p2");
  EXPECT_EQ(p2.slug, "p2-slug");
  EXPECT_EQ(p2.calls, 1);
  EXPECT_EQ(p2.errors, 0);
  EXPECT_EQ(p2.output_tokens, 40);

  ASSERT_EQ(r.series.size(), 3u);
  EXPECT_EQ(r.series[0].bucket, "2026-01-01T01");
  EXPECT_EQ(r.series[0].calls, 2);
  EXPECT_EQ(r.series[0].errors, 1);
  EXPECT_EQ(r.series[0].input_tokens, 150);
  EXPECT_EQ(r.series[0].output_tokens, 20);
  EXPECT_DOUBLE_EQ(r.series[0].cost, 0.75);
  EXPECT_EQ(r.series[1].bucket, "2026-01-01T03");
  EXPECT_EQ(r.series[2].bucket, "2026-01-02T00");
  EXPECT_EQ(r.series[2].errors, 1);

  q.series_bucket = "day";
  q.filter.model_id = "m";
  r = query(q);
  ASSERT_EQ(r.series.size(), 1u);
  EXPECT_EQ(r.series[0].bucket, "2026-01-01");
  EXPECT_EQ(r.series[0].calls, 3);
  EXPECT_EQ(r.series[0].errors, 1);
  EXPECT_DOUBLE_EQ(r.series[0].cost, 1.75);
  EXPECT_EQ(r.by_project.at("p1").calls, 2);
  EXPECT_EQ(r.by_project.at("p1").slug, "renamed");  // slug is the project's, not the filter's
}

}  // namespace

namespace {

TEST_P(UsageStore, PurgeDeletesOnlyRowsBeforeTheCutOffInBatches) {
  std::vector<UsageRow> rows;
  for (int i = 0; i < 12'000; ++i) rows.push_back(row("old" + std::to_string(i), kJan1 + i, "p", "m", 0.001));
  rows.push_back(row("edge", kJan1 + 10 * kDay, "p", "m", 1));  // exactly at the cut-off: kept
  rows.push_back(row("new", kJan1 + 11 * kDay, "p", "m", 2));
  ASSERT_TRUE(store_->insert_usage(rows));

  auto purged = store_->purge_usage_before(kJan1 + 10 * kDay);  // several batches
  ASSERT_TRUE(purged) << purged.error().message;
  EXPECT_EQ(*purged, 12'000);
  store::UsageQuery q;
  q.newest_first = false;
  auto r = query(q);
  EXPECT_EQ(r.total_rows, 2);
  EXPECT_EQ(ids(r), (std::vector<std::string>{"edge", "new"}));
  EXPECT_FALSE(store_->get_usage("old0")->has_value());

  auto again = store_->purge_usage_before(kJan1 + 10 * kDay);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
}

INSTANTIATE_FOR_EACH_BACKEND(UsageStore);

}  // namespace
