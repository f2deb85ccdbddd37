#include "gateway/routing_step.hpp"

// g++ 12 reports -Wmismatched-new-delete for Asio's awaitable frames when the `&&` awaitable
// operator is inlined into this coroutine: a known false positive (frames are allocated and
// freed by Asio's own operator new/delete pair). Scoped to this file.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <spdlog/spdlog.h>
#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/json.hpp>
#include <exception>
#include <random>

#include "common/clock.hpp"
#include "gateway/fallback.hpp"
#include "gateway/policy_calls.hpp"
#include "gateway/services.hpp"
#include "routing/engine.hpp"
#include "routing/features.hpp"
#include "routing/pinning.hpp"

namespace routerly::gateway {

namespace json = boost::json;
using boost::asio::awaitable;

namespace {

double uniform_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

json::object limit_json(const budget::LimitState& s) {
  return json::object{{"metric", s.metric},
                      {"window", s.window},
                      {"limit", s.limit},
                      {"current", s.current},
                      {"remaining", s.remaining}};
}

// Features of the request seen as a chat request; a chat body is read in place (no copy).
routing::RequestFeatures request_features(const Call& call) {
  switch (call.api) {
    case Api::messages:
      return routing::extract_features(routing::openai_view_of_messages(call.body));
    case Api::responses:
      return routing::extract_features(
          routing::openai_view_of_responses(call.body, call.history ? &*call.history : nullptr));
    case Api::chat:
      break;
  }
  return routing::extract_features(call.body);
}

std::vector<routing::PolicySpec> enabled_policies(const ProjectView& project) {
  std::vector<routing::PolicySpec> out;
  if (project.doc == nullptr) return out;
  const json::value* list = project.doc->if_contains("policies");
  if (list == nullptr || !list->is_array()) return out;
  for (const json::value& p : list->get_array()) {
    if (!p.is_object()) continue;
    const json::object& policy = p.get_object();
    const json::value* enabled = policy.if_contains("enabled");
    const json::value* type = policy.if_contains("type");
    if (enabled == nullptr || !enabled->is_bool() || !enabled->get_bool() || type == nullptr ||
        !type->is_string())
      continue;
    routing::PolicySpec spec{std::string(type->get_string()), {}};
    if (const json::value* config = policy.if_contains("config"); config != nullptr && config->is_object())
      spec.config = config->get_object();
    if (!routing::is_known_policy(spec.type))
      spdlog::warn("routing: unknown policy type '{}' is ignored", spec.type);
    out.push_back(std::move(spec));
  }
  return out;
}

bool wants_limits(const std::vector<routing::PolicySpec>& policies) {
  for (const auto& p : policies)
    if (p.type == "budget-remaining" || p.type == "llm") return true;
  return false;
}

// An I/O policy, never throwing.
awaitable<routing::PolicyOutcome> run_guarded(Services& services, const Call& call,
                                              const routing::PolicyInput& input, const AsyncPolicy& policy,
                                              std::string type) {
  if (!policy) co_return routing::failed_outcome(type, "policy '" + type + "' is not available");
  std::string failure;
  try {
    routing::PolicyOutcome out = co_await policy(services, call, input);
    out.type = type;
    co_return out;
  } catch (const std::exception& e) {
    failure = e.what();
  }
  co_return routing::failed_outcome(type, failure);
}

const AsyncPolicy& async_slot(const Services& services, std::string_view type) {
  return type == "llm" ? services.async_policies.llm : services.async_policies.semantic_intent;
}

// Adds the pre-filter's exclusions to the intake entry the handler already wrote (§8.3).
void note_intake(Call& call, const ProjectView& project, json::array excluded_by_limits) {
  for (json::value& e : call.trace) {
    if (!e.is_object()) continue;
    json::object& entry = e.get_object();
    const json::value* message = entry.if_contains("message");
    if (message == nullptr || !message->is_string() || message->get_string() != "router:intake") continue;
    if (!excluded_by_limits.empty())
      entry["details"].as_object()["excludedByLimits"] = std::move(excluded_by_limits);
    return;
  }
  json::object details{{"projectId", project.id}};
  if (!excluded_by_limits.empty()) details["excludedByLimits"] = std::move(excluded_by_limits);
  call.trace.push_back(json::object{
      {"panel", "router-request"}, {"message", "router:intake"}, {"details", std::move(details)}});
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The engine's input: the admitted candidates, the request's features, the enabled policies.
routing::EngineInput engine_input(Services& services, const Call& call,
                                  const std::vector<const Candidate*>& allowed, const config::Snapshot& snap,
                                  const std::string& token_id, int64_t now) {
  const ProjectView& project = *call.caller.project;
  routing::EngineInput input;
  input.policies = enabled_policies(project);
  const bool with_limits = wants_limits(input.policies);
  for (const Candidate* c : allowed) {
    routing::PolicyCandidate pc{c->target.model_id, c->model, {}, {}};
    if (c->project_ref != nullptr)
      if (const json::value* prompt = c->project_ref->if_contains("prompt");
          prompt != nullptr && prompt->is_string())
        pc.prompt = std::string(prompt->get_string());
    if (with_limits) pc.limits = services.ledger.limits(snap, pc.model_id, project.id, token_id, now);
    input.candidates.push_back(std::move(pc));
  }
  input.features = request_features(call);
  input.project_id = project.id;
  input.token_id = token_id;
  input.now_ms = now;
  input.stats = services.stats.get();
  input.random = &uniform_random;
  input.ready.resize(input.policies.size());
  return input;
}

// The I/O policies (llm, semantic-intent), concurrently when both are on; their outcomes go
// into input.ready.
awaitable<void> run_io_policies(Services& services, const Call& call, routing::EngineInput& input) {
  std::vector<std::size_t> jobs;
  for (std::size_t i = 0; i < input.policies.size(); ++i)
    if (routing::is_async_policy(input.policies[i].type)) jobs.push_back(i);
  std::vector<routing::PolicyInput> inputs;
  inputs.reserve(jobs.size());
  for (std::size_t i : jobs)
    inputs.push_back(routing::PolicyInput{input.candidates, input.features, input.project_id, input.token_id,
                                          input.now_ms, *input.stats, input.policies[i].config});
  if (jobs.size() == 2) {  // llm and semantic-intent together: concurrently
    using namespace boost::asio::experimental::awaitable_operators;
    const std::string first_type = input.policies[jobs[0]].type;
    const std::string second_type = input.policies[jobs[1]].type;
    auto both =
        co_await (run_guarded(services, call, inputs[0], async_slot(services, first_type), first_type) &&
                  run_guarded(services, call, inputs[1], async_slot(services, second_type), second_type));
    input.ready[jobs[0]] = std::move(std::get<0>(both));
    input.ready[jobs[1]] = std::move(std::get<1>(both));
    co_return;
  }
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    const std::string type = input.policies[jobs[k]].type;
    input.ready[jobs[k]] = co_await run_guarded(services, call, inputs[k], async_slot(services, type), type);
  }
}

// Step 3, the budget pre-filter: the candidates every applicable limit admits, and the others
// with their verdict messages (their reopening times go to call.refusal).
struct Prefiltered {
  std::vector<const Candidate*> allowed;
  std::vector<std::pair<std::string, std::string>> blocked;  // model, verdict message
};

Prefiltered budget_prefilter(Services& services, Call& call, const config::Snapshot& snap,
                             const std::string& token_id, int64_t now) {
  const ProjectView& project = *call.caller.project;
  Prefiltered out;
  json::array excluded_by_limits;
  for (const Candidate& c : project.candidates) {
    budget::Verdict verdict = services.ledger.check(snap, c.target.model_id, project.id, token_id, now);
    if (verdict.allowed) {
      out.allowed.push_back(&c);
      continue;
    }
    json::array violated;
    for (const auto& s : verdict.violated) violated.push_back(limit_json(s));
    excluded_by_limits.push_back(
        json::object{{"model", c.target.model_id}, {"violated", std::move(violated)}});
    out.blocked.emplace_back(c.target.model_id, verdict.message());
    call.refusal.budget_reopens_ms.push_back(verdict.reopens_at_ms);
  }
  note_intake(call, project, std::move(excluded_by_limits));
  return out;
}

std::string_view named_model(const json::object& body) {
  const json::value* model = body.if_contains("model");
  return model != nullptr && model->is_string() ? std::string_view(model->get_string()) : std::string_view();
}

// The client's `model` naming one of the project's models goes first; routing's order follows.
void pin_client_choice(Call& call, const Prefiltered& pre, routing::EngineResult& result) {
  const std::string_view named = named_model(call.body);
  std::vector<std::string> project_models;
  for (const Candidate& c : call.caller.project->candidates) project_models.push_back(c.target.model_id);
  std::string ruled_out;
  for (const auto& [model, message] : pre.blocked)
    if (model == named) ruled_out = "blocked by a budget";
  if (auto it = result.excluded_by.find(std::string(named)); it != result.excluded_by.end())
    ruled_out = "excluded by policy " + join(it->second);
  if (auto pin = routing::pin_named_model(result.ranked, named, project_models, ruled_out))
    call.trace.push_back(routing::pin_trace_entry(*pin));
}

// Every candidate ruled out by a budget or a policy: why, and whether the request's own traits
// (budget, context, capability, intent) did it all, which a retry cannot change.
Error none_left(Call& call, const Prefiltered& pre, const routing::EngineResult& result) {
  std::vector<std::string> reasons;
  for (const auto& [model, message] : pre.blocked) reasons.push_back(model + " (budget: " + message + ")");
  bool request_bound = true;
  for (const auto& [model, types] : result.excluded_by) {
    reasons.push_back(model + " (excluded by policy " + join(types) + ")");
    request_bound = request_bound && std::any_of(types.begin(), types.end(), [](const std::string& type) {
                      return routing::excludes_for_the_request(type);
                    });
  }
  call.refusal.request_bound = request_bound;
  return Error{ErrorCode::no_model_available, "No model available: " + join(reasons) + "."};
}

}  // namespace

const Candidate* first_choice(const ProjectView& project, const json::object& body) {
  const std::string_view named = named_model(body);
  for (const Candidate& c : project.candidates)
    if (c.target.model_id == named) return &c;
  return project.candidates.empty() ? nullptr : &project.candidates.front();
}

awaitable<Result<RoutingDecision>> route_call(Services& services, Call& call) {
  const ProjectView& project = *call.caller.project;
  if (project.candidates.empty()) {
    call.refusal.request_bound = true;  // nothing to route to until the project changes
    Error none{ErrorCode::no_model_available, no_model_available_message(project, {})};
    co_return std::unexpected(std::move(none));
  }
  const config::Snapshot& snap = call.caller.runtime->snapshot();
  const std::string token_id = call.caller.token != nullptr ? call.caller.token->token_id : std::string();
  const int64_t now = clock::now_ms();

  // Step 3: budget pre-filter.
  Prefiltered pre = budget_prefilter(services, call, snap, token_id, now);
  const std::vector<const Candidate*>& allowed = pre.allowed;
  if (allowed.empty()) {
    std::string message = pre.blocked.front().second;
    if (pre.blocked.size() > 1) {
      std::vector<std::string> models;
      for (const auto& b : pre.blocked) models.push_back(b.first);
      message += " (blocked models: " + join(models) + ")";
    }
    Error over{ErrorCode::budget_exceeded, std::move(message)};
    co_return std::unexpected(std::move(over));
  }

  // Steps 5–12.
  routing::EngineInput input = engine_input(services, call, allowed, snap, token_id, now);
  if (input.candidates.size() > 1)  // the single-candidate bypass runs no policy at all
    co_await run_io_policies(services, call, input);
  routing::EngineResult result = routing::run_engine(input);
  for (auto& entry : result.trace) call.trace.push_back(std::move(entry));

  if (result.ranked.empty()) {
    pin_client_choice(call, pre, result);
    co_return std::unexpected(none_left(call, pre, result));
  }

  for (const auto& spec : input.policies)  // §5.5 memory: the top-ranked model of this turn
    if (spec.type == "llm") remember_routed_model(call, spec.config, result.ranked.front().model);
  pin_client_choice(call, pre, result);

  RoutingDecision decision;
  decision.policies = std::move(result.policies);
  for (const auto& ranked : result.ranked)
    for (const Candidate* c : allowed)
      if (c->target.model_id == ranked.model) {
        decision.order.push_back(c);
        break;
      }
  co_return decision;
}

}  // namespace routerly::gateway
