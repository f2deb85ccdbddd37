#pragma once
// The aggregates of a usage query as both backends compute them: the query's window cut into
// pieces (usage_rollup_plan.hpp), each summed from its grain's rollups or from the rows, folded
// (usage_fold.hpp), then each project named by the slug of its newest row. The backend gives
// the three reads: fold_rows(filter, fold) sums the rows a filter selects, fold_rollups(filter,
// piece, fold) the rollup rows of a piece's grain, slug_of(project_id) looks up a slug.
#include <string>

#include "common/error.hpp"
#include "store/usage_fold.hpp"
#include "store/usage_rollup_plan.hpp"
#include "store/usage_rows.hpp"

namespace routerly::store {

// With from_rollups false (rollups not complete yet) every aggregate is summed from the rows.
template <typename FoldRows, typename FoldRollups, typename SlugOf>
Result<void> aggregate_usage(const UsageQuery& q, bool from_rollups, UsageQueryResult& out,
                             FoldRows&& fold_rows, FoldRollups&& fold_rollups, SlugOf&& slug_of) {
  const int64_t timeline_ms = q.timeline_bucket == "hour" ? kHourMs : kDayMs;
  const int64_t series_ms = q.series_bucket == "hour" ? kHourMs : kDayMs;
  UsageFold fold(timeline_ms, series_ms);
  if (!from_rollups) {
    if (auto ok = fold_rows(q.filter, fold); !ok) return ok;
  } else {
    const bool hourly = timeline_ms == kHourMs || series_ms == kHourMs;
    const bool full = !q.filter.token_id.empty() || !q.filter.type.empty();
    for (const WindowPiece& piece : plan_window(q.filter.from_ms, q.filter.to_ms, hourly, full)) {
      UsageFilter part = q.filter;
      part.from_ms = piece.from_ms;
      part.to_ms = piece.to_ms;
      auto ok = piece.grain ? fold_rollups(part, piece, fold) : fold_rows(part, fold);
      if (!ok) return ok;
    }
  }
  fold.finish(out);
  for (auto& [id, agg] : out.by_project) {
    Result<std::string> slug = slug_of(id);
    if (!slug) return std::unexpected(slug.error());
    agg.slug = std::move(*slug);
  }
  return {};
}

}  // namespace routerly::store
