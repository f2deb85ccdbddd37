#include "admin/project_input.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "admin/body.hpp"
#include "admin/catalog_docs.hpp"
#include "config/limits.hpp"
#include "routing/validate.hpp"

namespace routerly::admin::projects {

namespace json = boost::json;
using catalog::indexed;
using catalog::invalid;
using catalog::text;
using catalog::within;

namespace {

constexpr std::size_t kMaxSlugLength = 64;
constexpr int64_t kMinTimeoutMs = 1000;
constexpr int64_t kMaxTimeoutMs = 3600000;

constexpr std::string_view kPolicyTypes[] = {
    "context",    "cheapest",   "health",   "performance",      "llm",
    "capability", "rate-limit", "fairness", "budget-remaining", "semantic-intent"};

bool present(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && !v->is_null();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(kSpace);
  return std::string(s.substr(begin, end - begin + 1));
}

// Another project (not `self_id`) already has this slug, or this slug as its id.
bool slug_taken(const store::ConfigDocuments& docs, std::string_view slug, std::string_view self_id) {
  return std::any_of(docs.projects.begin(), docs.projects.end(), [&](const json::object& p) {
    return text(p, "id") != self_id && (text(p, "slug") == slug || text(p, "id") == slug);
  });
}

Result<void> apply_name(json::object& project, const json::object& body, const store::ConfigDocuments& docs,
                        bool creating) {
  if (creating) {
    if (auto required = req_string(body, "name"); !required) return std::unexpected(required.error());
  }
  auto raw = opt_string(body, "name");
  if (!raw) return std::unexpected(raw.error());
  if (!*raw) return {};
  std::string name = trim(**raw);
  if (name.empty()) return invalid("name", "must be a non-empty string");
  std::string key = lower(name);
  std::string_view self_id = text(project, "id");
  for (const auto& p : docs.projects)
    if (text(p, "id") != self_id && lower(trim(text(p, "name"))) == key)
      return fail(ErrorCode::conflict, "a project named \"" + name + "\" already exists");
  project["name"] = name;
  return {};
}

Result<void> apply_slug(json::object& project, const json::object& body, const store::ConfigDocuments& docs,
                        bool creating) {
  auto given = opt_string(body, "slug");
  if (!given) return std::unexpected(given.error());
  std::string_view self_id = text(project, "id");
  if (*given) {
    if (!valid_slug(**given))
      return invalid("slug", "must be 1-64 characters of lowercase letters, digits and '-'");
    if (slug_taken(docs, **given, self_id))
      return fail(ErrorCode::conflict, "slug '" + **given + "' is already taken");
    project["slug"] = **given;
    return {};
  }
  if (!creating) return {};
  std::string base = slugify(text(project, "name"));
  std::string slug = base;
  for (int n = 2; slug_taken(docs, slug, self_id); ++n) {
    std::string suffix = "-" + std::to_string(n);
    std::string stem = base.substr(0, kMaxSlugLength - suffix.size());
    while (!stem.empty() && stem.back() == '-') stem.pop_back();
    slug = stem + suffix;
  }
  project["slug"] = slug;
  return {};
}

Result<void> apply_timeout(json::object& project, const json::object& body, bool creating) {
  std::string_view field = present(body, "timeoutMs") ? "timeoutMs" : "defaultTimeoutMs";
  auto timeout = opt_integer(body, field, kMinTimeoutMs);
  if (!timeout || (*timeout && **timeout > kMaxTimeoutMs))
    return invalid(field, "must be an integer between 1000 and 3600000 (milliseconds)");
  if (*timeout) {
    project["timeoutMs"] = **timeout;
  } else if (creating) {
    project["timeoutMs"] = kDefaultTimeoutMs;
  }
  return {};
}

// routingModelId, autoRouting, fallbackRoutingModelIds: stored as given, ignored by routing.
Result<void> apply_legacy(json::object& project, const json::object& body) {
  auto routing = opt_string(body, "routingModelId");
  if (!routing) return std::unexpected(routing.error());
  if (*routing) {
    if ((*routing)->empty()) {
      project.erase("routingModelId");
    } else {
      project["routingModelId"] = **routing;
    }
  }
  auto auto_routing = opt_bool(body, "autoRouting");
  if (!auto_routing) return std::unexpected(auto_routing.error());
  if (*auto_routing) project["autoRouting"] = **auto_routing;
  auto fallbacks = opt_string_array(body, "fallbackRoutingModelIds");
  if (!fallbacks) return std::unexpected(fallbacks.error());
  if (*fallbacks) {
    json::array ids;
    for (auto& id : **fallbacks) ids.emplace_back(id);
    project["fallbackRoutingModelIds"] = std::move(ids);
  }
  return {};
}

}  // namespace

std::string slugify(std::string_view name) {
  std::string out;
  bool dash = false;
  for (char c : name) {
    char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    bool alnum = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9');
    if (alnum) {
      if (dash && !out.empty()) out += '-';
      out += l;
      dash = false;
    } else {
      dash = true;
    }
    if (out.size() >= kMaxSlugLength) break;
  }
  if (out.size() > kMaxSlugLength) out.resize(kMaxSlugLength);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "project" : out;
}

bool valid_slug(std::string_view slug) {
  if (slug.empty() || slug.size() > kMaxSlugLength) return false;
  return std::all_of(slug.begin(), slug.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

Result<json::array> normalize_model_refs(const json::value& value, std::string_view field,
                                         const std::function<bool(std::string_view)>& known,
                                         std::string_view unknown_what, bool with_prompt) {
  if (!value.is_array()) return invalid(field, "must be an array of model ids or {modelId} objects");
  json::array out;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < value.as_array().size(); ++i) {
    const json::value& item = value.as_array()[i];
    std::string path = indexed(field, i);
    json::object ref;
    if (item.is_string()) {
      ref["modelId"] = item.as_string();
    } else if (item.is_object()) {
      const json::object& in = item.as_object();
      auto id = within(req_string(in, "modelId"), path);
      if (!id) return std::unexpected(id.error());
      ref["modelId"] = *id;
      if (with_prompt) {
        auto prompt = within(opt_string(in, "prompt"), path);
        if (!prompt) return std::unexpected(prompt.error());
        if (*prompt && !(*prompt)->empty()) ref["prompt"] = **prompt;
      }
      if (present(in, "limitsMode")) {
        auto mode = config::normalize_limits_mode(in.at("limitsMode"), path + ".limitsMode");
        if (!mode) return std::unexpected(mode.error());
        ref["limitsMode"] = *mode;
      }
      if (present(in, "limits")) {
        auto limits = config::normalize_limits(in.at("limits"), path + ".limits");
        if (!limits) return std::unexpected(limits.error());
        ref["limits"] = std::move(*limits);
      }
    } else {
      return invalid(path, "must be a model id or a {modelId} object");
    }
    std::string id(ref["modelId"].as_string());
    if (id.empty()) return invalid(path + ".modelId", "must be a non-empty string");
    if (!known(id)) return invalid(path + ".modelId", std::string(unknown_what) + ": '" + id + "'");
    if (!seen.insert(id).second) return invalid(path + ".modelId", "lists '" + id + "' twice");
    out.push_back(std::move(ref));
  }
  return out;
}

Result<json::array> normalize_policies(const json::value& value) {
  if (!value.is_array()) return invalid("policies", "must be an array");
  json::array out;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < value.as_array().size(); ++i) {
    const json::value& item = value.as_array()[i];
    std::string path = indexed("policies", i);
    json::object in;
    if (item.is_string()) {
      in["type"] = item.as_string();  // shorthand: "cheapest"
    } else if (item.is_object()) {
      in = item.as_object();
    } else {
      return invalid(path, "must be an object {type, enabled?, config?}");
    }
    auto type = within(req_string(in, "type"), path);
    if (!type) return std::unexpected(type.error());
    if (std::find(std::begin(kPolicyTypes), std::end(kPolicyTypes), *type) == std::end(kPolicyTypes)) {
      std::string list;
      for (std::string_view t : kPolicyTypes) list += (list.empty() ? "" : ", ") + std::string(t);
      return invalid(path + ".type", "must be one of " + list);
    }
    if (!seen.insert(*type).second) return invalid(path + ".type", "repeats policy '" + *type + "'");
    auto enabled = within(opt_bool(in, "enabled"), path);
    if (!enabled) return std::unexpected(enabled.error());
    auto config = within(opt_object(in, "config"), path);
    if (!config) return std::unexpected(config.error());
    json::object policy{{"type", *type}, {"enabled", enabled->value_or(true)}};
    // A policy without config is checked as an empty one (the llm policy requires keys).
    const json::object no_config;
    if (auto valid = routing::validate_policy_config(*type, *config ? **config : no_config, path + ".config"); !valid)
      return std::unexpected(valid.error());
    if (*config) policy["config"] = std::move(**config);
    out.push_back(std::move(policy));
  }
  return out;
}

Result<void> apply_project_body(json::object& project, const json::object& body,
                                const store::ConfigDocuments& docs, bool creating) {
  if (auto ok = apply_name(project, body, docs, creating); !ok) return ok;
  if (auto ok = apply_slug(project, body, docs, creating); !ok) return ok;

  if (present(body, "models")) {
    auto known = [&](std::string_view id) { return catalog::find_doc(docs.models, id) != nullptr; };
    auto refs = normalize_model_refs(body.at("models"), "models", known, "names an unknown model", true);
    if (!refs) return std::unexpected(refs.error());
    project["models"] = std::move(*refs);
  } else if (creating) {
    project["models"] = json::array();
  }

  if (present(body, "policies")) {
    auto policies = normalize_policies(body.at("policies"));
    if (!policies) return std::unexpected(policies.error());
    project["policies"] = std::move(*policies);
  } else if (creating) {
    project["policies"] = json::array();
  }

  if (present(body, "budgets")) {
    auto budgets = config::normalize_limits(body.at("budgets"), "budgets");
    if (!budgets) return std::unexpected(budgets.error());
    project["budgets"] = std::move(*budgets);
  } else if (creating) {
    project["budgets"] = json::array();
  }

  if (auto ok = apply_timeout(project, body, creating); !ok) return ok;
  return apply_legacy(project, body);
}

}  // namespace routerly::admin::projects
