#include "routing/engine.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace routerly::routing {

namespace json = boost::json;

namespace {

constexpr double kTieEpsilon = 0.0001;
constexpr std::size_t kPromptPreview = 120;

json::object entry(std::string_view panel, std::string_view message, json::object details) {
  return json::object{{"panel", panel}, {"message", message}, {"details", std::move(details)}};
}

double shown(double point) {
  return std::isnan(point) ? 0.5 : point;
}

bool sensitive_key(std::string_view key) {
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string_view word : {"key", "secret", "token", "password"})
    if (lower.find(word) != std::string::npos) return true;
  return false;
}

std::string preview(const std::string& prompt) {
  if (prompt.size() <= kPromptPreview) return prompt;
  std::size_t cut = kPromptPreview;
  while (cut > 0 && (static_cast<unsigned char>(prompt[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return prompt.substr(0, cut) + "…";
}

struct Evaluated {
  std::string type;
  double weight = 0;
  PolicyOutcome outcome;
  bool ok = false;
  bool abstained = false;
};

Evaluated evaluate(const EngineInput& in, std::size_t i) {
  const PolicySpec& spec = in.policies[i];
  Evaluated ev{spec.type, positional_weight(in.policies.size(), i), {}, false, false};
  if (i < in.ready.size() && in.ready[i]) {
    ev.outcome = *in.ready[i];
  } else if (PureEvaluate fn = pure_policy(spec.type)) {
    const PolicyInput pi{in.candidates, in.features, in.project_id, in.token_id,
                         in.now_ms,     *in.stats,   spec.config};
    ev.outcome = fn(pi);
  } else {
    ev.outcome = failed_outcome(spec.type, "unknown policy type '" + spec.type + "'");
  }
  ev.outcome.type = spec.type;
  ev.ok = ev.outcome.ok;
  return ev;
}

json::object result_entry(const Evaluated& ev) {
  json::array routing;
  for (const PolicyPoint& p : ev.outcome.routing) {
    json::object r{{"model", p.model},
                   {"point", shown(p.point)},
                   {"contribution", round_to(shown(p.point) * ev.weight, 4)}};
    if (p.reason) r["reason"] = *p.reason;
    routing.push_back(std::move(r));
  }
  json::object details{{"type", ev.type}, {"weight", ev.weight}, {"routing", std::move(routing)}};
  if (!ev.outcome.excludes.empty()) {
    json::array ex;
    for (const auto& m : ev.outcome.excludes) ex.push_back(json::value(m));
    details["excludes"] = std::move(ex);
  }
  for (const auto& [k, v] : ev.outcome.details) details[k] = v;
  return entry("router-response", "policy:result:" + ev.type, std::move(details));
}

}  // namespace

double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

json::value redact_config(const json::value& config) {
  if (config.is_object()) {
    json::object out;
    for (const auto& [k, v] : config.get_object())
      out[k] = sensitive_key(k) ? json::value("***") : redact_config(v);
    return out;
  }
  if (config.is_array()) {
    json::array out;
    for (const auto& v : config.get_array()) out.push_back(redact_config(v));
    return out;
  }
  return config;
}

EngineResult run_engine(const EngineInput& in) {
  EngineResult result;
  const auto& cands = in.candidates;

  // Step 5: one candidate → no policy runs.
  if (cands.size() == 1) {
    result.bypass = true;
    result.ranked.push_back(RankedModel{cands[0].model_id, 1.0, cands[0].prompt});
    json::array final{
        json::object{{"model", cands[0].model_id}, {"weight", 1}, {"hasPrompt", !cands[0].prompt.empty()}}};
    result.trace.push_back(
        entry("router-response", "router:result",
              json::object{{"final", std::move(final)}, {"note", "single_candidate_bypass"}}));
    return result;
  }

  // No enabled policy: the configured order (a deliberate deviation from REF's random order,
  // so that a project without policies is a predictable primary + fallbacks list).
  if (in.policies.empty()) {
    json::array final, ids;
    for (const auto& c : cands) {
      result.ranked.push_back(RankedModel{c.model_id, 1.0, c.prompt});
      json::object f{{"model", c.model_id}, {"weight", 1}};
      if (!c.prompt.empty()) f["prompt"] = preview(c.prompt);
      final.push_back(std::move(f));
      ids.push_back(json::value(c.model_id));
    }
    result.trace.push_back(entry("router-request", "router:policies",
                                 json::object{{"policies", json::array()}, {"candidates", std::move(ids)}}));
    result.trace.push_back(
        entry("router-response", "router:result",
              json::object{{"final", std::move(final)}, {"note", "no_policies_configured_order"}}));
    return result;
  }

  // Step 6.
  json::array listed, ids;
  for (std::size_t i = 0; i < in.policies.size(); ++i)
    listed.push_back(json::object{{"type", in.policies[i].type},
                                  {"weight", positional_weight(in.policies.size(), i)},
                                  {"config", redact_config(in.policies[i].config)}});
  for (const auto& c : cands) ids.push_back(json::value(c.model_id));
  result.trace.push_back(
      entry("router-request", "router:policies",
            json::object{{"policies", std::move(listed)}, {"candidates", std::move(ids)}}));

  // Step 7.
  std::vector<Evaluated> evaluated;
  for (std::size_t i = 0; i < in.policies.size(); ++i) {
    Evaluated ev = evaluate(in, i);
    for (const auto& t : ev.outcome.trace) result.trace.push_back(t);
    if (ev.ok)
      result.trace.push_back(result_entry(ev));
    else if (is_known_policy(ev.type))  // unknown types are only logged (SPEC §5.1 step 7)
      result.trace.push_back(entry("router-response", "policy:error:" + ev.type,
                                   json::object{{"type", ev.type}, {"error", ev.outcome.error}}));
    evaluated.push_back(std::move(ev));
  }

  // Step 8.
  const std::set<std::string> known_ids = [&] {
    std::set<std::string> s;
    for (const auto& c : cands) s.insert(c.model_id);
    return s;
  }();
  for (const Evaluated& ev : evaluated) {
    if (!ev.ok) continue;
    for (const auto& m : ev.outcome.excludes) {
      if (!known_ids.contains(m)) continue;
      auto& types = result.excluded_by[m];
      if (std::find(types.begin(), types.end(), ev.type) == types.end()) types.push_back(ev.type);
    }
  }
  if (!result.excluded_by.empty()) {
    json::object excluded;
    for (const auto& [m, types] : result.excluded_by) {
      json::array t;
      for (const auto& type : types) t.push_back(json::value(type));
      excluded[m] = std::move(t);
    }
    result.trace.push_back(
        entry("router-response", "router:excludes", json::object{{"excluded", std::move(excluded)}}));
  }
  std::vector<const PolicyCandidate*> scoring;
  for (const auto& c : cands)
    if (!result.excluded_by.contains(c.model_id)) scoring.push_back(&c);

  // Step 9.
  std::map<std::string, double> sum, weight;
  std::size_t successful = 0, abstaining = 0;
  json::array abstained;
  for (Evaluated& ev : evaluated) {
    if (!ev.ok) continue;
    ++successful;
    std::vector<std::pair<std::string, double>> entries;
    for (const PolicyPoint& p : ev.outcome.routing)
      if (std::any_of(scoring.begin(), scoring.end(), [&](const auto* c) { return c->model_id == p.model; }))
        entries.emplace_back(p.model, shown(p.point));
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& [m, p] : entries) lo = std::min(lo, p), hi = std::max(hi, p);
    if (entries.empty() || hi - lo < kTieEpsilon) {
      ev.abstained = true;
      ++abstaining;
      abstained.push_back(json::value(ev.type));
      continue;
    }
    for (const auto& [m, p] : entries) {
      sum[m] += p * ev.weight;
      weight[m] += ev.weight;
    }
  }
  if (!abstained.empty())
    result.trace.push_back(
        entry("router-response", "router:abstained", json::object{{"policies", std::move(abstained)}}));

  // Steps 10–11.
  const bool all_abstained = abstaining == successful;
  for (const auto* c : scoring) {
    double score = 0.5;
    if (weight[c->model_id] > 0)
      score = sum[c->model_id] / weight[c->model_id];
    else if (all_abstained)
      score = in.random ? in.random() : 0.5;
    result.ranked.push_back(RankedModel{c->model_id, round_to(score, 4), c->prompt});
  }
  std::stable_sort(result.ranked.begin(), result.ranked.end(),
                   [](const RankedModel& a, const RankedModel& b) { return a.score > b.score; });

  json::array tied;
  if (!result.ranked.empty())
    for (const auto& r : result.ranked)
      if (std::fabs(result.ranked.front().score - r.score) < kTieEpsilon)
        tied.push_back(json::value(r.model));

  // Step 12: recap and result.
  const std::string winner = result.ranked.empty() ? std::string() : result.ranked.front().model;
  json::array recap_policies;
  for (const Evaluated& ev : evaluated) {
    json::value point_of_winner = nullptr;
    for (const PolicyPoint& p : ev.outcome.routing)
      if (p.model == winner) point_of_winner = shown(p.point);
    json::object summary{{"type", ev.type}, {"weight", ev.weight}, {"point", point_of_winner}};
    if (!ev.ok) {
      summary["point"] = nullptr;
      summary["failed"] = true;
    }
    if (ev.abstained) summary["abstained"] = true;
    result.policies.push_back(std::move(summary));
    if (!ev.ok) continue;

    std::vector<std::pair<std::string, double>> scores;
    for (const PolicyPoint& p : ev.outcome.routing) scores.emplace_back(p.model, shown(p.point));
    std::stable_sort(scores.begin(), scores.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    json::array score_list;
    for (const auto& [m, p] : scores) score_list.push_back(json::object{{"model", m}, {"point", p}});
    json::value top = nullptr;
    if (!ev.abstained)
      for (const auto& [m, p] : scores)
        if (!result.excluded_by.contains(m)) {
          top = json::object{{"model", m}, {"point", p}};
          break;
        }
    recap_policies.push_back(json::object{{"type", ev.type},
                                          {"weight", round_to(ev.weight, 3)},
                                          {"winner", std::move(top)},
                                          {"scores", std::move(score_list)}});
  }
  json::array final_ranks, final_result;
  for (std::size_t i = 0; i < result.ranked.size(); ++i) {
    const RankedModel& r = result.ranked[i];
    final_ranks.push_back(
        json::object{{"rank", static_cast<int64_t>(i + 1)}, {"model", r.model}, {"score", r.score}});
    json::object f{{"model", r.model}, {"weight", r.score}};
    if (!r.prompt.empty()) f["prompt"] = preview(r.prompt);
    final_result.push_back(std::move(f));
  }
  json::object recap{{"policies", std::move(recap_policies)}, {"final", std::move(final_ranks)}};
  if (tied.size() > 1)
    recap["tie"] = json::object{{"count", static_cast<int64_t>(tied.size())}, {"models", tied}};
  if (!result.excluded_by.empty()) {
    json::array ex;
    for (const auto& [m, types] : result.excluded_by) ex.push_back(json::value(m));
    recap["excluded"] = std::move(ex);
  }
  result.trace.push_back(entry("router-response", "router:recap", std::move(recap)));
  json::object res{{"final", std::move(final_result)}};
  if (tied.size() > 1) res["tiedWinners"] = std::move(tied);
  result.trace.push_back(entry("router-response", "router:result", std::move(res)));
  return result;
}

}  // namespace routerly::routing
