// Writes synthetic usage history through the store's real write path (Store::insert_usage, so
// the rollups are maintained exactly as in production) into the database a `routerly serve`
// would open. Rows are spread evenly over the `days` days before now (20 projects with 3
// tokens each, 8 models, the usage types and outcomes in realistic shares). Appends to an
// existing database. Prints how long the inserts took, how long the routing history's start-up
// read (the last 24 h of samples, Store::scan_usage_samples) takes on the result, and the
// median of 5 store queries behind an unfiltered 30-day GET /api/usage (aggregates + first page
// of 100, a window cutting hours at both ends), measured in-process; asserts nothing.
//   usage_scale_gen <database-path> <rows> [days=90] [seed=1]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace {

using namespace routerly;

constexpr int kProjects = 20;
constexpr int64_t kBatch = 5000;
constexpr int64_t kDayMs = 86'400'000;
const char* const kModels[] = {"openai/gpt-4o",          "openai/gpt-4o-mini",    "anthropic/claude-sonnet-4",
                               "anthropic/claude-haiku", "gemini/gemini-2.5-pro", "mistral/mistral-large",
                               "ollama/llama3",          "deepseek/deepseek-chat"};

store::UsageRow make_row(uint64_t seed, int64_t n, int64_t ts, std::mt19937_64& rng) {
  store::UsageRow r;
  char id[80];
  std::snprintf(id, sizeof id, "%08llx-%012llx-7000-8000-%012llx", static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(ts), static_cast<unsigned long long>(n));
  r.id = id;
  r.timestamp_ms = ts;
  const int project = static_cast<int>(rng() % kProjects);
  r.project_id = "proj-" + std::to_string(project);
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
    r.cached_input_tokens = static_cast<int64_t>(rng() % 200);
    r.cost = static_cast<double>(r.input_tokens * 3 + r.output_tokens * 15) / 1e6;
  } else {
    r.error_message = "upstream_error";
  }
  r.latency_ms = static_cast<int64_t>(rng() % 3000) + 50;
  r.stream = rng() % 2 == 0;
  r.trace_id = std::string(id).substr(0, 24);
  // A short trace, as the gateway writes one per call (the start-up must never read these).
  r.trace = boost::json::array{boost::json::object{{"panel", "request"}, {"message", "model:request"}},
                               boost::json::object{{"panel", "response"}, {"message", "model:success"}}};
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <database-path> <rows> [days=90] [seed=1]\n", argv[0]);
    return 2;
  }
  const int64_t rows = std::atoll(argv[2]);
  const int64_t days = argc > 3 ? std::atoll(argv[3]) : 90;
  const uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1;
  auto opened = store::open_sqlite(argv[1]);
  if (!opened) {
    std::fprintf(stderr, "cannot open %s: %s\n", argv[1], opened.error().message.c_str());
    return 1;
  }
  using namespace std::chrono;
  const int64_t now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  const int64_t start = now - days * kDayMs;
  std::mt19937_64 rng(seed);
  const auto began = steady_clock::now();
  std::vector<store::UsageRow> batch;
  for (int64_t n = 0; n < rows; ++n) {
    // Evenly over the window, oldest first, as a live gateway writes them.
    const int64_t ts = start + static_cast<int64_t>(static_cast<double>(n) / static_cast<double>(rows) *
                                                    static_cast<double>(now - start));
    batch.push_back(make_row(seed, n, ts, rng));
    if (static_cast<int64_t>(batch.size()) == kBatch || n + 1 == rows) {
      if (auto ok = (*opened)->insert_usage(batch); !ok) {
        std::fprintf(stderr, "insert failed: %s\n", ok.error().message.c_str());
        return 1;
      }
      batch.clear();
    }
  }
  const double seconds = duration<double>(steady_clock::now() - began).count();
  std::printf("inserted %lld rows over %lld days in %.1f s (%.1f µs per row)", static_cast<long long>(rows),
              static_cast<long long>(days), seconds, rows > 0 ? seconds * 1e6 / static_cast<double>(rows) : 0.0);
  const auto scan_began = steady_clock::now();
  int64_t samples = 0;
  auto scanned = (*opened)->scan_usage_samples(now - kDayMs, [&](const store::UsageSample&) { ++samples; });
  if (!scanned) {
    std::fprintf(stderr, "\nscan failed: %s\n", scanned.error().message.c_str());
    return 1;
  }
  std::printf("; routing-history read: %lld samples of the last 24 h in %.0f ms", static_cast<long long>(samples),
              duration<double, std::milli>(steady_clock::now() - scan_began).count());
  store::UsageQuery q;
  q.filter.from_ms = now - 30 * kDayMs + 123;
  q.filter.to_ms = now + kDayMs;
  q.limit = 100;
  std::vector<double> times;
  int64_t counted = 0;
  for (int i = 0; i < 5; ++i) {
    const auto began_query = steady_clock::now();
    auto r = (*opened)->query_usage(q);
    times.push_back(duration<double, std::milli>(steady_clock::now() - began_query).count());
    if (!r) {
      std::fprintf(stderr, "\nquery failed: %s\n", r.error().message.c_str());
      return 1;
    }
    counted = r->total_rows;
  }
  std::sort(times.begin(), times.end());
  std::printf("; store query, 30 days (%lld rows) + first page: %.1f ms\n", static_cast<long long>(counted), times[2]);
  return 0;
}
