#include "store/postgres/usage_rollup.hpp"

#include <algorithm>
#include <charconv>

namespace routerly::store::postgres {

namespace {

constexpr std::size_t kColumns = 15;
constexpr std::size_t kChunk = 100;  // rows per upsert statement

// The upsert of `rows` keys; the sign is the last parameter.
std::string upsert_sql(std::size_t rows) {
  std::string sql =
      "INSERT INTO usage_rollup (grain, bucket_ms, project_id, model_id, call_type, outcome, token_id, type,"
      " calls, input_tokens, output_tokens, cached_input_tokens, cost, latency_sum_ms, latency_hist) VALUES ";
  sql += placeholder_rows(rows, kColumns);
  const std::string sign = "$" + std::to_string(rows * kColumns + 1);
  return sql +
         " ON CONFLICT (grain, bucket_ms, project_id, model_id, call_type, outcome, token_id, type) DO "
         "UPDATE SET"
         " calls = usage_rollup.calls + EXCLUDED.calls,"
         " input_tokens = usage_rollup.input_tokens + EXCLUDED.input_tokens,"
         " output_tokens = usage_rollup.output_tokens + EXCLUDED.output_tokens,"
         " cached_input_tokens = usage_rollup.cached_input_tokens + EXCLUDED.cached_input_tokens,"
         " cost = usage_rollup.cost + EXCLUDED.cost,"
         " latency_sum_ms = usage_rollup.latency_sum_ms + EXCLUDED.latency_sum_ms,"
         " latency_hist = routerly_hist_merge(usage_rollup.latency_hist, EXCLUDED.latency_hist, " +
         sign + "::integer)";
}

void add_key(Params& p, const RollupKey& k) {
  p.add(int64_t{k.grain}).add(k.bucket_ms).add(k.project_id).add(k.model_id).add(k.call_type).add(k.outcome);
  p.add(k.token_id).add(k.type);
}

}  // namespace

std::string histogram_array(const LatencyHistogram& histogram) {
  std::size_t used = LatencyHistogram::kBuckets;
  while (used > 0 && histogram.count(used - 1) == 0) --used;
  std::string out = "{";
  for (std::size_t i = 0; i < used; ++i) {
    if (i > 0) out += ',';
    out += std::to_string(histogram.count(i));
  }
  return out + "}";
}

LatencyHistogram parse_histogram_array(std::string_view text) {
  LatencyHistogram h;
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return h;
  const char* p = text.data() + 1;
  const char* end = text.data() + text.size() - 1;
  for (std::size_t bucket = 0; p < end && bucket < LatencyHistogram::kBuckets; ++bucket) {
    int64_t count = 0;
    auto [next, ec] = std::from_chars(p, end, count);
    if (ec != std::errc()) break;
    if (count > 0) h.add(LatencyHistogram::lower_bound(bucket), count);
    p = next < end && *next == ',' ? next + 1 : next;
  }
  return h;
}

Result<void> apply_delta(Connection& conn, const RollupDelta& delta, int sign) {
  auto it = delta.begin();
  while (it != delta.end()) {
    Params p;
    std::size_t n = 0;
    for (; it != delta.end() && n < kChunk; ++it, ++n) {
      const auto& [key, s] = *it;
      add_key(p, key);
      p.add(sign * s.calls)
          .add(sign * s.input_tokens)
          .add(sign * s.output_tokens)
          .add(sign * s.cached_input_tokens);
      p.add_real(sign * s.cost).add(sign * s.latency_sum_ms).add(histogram_array(s.latency));
    }
    p.add(int64_t{sign});
    if (auto ok = conn.command_rows(upsert_sql(n), p, n, kChunk); !ok) return ok;
  }
  if (sign > 0 || delta.empty()) return {};
  // Keys emptied by the subtraction go; only a subtraction empties one, and every key it
  // touched lies within the delta's buckets.
  int64_t from = delta.begin()->first.bucket_ms, to = from;
  for (const auto& entry : delta) {
    from = std::min(from, entry.first.bucket_ms);
    to = std::max(to, entry.first.bucket_ms);
  }
  Params range;
  range.add(from).add(to);
  return conn.command(
      "DELETE FROM usage_rollup WHERE grain IN (1, 2, 3) AND bucket_ms BETWEEN $1 AND $2 AND calls <= 0",
      range);
}

}  // namespace routerly::store::postgres
