// Fills a fresh SQLite store with synthetic usage rows (30 days, 20 projects, 8 models) and
// times the store queries behind GET /api/usage. Prints numbers; asserts nothing.
//   usage_query_bench <database-path> [rows]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace {

using namespace routerly;
using Clock = std::chrono::steady_clock;

constexpr int64_t kDayMs = 86'400'000;
constexpr int kDays = 30;
constexpr int kProjects = 20;
constexpr int kBatch = 10'000;
const char* const kModels[] = {"openai/gpt-4o",          "openai/gpt-4o-mini",    "anthropic/claude-sonnet-4",
                               "anthropic/claude-haiku", "gemini/gemini-2.5-pro", "mistral/mistral-large",
                               "ollama/llama3",          "deepseek/deepseek-chat"};

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string project_id(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "proj-%02d", i);
  return buf;
}

store::UsageRow make_row(int64_t n, int64_t ts, std::mt19937_64& rng) {
  store::UsageRow r;
  char id[40];
  std::snprintf(id, sizeof id, "0190%012llx-7000-8000-%012llx", static_cast<unsigned long long>(ts),
                static_cast<unsigned long long>(n));
  r.id = id;
  r.timestamp_ms = ts;
  const int project = static_cast<int>(rng() % kProjects);
  r.project_id = project_id(project);
  r.project_slug = "slug-" + std::to_string(project);
  r.token_id = "tok-" + std::to_string(project) + "-" + std::to_string(rng() % 3);
  r.model_id = kModels[rng() % std::size(kModels)];
  r.provider = r.model_id.substr(0, r.model_id.find('/'));
  const unsigned kind = rng() % 100;
  r.type = kind < 70 ? "chat" : kind < 85 ? "messages" : kind < 95 ? "responses" : "embeddings";
  r.call_type = rng() % 10 == 0 ? "routing" : "completion";
  const unsigned fate = rng() % 100;
  r.outcome = fate < 95 ? "success" : fate < 98 ? "error" : fate < 99 ? "timeout" : "budget_exceeded";
  if (r.outcome == "success") {
    r.input_tokens = static_cast<int64_t>(rng() % 4000) + 10;
    r.output_tokens = static_cast<int64_t>(rng() % 1000) + 1;
    r.cost = static_cast<double>(r.input_tokens * 3 + r.output_tokens * 15) / 1e6;
  } else {
    r.error_message = r.outcome == "error" ? "upstream_error" : r.outcome;
  }
  r.price_input = 3;
  r.price_output = 15;
  r.latency_ms = static_cast<int64_t>(rng() % 3000) + 50;
  r.stream = rng() % 2 == 0;
  r.trace_id = r.id;
  // A trace of realistic shape and size (a few hundred bytes).
  r.trace = boost::json::array{
      boost::json::object{{"panel", "router-request"},
                          {"message", "routing:start"},
                          {"details", boost::json::object{{"candidates", 2}, {"policies", "fallback"}}}},
      boost::json::object{{"panel", "request"},
                          {"message", "model:request"},
                          {"details", boost::json::object{{"modelId", r.model_id}, {"stream", r.stream}}}},
      boost::json::object{{"panel", "response"},
                          {"message", "model:success"},
                          {"details", boost::json::object{{"latencyMs", r.latency_ms},
                                                          {"inputTokens", r.input_tokens},
                                                          {"outputTokens", r.output_tokens}}}}};
  return r;
}

// Runs `query` `runs` times and prints the median and the fastest time.
void time_query(const char* label, int runs, const std::function<int64_t()>& query) {
  std::vector<double> times;
  int64_t rows = 0;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    rows = query();
    times.push_back(ms_since(start));
  }
  std::sort(times.begin(), times.end());
  std::printf("  %-58s median %9.2f ms   min %9.2f ms   (%lld rows matched)\n", label,
              times[times.size() / 2], times.front(), static_cast<long long>(rows));
}

int64_t must(const Result<store::UsageQueryResult>& r) {
  if (!r) {
    std::fprintf(stderr, "query failed: %s\n", r.error().message.c_str());
    std::exit(1);
  }
  return r->total_rows;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <database-path> [rows]\n", argv[0]);
    return 2;
  }
  const int64_t total = argc > 2 ? std::atoll(argv[2]) : 1'000'000;
  auto opened = store::open_sqlite(argv[1]);
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  store::Store& s = **opened;

  // Rows arrive in time order over the 30 days before `end`, as a live gateway writes them.
  const int64_t end = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
  const int64_t start = end - kDays * kDayMs;
  std::mt19937_64 rng(42);
  auto fill_start = Clock::now();
  std::vector<store::UsageRow> batch;
  for (int64_t n = 0; n < total; ++n) {
    batch.push_back(make_row(n, start + n * (kDays * kDayMs) / total, rng));
    if (static_cast<int64_t>(batch.size()) == kBatch || n + 1 == total) {
      if (auto ok = s.insert_usage(batch); !ok) {
        std::fprintf(stderr, "insert failed: %s\n", ok.error().message.c_str());
        return 1;
      }
      batch.clear();
    }
  }
  const double fill_ms = ms_since(fill_start);
  std::printf("filled %lld rows (%d days, %d projects, %zu models) in %.1f s: %.0f rows/s (batches of %d)\n",
              static_cast<long long>(total), kDays, kProjects, std::size(kModels), fill_ms / 1000,
              static_cast<double>(total) / (fill_ms / 1000), kBatch);

  const int64_t day15 = start + 15 * kDayMs;
  std::printf(
      "queries (page of 100 newest first + summary, by-model, by-project, timeline and series over all "
      "matches):\n");
  time_query("one project, one day (hourly timeline)", 20, [&] {
    store::UsageQuery q;
    q.filter.project_id = project_id(7);
    q.filter.from_ms = day15;
    q.filter.to_ms = day15 + kDayMs;
    q.timeline_bucket = "hour";
    q.series_bucket = "hour";
    return must(s.query_usage(q));
  });
  time_query("one project, one day, page 5 of 100", 20, [&] {
    store::UsageQuery q;
    q.filter.project_id = project_id(7);
    q.filter.from_ms = day15;
    q.filter.to_ms = day15 + kDayMs;
    q.offset = 400;
    q.timeline_bucket = "hour";
    q.series_bucket = "hour";
    return must(s.query_usage(q));
  });
  time_query("one model, one day", 10, [&] {
    store::UsageQuery q;
    q.filter.model_id = kModels[2];
    q.filter.from_ms = day15;
    q.filter.to_ms = day15 + kDayMs;
    q.timeline_bucket = "hour";
    q.series_bucket = "hour";
    return must(s.query_usage(q));
  });
  time_query("all projects, one day", 10, [&] {
    store::UsageQuery q;
    q.filter.from_ms = day15;
    q.filter.to_ms = day15 + kDayMs;
    q.timeline_bucket = "hour";
    q.series_bucket = "hour";
    return must(s.query_usage(q));
  });
  time_query("one project, whole month", 5, [&] {
    store::UsageQuery q;
    q.filter.project_id = project_id(7);
    q.filter.from_ms = start;
    q.filter.to_ms = end;
    return must(s.query_usage(q));
  });
  time_query("unfiltered, whole month (daily timeline)", 5, [&] {
    store::UsageQuery q;
    q.filter.from_ms = start;
    q.filter.to_ms = end;
    return must(s.query_usage(q));
  });
  time_query("unfiltered, whole month, outcome=error", 5, [&] {
    store::UsageQuery q;
    q.filter.from_ms = start;
    q.filter.to_ms = end;
    q.filter.outcome = "error";
    return must(s.query_usage(q));
  });
  time_query("unfiltered, whole month, page only (no aggregates)", 5, [&] {
    store::UsageQuery q;
    q.filter.from_ms = start;
    q.filter.to_ms = end;
    q.with_aggregates = false;
    return must(s.query_usage(q));
  });
  std::printf("single reads:\n");
  time_query("GET /api/usage/{id} (with trace)", 50, [&] {
    auto r = s.get_usage(make_row(0, start, rng).id);
    return static_cast<int64_t>(r && *r ? 1 : 0);
  });
  time_query("GET /api/traces/{traceId}", 50, [&] {
    auto r = s.usage_by_trace(make_row(0, start, rng).id);
    return static_cast<int64_t>(r ? r->size() : 0);
  });
  std::printf("retention:\n");
  {
    const auto t0 = std::chrono::steady_clock::now();
    auto purged = s.purge_usage_before(start + kDayMs);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!purged) {
      std::fprintf(stderr, "purge failed: %s\n", purged.error().message.c_str());
      return 1;
    }
    std::printf("  %-58s %9.2f ms   (%lld rows deleted in batches)\n", "purge the oldest day", ms,
                static_cast<long long>(*purged));
  }
  return 0;
}
