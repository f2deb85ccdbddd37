#include "budget/resolve.hpp"

#include <boost/json/array.hpp>

namespace routerly::budget {

namespace json = boost::json;

namespace {

std::string_view text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

// Legacy `{daily?, weekly?, monthly?}` USD thresholds → cost period limits.
std::vector<LimitSpec> legacy_thresholds(const json::value* v) {
  std::vector<LimitSpec> out;
  if (v == nullptr || !v->is_object()) return out;
  for (std::string_view period : {"daily", "weekly", "monthly"}) {
    const json::value* n = v->as_object().if_contains(period);
    if (n == nullptr || !n->is_number()) continue;
    LimitSpec spec;
    spec.metric = "cost";
    spec.window.period = std::string(period);
    spec.value = n->to_number<double>();
    out.push_back(std::move(spec));
  }
  return out;
}

std::vector<LimitSpec> parse_list(const json::value* v) {
  std::vector<LimitSpec> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const json::value& item : v->as_array())
    if (item.is_object())
      if (auto spec = parse_limit(item.as_object())) out.push_back(std::move(*spec));
  return out;
}

// The limits of a level: `limits`, else the legacy thresholds object named `legacy`.
std::vector<LimitSpec> level_limits(const json::object& doc, std::string_view legacy) {
  auto limits = parse_list(doc.if_contains("limits"));
  if (limits.empty()) limits = legacy_thresholds(doc.if_contains(legacy));
  return limits;
}

struct Tagged {
  std::string level, name;
  LimitSpec spec;
};

// One step of §6.2 step 3 for the model reference `ref` (nullptr = level absent).
void apply_level(std::vector<Tagged>& list, const json::object* ref, const std::string& level,
                 const std::string& name) {
  if (ref == nullptr) return;
  std::string_view mode = text(*ref, "limitsMode");
  if (mode == "disable") {
    list.clear();
    return;
  }
  auto limits = level_limits(*ref, "thresholds");
  if (limits.empty()) return;  // transparent
  std::vector<Tagged> next;
  for (auto& spec : limits) next.push_back(Tagged{level, name, std::move(spec)});
  if (mode == "extend")
    for (auto& t : list) next.push_back(std::move(t));
  list = std::move(next);
}

// The entry for `model_id` in a `models` array of ids or {modelId, ...} objects.
const json::object* model_ref(const json::object& doc, std::string_view model_id) {
  const json::value* models = doc.if_contains("models");
  if (models == nullptr || !models->is_array()) return nullptr;
  for (const json::value& m : models->as_array())
    if (m.is_object() && text(m.as_object(), "modelId") == model_id) return &m.as_object();
  return nullptr;
}

}  // namespace

std::string global_scope() {
  return "g";
}
std::string project_scope(std::string_view project_id) {
  return "p:" + std::string(project_id);
}
std::string token_scope(std::string_view token_id) {
  return "t:" + std::string(token_id);
}
std::string project_model_scope(std::string_view project_id, std::string_view model_id) {
  return "pm:" + std::string(project_id) + '\x1f' + std::string(model_id);
}

std::vector<std::string> scopes_of(const store::UsageRow& row) {
  std::vector<std::string> out{global_scope()};
  if (!row.project_id.empty()) {
    out.push_back(project_scope(row.project_id));
    if (!row.model_id.empty()) out.push_back(project_model_scope(row.project_id, row.model_id));
  }
  if (!row.token_id.empty()) out.push_back(token_scope(row.token_id));
  return out;
}

std::vector<EffectiveLimit> effective_limits(const config::Snapshot& snap, std::string_view model_id,
                                             std::string_view project_id, std::string_view token_id) {
  std::vector<EffectiveLimit> out;
  const json::object* project = project_id.empty() ? nullptr : snap.project(project_id);
  const json::object* token = token_id.empty() ? nullptr : snap.token(token_id);
  // Rows carry the project's id; callers may pass the slug.
  const std::string pid = project != nullptr ? std::string(text(*project, "id")) : std::string(project_id);
  const std::string slug =
      project != nullptr && !text(*project, "slug").empty() ? std::string(text(*project, "slug")) : pid;

  for (auto& spec : parse_list(snap.settings.if_contains("budgets")))
    out.push_back(EffectiveLimit{"global", "global", global_scope(), std::move(spec)});
  if (project != nullptr)
    for (auto& spec : parse_list(project->if_contains("budgets")))
      out.push_back(EffectiveLimit{"project", slug, project_scope(pid), std::move(spec)});
  if (token != nullptr && text(*token, "limitsMode") != "disable")
    for (auto& spec : parse_list(token->if_contains("limits")))
      out.push_back(EffectiveLimit{"token", std::string(token_id), token_scope(token_id), std::move(spec)});

  if (pid.empty() || model_id.empty()) return out;
  std::vector<Tagged> list;
  if (const json::object* model = snap.model(model_id))
    for (auto& spec : level_limits(*model, "globalThresholds"))
      list.push_back(Tagged{"model", std::string(model_id), std::move(spec)});
  if (project != nullptr)
    apply_level(list, model_ref(*project, model_id), "project-model", slug + "/" + std::string(model_id));
  if (token != nullptr)
    apply_level(list, model_ref(*token, model_id), "token-model",
                std::string(token_id) + "/" + std::string(model_id));
  const std::string scope = project_model_scope(pid, model_id);
  for (auto& t : list)
    out.push_back(EffectiveLimit{std::move(t.level), std::move(t.name), scope, std::move(t.spec)});
  return out;
}

}  // namespace routerly::budget
