#include <boost/json.hpp>

#include "cli/limit_spec.hpp"
#include "cli/listing.hpp"
#include "cli/output.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct TokenEditFlags {
  std::string project;
  std::string id;
  std::string labels;
  std::vector<std::string> add_limits;
  std::vector<std::string> remove_limits;
  std::string limits_mode;
};

// The token's per-model entries as objects ({modelId, limitsMode?, limits?}).
json::array model_entries(const json::value& token) {
  json::array out;
  const auto* models = token.is_object() ? token.as_object().if_contains("models") : nullptr;
  if (!models || !models->is_array()) return out;
  for (const auto& m : models->as_array()) {
    if (m.is_string()) {
      out.push_back(json::object{{"modelId", m}});
    } else if (m.is_object()) {
      out.push_back(m);
    }
  }
  return out;
}

json::object& entry_for(json::array& entries, const std::string& model_id) {
  for (auto& e : entries) {
    if (field_text(e, "modelId") == model_id) return e.as_object();
  }
  entries.push_back(json::object{{"modelId", model_id}});
  return entries.back().as_object();
}

json::array& limits_of(json::object& entry) {
  json::value& limits = entry["limits"];
  if (!limits.is_array()) limits = json::array();
  return limits.as_array();
}

int run_token_edit(const CommandContext& ctx, const TokenEditFlags& f) {
  // Every spec is checked before anything is sent.
  std::vector<LimitSpec> additions;
  for (const auto& spec : f.add_limits) {
    auto parsed = parse_limit_spec(spec);
    if (!parsed) return report_error(parsed.error());
    additions.push_back(std::move(*parsed));
  }
  std::vector<LimitRemoval> removals;
  for (const auto& spec : f.remove_limits) {
    auto parsed = parse_limit_removal(spec);
    if (!parsed) return report_error(parsed.error());
    removals.push_back(std::move(*parsed));
  }

  Api api(ctx.global);
  const std::string tokens_path = "/api/projects/" + url_encode(f.project) + "/tokens";
  auto tokens = api.call("GET", tokens_path);
  if (!tokens) return report_error(tokens.error());
  const json::value* token = nullptr;
  if (tokens->is_array()) {
    for (const auto& t : tokens->as_array()) {
      if (field_text(t, "id") == f.id) token = &t;
    }
  }
  if (!token) return report_error({ErrorCode::not_found, "project " + f.project + " has no token " + f.id});

  json::object body;
  if (!f.labels.empty()) {
    json::array labels;
    for (const auto& l : split_list(f.labels)) labels.emplace_back(l);
    body["labels"] = std::move(labels);
  }
  if (!additions.empty() || !removals.empty() || !f.limits_mode.empty()) {
    json::array entries = model_entries(*token);
    for (const auto& add : additions) {
      json::object& entry = entry_for(entries, add.model_id);
      limits_of(entry).push_back(add.limit);
      if (!f.limits_mode.empty()) entry["limitsMode"] = f.limits_mode;
    }
    for (const auto& rm : removals) {
      json::object& entry = entry_for(entries, rm.model_id);
      json::array& limits = limits_of(entry);
      const auto before = limits.size();
      json::array kept;
      for (const auto& l : limits) {
        if (field_text(l, "metric") != rm.metric || field_text(l, "windowType") != rm.window_type)
          kept.push_back(l);
      }
      if (kept.size() == before) {
        return report_error({ErrorCode::not_found, "token " + f.id + " has no " + rm.metric + " " +
                                                       rm.window_type + " limit on " + rm.model_id});
      }
      limits = std::move(kept);
    }
    if (!f.limits_mode.empty() && additions.empty()) {
      for (auto& e : entries) e.as_object()["limitsMode"] = f.limits_mode;
    }
    body["models"] = std::move(entries);
  }
  const json::value value = std::move(body);
  return run_change(ctx, "PUT", tokens_path + "/" + url_encode(f.id), &value,
                    [](const json::value& t) { return "Updated token " + field_text(t, "id"); });
}

}  // namespace

void register_token_edit_command(CLI::App& token, const std::shared_ptr<CommandContext>& ctx) {
  auto f = std::make_shared<TokenEditFlags>();
  auto* edit = token.add_subcommand("edit", "Change a token's labels and per-model limits");
  edit->add_option("project", f->project, "Project slug or id")->required();
  edit->add_option("id", f->id, "Token id")->required();
  edit->add_option("--labels", f->labels, "Comma-separated labels (replaces the list)");
  edit->add_option("--add-limit", f->add_limits,
                   "<model>:<metric>:period:<period>:<value> or <model>:<metric>:rolling:<n>:<unit>:<value>");
  edit->add_option("--remove-limit", f->remove_limits, "<model>:<metric>:<period|rolling>");
  edit->add_option("--limits-mode", f->limits_mode, "replace, extend or disable")
      ->check(CLI::IsMember({"replace", "extend", "disable"}));
  edit->callback([ctx, f] { ctx->action = [ctx, f] { return run_token_edit(*ctx, *f); }; });
}

}  // namespace routerly::cli
