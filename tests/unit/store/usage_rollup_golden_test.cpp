// Golden tests of the rollup-based aggregates, in both backends: over generated rows, for
// several filters, windows that cut hours and days, and both bucket sizes, query_usage must
// answer what summing the matching rows one by one answers (the reference below), also after a
// retention purge and (SQLite) after an upgrade from a store whose rows predate the rollups.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "backends.hpp"
#include "store/latency_histogram.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"
#include "store/usage_fold.hpp"

namespace {

using namespace routerly;
using store::UsageQuery;
using store::UsageQueryResult;
using store::UsageRow;

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 86'400'000;
constexpr int64_t kJan1 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

std::vector<UsageRow> generate(int count, uint64_t seed, const std::string& prefix) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::initializer_list<const char*> values) {
    return std::string(*(values.begin() + static_cast<std::ptrdiff_t>(rng() % values.size())));
  };
  std::set<int64_t> used;
  std::vector<UsageRow> rows;
  while (static_cast<int>(rows.size()) < count) {
    const int64_t ts = kJan1 - kDay + static_cast<int64_t>(rng() % static_cast<uint64_t>(5 * kDay));
    if (!used.insert(ts).second) continue;  // unique times: "the newest row" is well defined
    UsageRow r;
    r.id = prefix + std::to_string(rows.size());
    r.timestamp_ms = ts;
    r.project_id = pick({"p1", "p2", "p3"});
    r.project_slug = r.project_id + "-slug-" + std::to_string(rng() % 2);
    r.token_id = r.project_id + pick({"-a", "-b"});
    r.model_id = pick({"openai/gpt-4o", "anthropic/claude", "gemini/pro", "ollama/llama"});
    r.provider = "x";
    r.type = pick({"chat", "chat", "messages", "embeddings"});
    r.call_type = rng() % 5 == 0 ? "routing" : "completion";
    r.outcome = pick({"success", "success", "success", "error", "timeout", "budget_exceeded"});
    r.input_tokens = static_cast<int64_t>(rng() % 5000);
    r.output_tokens = static_cast<int64_t>(rng() % 800);
    r.cached_input_tokens = static_cast<int64_t>(rng() % 300);
    r.cost = static_cast<double>(rng() % 1'000'000) / 1e7;
    r.latency_ms = static_cast<int64_t>(rng() % 20'000);
    rows.push_back(std::move(r));
  }
  return rows;
}

bool matches(const store::UsageFilter& f, const UsageRow& r) {
  if (f.from_ms && r.timestamp_ms < *f.from_ms) return false;
  if (f.to_ms && r.timestamp_ms >= *f.to_ms) return false;
  if (!f.project_id.empty() && r.project_id != f.project_id) return false;
  if (f.project_in &&
      std::find(f.project_in->begin(), f.project_in->end(), r.project_id) == f.project_in->end())
    return false;
  auto eq = [](const std::string& want, const std::string& have) { return want.empty() || want == have; };
  return eq(f.model_id, r.model_id) && eq(f.outcome, r.outcome) && eq(f.type, r.type) &&
         eq(f.token_id, r.token_id) && eq(f.call_type, r.call_type);
}

// The row-by-row answer, written independently of the store's fold.
UsageQueryResult reference(const std::vector<UsageRow>& all, const UsageQuery& q) {
  const int64_t tl = q.timeline_bucket == "hour" ? kHour : kDay,
                se = q.series_bucket == "hour" ? kHour : kDay;
  UsageQueryResult out;
  std::map<int64_t, double> timeline;
  std::map<int64_t, store::SeriesPoint> series;
  double latency_sum = 0;
  store::LatencyHistogram latency;
  for (const UsageRow& r : all) {
    if (!matches(q.filter, r)) continue;
    const bool ok = r.outcome == "success", routing = r.call_type == "routing";
    auto& s = out.summary;
    ++s.total_calls;
    latency_sum += static_cast<double>(r.latency_ms);
    latency.add(r.latency_ms);
    auto& m = out.by_model[r.model_id];
    auto& p = out.by_project[r.project_id];
    auto& pt = series[r.timestamp_ms / se];
    m.calls++, p.calls++, pt.calls++;
    m.input_tokens += r.input_tokens, p.input_tokens += r.input_tokens, pt.input_tokens += r.input_tokens;
    m.output_tokens += r.output_tokens, p.output_tokens += r.output_tokens,
        pt.output_tokens += r.output_tokens;
    m.cached_input_tokens += r.cached_input_tokens;
    m.cost += r.cost, p.cost += r.cost, pt.cost += r.cost;
    if (routing) ++s.routing_calls;
    if (!ok) {
      m.errors++, p.errors++, pt.errors++;
      continue;
    }
    ++s.success_calls;
    s.total_cost += r.cost;
    if (routing) s.routing_cost += r.cost;
    timeline[r.timestamp_ms / tl] += r.cost;
  }
  auto& s = out.summary;
  s.completion_calls = s.total_calls - s.routing_calls;
  s.completion_cost = s.total_cost - s.routing_cost;
  s.avg_latency_ms = s.total_calls ? latency_sum / static_cast<double>(s.total_calls) : 0;
  s.latency_p50_ms = latency.percentile(0.5);
  s.latency_p95_ms = latency.percentile(0.95);
  s.latency_p99_ms = latency.percentile(0.99);
  out.total_rows = s.total_calls;
  for (auto& [id, agg] : out.by_project) {  // the slug of the project's newest row, any filter
    int64_t newest = -1;
    for (const UsageRow& r : all)
      if (r.project_id == id && r.timestamp_ms > newest) newest = r.timestamp_ms, agg.slug = r.project_slug;
  }
  for (auto& [b, cost] : timeline) out.timeline.emplace_back(store::bucket_key(b * tl, tl), cost);
  for (auto& [b, pt] : series) {
    out.series.push_back(pt);
    out.series.back().bucket = store::bucket_key(b * se, se);
  }
  return out;
}

void expect_close(double a, double b, const std::string& what) {
  EXPECT_NEAR(a, b, 1e-9 * std::max(1.0, std::abs(b))) << what;
}

void expect_same(const UsageQueryResult& got, const UsageQueryResult& want, const std::string& label) {
  SCOPED_TRACE(label);
  const auto &g = got.summary, &w = want.summary;
  EXPECT_EQ(got.total_rows, want.total_rows);
  EXPECT_EQ(g.total_calls, w.total_calls);
  EXPECT_EQ(g.success_calls, w.success_calls);
  EXPECT_EQ(g.routing_calls, w.routing_calls);
  EXPECT_EQ(g.completion_calls, w.completion_calls);
  expect_close(g.total_cost, w.total_cost, "totalCost");
  expect_close(g.routing_cost, w.routing_cost, "routingCost");
  expect_close(g.completion_cost, w.completion_cost, "completionCost");
  expect_close(g.avg_latency_ms, w.avg_latency_ms, "avgLatency");
  EXPECT_EQ(g.latency_p50_ms, w.latency_p50_ms);
  EXPECT_EQ(g.latency_p95_ms, w.latency_p95_ms);
  EXPECT_EQ(g.latency_p99_ms, w.latency_p99_ms);
  ASSERT_EQ(got.by_model.size(), want.by_model.size());
  for (const auto& [k, m] : want.by_model) {
    const auto& h = got.by_model.at(k);
    EXPECT_EQ(h.calls, m.calls) << k;
    EXPECT_EQ(h.errors, m.errors) << k;
    EXPECT_EQ(h.input_tokens, m.input_tokens) << k;
    EXPECT_EQ(h.output_tokens, m.output_tokens) << k;
    EXPECT_EQ(h.cached_input_tokens, m.cached_input_tokens) << k;
    expect_close(h.cost, m.cost, "model cost " + k);
  }
  ASSERT_EQ(got.by_project.size(), want.by_project.size());
  for (const auto& [k, p] : want.by_project) {
    const auto& h = got.by_project.at(k);
    EXPECT_EQ(h.slug, p.slug) << k;
    EXPECT_EQ(h.calls, p.calls) << k;
    EXPECT_EQ(h.errors, p.errors) << k;
    EXPECT_EQ(h.input_tokens, p.input_tokens) << k;
    EXPECT_EQ(h.output_tokens, p.output_tokens) << k;
    expect_close(h.cost, p.cost, "project cost " + k);
  }
  ASSERT_EQ(got.timeline.size(), want.timeline.size());
  for (std::size_t i = 0; i < want.timeline.size(); ++i) {
    EXPECT_EQ(got.timeline[i].first, want.timeline[i].first);
    expect_close(got.timeline[i].second, want.timeline[i].second, "timeline " + want.timeline[i].first);
  }
  ASSERT_EQ(got.series.size(), want.series.size());
  for (std::size_t i = 0; i < want.series.size(); ++i) {
    const auto &h = got.series[i], &p = want.series[i];
    EXPECT_EQ(h.bucket, p.bucket);
    EXPECT_EQ(h.calls, p.calls) << p.bucket;
    EXPECT_EQ(h.errors, p.errors) << p.bucket;
    EXPECT_EQ(h.input_tokens, p.input_tokens) << p.bucket;
    EXPECT_EQ(h.output_tokens, p.output_tokens) << p.bucket;
    expect_close(h.cost, p.cost, "series cost " + p.bucket);
  }
}

std::vector<std::pair<std::string, store::UsageFilter>> filters() {
  std::vector<std::pair<std::string, store::UsageFilter>> out;
  out.emplace_back("none", store::UsageFilter{});
  store::UsageFilter f;
  f.project_id = "p2";
  out.emplace_back("project", f);
  f = {};
  f.project_in = std::vector<std::string>{"p1", "p3"};
  out.emplace_back("project_in", f);
  f = {};
  f.model_id = "gemini/pro";
  out.emplace_back("model", f);
  f = {};
  f.outcome = "error";
  out.emplace_back("outcome", f);
  f = {};
  f.type = "messages";
  out.emplace_back("type", f);
  f = {};
  f.token_id = "p1-b";
  out.emplace_back("token", f);
  f = {};
  f.call_type = "routing";
  out.emplace_back("callType", f);
  f = {};
  f.token_id = "p3-a";
  f.model_id = "openai/gpt-4o";
  f.outcome = "success";
  out.emplace_back("token+model+outcome", f);
  return out;
}

std::vector<std::pair<std::string, std::pair<std::optional<int64_t>, std::optional<int64_t>>>> windows() {
  return {
      {"all", {std::nullopt, std::nullopt}},
      // Both ends well inside an hour, so that the raw-row edges hold rows.
      {"cuts hours and days",
       {kJan1 + 5 * kHour + 17 * 60'000 + 123, kJan1 + 2 * kDay + 7 * kHour + 41 * 60'000}},
      {"inside one hour", {kJan1 + kHour / 2, kJan1 + kHour / 2 + 20 * 60'000}},
      {"whole days", {kJan1, kJan1 + 2 * kDay}},
      {"open end", {kJan1 + 13 * kHour + 1, std::nullopt}},
  };
}

void compare_all(store::Store& s, const std::vector<UsageRow>& rows) {
  for (const auto& [wname, window] : windows()) {
    for (const auto& [fname, filter] : filters()) {
      for (const auto& [tl, se] : {std::pair{"day", "day"}, {"hour", "hour"}, {"hour", "day"}}) {
        UsageQuery q;
        q.filter = filter;
        q.filter.from_ms = window.first;
        q.filter.to_ms = window.second;
        q.timeline_bucket = tl;
        q.series_bucket = se;
        q.limit = 5;
        auto got = s.query_usage(q);
        ASSERT_TRUE(got) << got.error().message;
        expect_same(*got, reference(rows, q), wname + " / " + fname + " / " + tl + "," + se);
      }
    }
  }
}

class UsageRollupGolden : public StoreContract {};

TEST_P(UsageRollupGolden, RollupAnswersEqualRowByRowSums) {
  auto& s = *store_;
  ASSERT_TRUE(s.usage_rollups_ready());
  auto rows = generate(3000, 42, "g");
  for (std::size_t i = 0; i < rows.size(); i += 250)  // several insert batches, like the writer
    ASSERT_TRUE(s.insert_usage({rows.begin() + static_cast<std::ptrdiff_t>(i),
                                rows.begin() + static_cast<std::ptrdiff_t>(std::min(i + 250, rows.size()))}));
  compare_all(s, rows);

  // Retention with a cut-off inside an hour subtracts exactly the deleted rows.
  const int64_t cut = kJan1 + kDay + 3 * kHour + 17 * 60'000;
  auto purged = s.purge_usage_before(cut);
  ASSERT_TRUE(purged) << purged.error().message;
  std::erase_if(rows, [&](const UsageRow& r) { return r.timestamp_ms < cut; });
  EXPECT_GT(*purged, 0);
  compare_all(s, rows);
}

TEST_P(UsageRollupGolden, AggregatesOverWholeHoursComeFromTheRollups) {
  auto rows = generate(200, 3, "r");
  ASSERT_TRUE(store_->insert_usage(rows));
  // Remove the rows behind the store's back: whole hours still answer from the rollups, the
  // partial hour at the window's end (raw rows) no longer does.
  db_->exec("DELETE FROM usage");
  UsageQuery q;
  q.filter.from_ms = kJan1 - kDay;
  q.filter.to_ms = kJan1 + 4 * kDay;
  auto whole = store_->query_usage(q);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->summary.total_calls,
            static_cast<int64_t>(std::count_if(rows.begin(), rows.end(),
                                               [&](auto& r) { return r.timestamp_ms < kJan1 + 4 * kDay; })));
  EXPECT_TRUE(whole->rows.empty());
}

INSTANTIATE_FOR_EACH_BACKEND(UsageRollupGolden);

// The v2 schema's rows, written as a binary from before the rollups wrote them.
void write_old_store(const std::filesystem::path& path, const std::vector<UsageRow>& rows) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db,
                   "PRAGMA journal_mode=WAL; CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                   " applied_at INTEGER NOT NULL)",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  for (const auto& m : store::sqlite::migrations()) {
    if (m.version > 2) continue;
    ASSERT_EQ(sqlite3_exec(db, std::string(m.sql).c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    const std::string record = "INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", 1)";
    ASSERT_EQ(sqlite3_exec(db, record.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  }
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(
                db,
                "INSERT INTO usage VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'x', ?7, ?8, ?9, ?10, ?11, 0, 0, ?12,"
                " 0, 0, 0, 0, ?13, NULL, 0, ?14, '', '', '[]')",
                -1, &stmt, nullptr),
            SQLITE_OK);
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  for (const auto& r : rows) {
    sqlite3_reset(stmt);
    int i = 1;
    for (const std::string* text : {&r.id}) sqlite3_bind_text(stmt, i++, text->c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, i++, r.timestamp_ms);
    for (const std::string* text :
         {&r.project_id, &r.project_slug, &r.token_id, &r.model_id, &r.type, &r.call_type})
      sqlite3_bind_text(stmt, i++, text->c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, i++, r.input_tokens);
    sqlite3_bind_int64(stmt, i++, r.output_tokens);
    sqlite3_bind_int64(stmt, i++, r.cached_input_tokens);
    sqlite3_bind_double(stmt, i++, r.cost);
    sqlite3_bind_int64(stmt, i++, r.latency_ms);
    sqlite3_bind_text(stmt, i++, r.outcome.c_str(), -1, SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_DONE) << sqlite3_errmsg(db);
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST(UsageRollupGoldenSqlite, AnOldStoreUpgradesAndAnswersTheSameAfterTheBackfill) {
  TempDir dir;
  const auto path = dir.path() / "routerly.db";
  auto rows = generate(3000, 9, "old");
  write_old_store(path, rows);

  store::sqlite::SqliteOptions options;
  options.backfill_batch = 97;  // many batches
  options.backfill_delay = std::chrono::milliseconds(0);
  auto opened = store::sqlite::open_sqlite_store(path, options);
  ASSERT_TRUE(opened) << opened.error().message;
  auto& s = **opened;
  // Writes while the backfill runs: new rows are summed by their insert, purged rows leave
  // the sums whether or not the backfill had reached them.
  auto fresh = generate(400, 10, "new");
  ASSERT_TRUE(s.insert_usage(fresh));
  rows.insert(rows.end(), fresh.begin(), fresh.end());
  const int64_t cut = kJan1 - kDay + 5 * kHour + 1;
  ASSERT_TRUE(s.purge_usage_before(cut));
  std::vector<UsageRow> kept;
  const UsageRow* newest_old = &rows[0];  // the purge keeps the backfill's last row while it runs
  for (std::size_t i = 0; i < 3000; ++i) newest_old = &rows[i];
  bool last_kept = false;
  {
    auto got = s.get_usage(newest_old->id);
    ASSERT_TRUE(got);
    last_kept = got->has_value();
  }
  for (const auto& r : rows)
    if (r.timestamp_ms >= cut || (last_kept && &r == newest_old)) kept.push_back(r);

  compare_all(s, kept);  // exact whether answered from the rows or (after the backfill) the rollups
  ASSERT_TRUE(s.wait_for_rollups(std::chrono::seconds(30)));
  EXPECT_TRUE(s.usage_rollups_ready());
  compare_all(s, kept);

  // A restart finds the backfill done.
  opened->reset();
  auto again = store::sqlite::open_sqlite_store(path, options);
  ASSERT_TRUE(again);
  EXPECT_TRUE((*again)->usage_rollups_ready());
  compare_all(**again, kept);
}

}  // namespace
