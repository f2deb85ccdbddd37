#pragma once
// Which limits apply to a call of (model, project, token) — SPEC §6.2 and §00 P10 — and which
// usage each one counts (its scope).
#include <string>
#include <string_view>
#include <vector>

#include "budget/window.hpp"
#include "config/snapshot.hpp"
#include "store/usage_rows.hpp"

namespace routerly::budget {

struct EffectiveLimit {
  std::string level;  // global | project | token | model | project-model | token-model
  std::string name;   // "global", project slug, token id, model id, "<slug>/<model>", "<token>/<model>"
  std::string scope;  // counter key: whose usage the limit counts
  LimitSpec spec;
};

// Scope keys. What each level counts:
//  * global → every row;  project → rows of the project;  token → rows of the token;
//  * model, project-model and token-model → rows of (project, model), pooled across the
//    project's tokens (SPEC §6.3): a model's own limit applies to each project separately, as
//    in REF, and a token-model limit caps the model's use by the whole project, not the token.
std::string global_scope();
std::string project_scope(std::string_view project_id);
std::string token_scope(std::string_view token_id);
std::string project_model_scope(std::string_view project_id, std::string_view model_id);

// The scopes a finished usage row counts in.
std::vector<std::string> scopes_of(const store::UsageRow& row);

// The effective limits:
//  * settings.budgets (global), project.budgets (project);
//  * token.limits per token.limitsMode: `disable` → the token has no budget of its own;
//    `replace` (default) and `extend` → token.limits apply. Outer levels are caps a token cannot
//    lift, so global and project budgets apply in every mode;
//  * the per-model list of §6.2: model.limits (or legacy globalThresholds), then the project's
//    pool entry, then the token's models[] entry, each with limitsMode replace|extend|disable
//    (legacy `thresholds` when `limits` is empty).
std::vector<EffectiveLimit> effective_limits(const config::Snapshot& snap, std::string_view model_id,
                                             std::string_view project_id, std::string_view token_id);

}  // namespace routerly::budget
