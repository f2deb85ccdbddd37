// The `llm` routing policy's calls (SPEC §5.5): prompt → routing model (non-streaming) → scores,
// falling back through fallbackModelIds, all within the policy's time limit.
#include "gateway/policy_calls.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include "common/clock.hpp"
#include "formats/anthropic_to_openai_response.hpp"
#include "formats/openai_to_anthropic_request.hpp"
#include "gateway/classify.hpp"
#include "gateway/routing_memory.hpp"
#include "gateway/routing_upstream.hpp"
#include "gateway/trace.hpp"
#include "routing/llm/config.hpp"
#include "routing/llm/prompt.hpp"
#include "routing/llm/reply.hpp"

namespace routerly::gateway {

namespace json = boost::json;
namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxTracedText = 4000;

json::object router_entry(std::string_view message, json::object details) {
  return trace_entry("router-response", message, std::move(details));
}

// The chat.completions body of one routing call, before provider shaping.
json::object chat_body(const routing::llm::LlmConfig& config, const std::string& system,
                       const std::string& user) {
  json::object body{{"model", ""},
                    {"messages", json::array{json::object{{"role", "system"}, {"content", system}},
                                             json::object{{"role", "user"}, {"content", user}}}},
                    {"stream", false}};
  if (config.max_completion_tokens) body["max_completion_tokens"] = *config.max_completion_tokens;
  return body;
}

struct RoutingAnswer {
  std::string text;
  formats::TokenUsage usage;
};

// The assistant text of an OpenAI-shaped completion (Ollama's thinking when content is empty).
std::string completion_text(const json::object& completion) {
  const json::value* choices = completion.if_contains("choices");
  if (choices == nullptr || !choices->is_array() || choices->get_array().empty()) return {};
  const json::value& first = choices->get_array().front();
  if (!first.is_object()) return {};
  const json::value* message = first.get_object().if_contains("message");
  if (message == nullptr || !message->is_object()) return {};
  const json::object& m = message->get_object();
  for (std::string_view key : {"content", "thinking", "reasoning_content"})
    if (const json::value* v = m.if_contains(key); v != nullptr && v->is_string() && !v->as_string().empty())
      return std::string(v->as_string());
  return {};
}

// One non-streaming routing call; appends its model:request and model:success/error entries to
// `trace` and submits its usage row.
asio::awaitable<Result<RoutingAnswer>> routing_call(Services& services, const Call& call,
                                                    const RoutingTarget& rt,
                                                    const routing::llm::LlmConfig& config,
                                                    const std::string& system, const std::string& user,
                                                    Deadline& deadline, json::array& trace) {
  providers::Target target = rt.target;
  // Thinking stays on only when configured and the model supports it (SPEC §5.5).
  const bool thinking = config.thinking && target.thinking;
  target.thinking = thinking;
  json::object body = chat_body(config, system, user);
  http::ClientRequest request;
  if (target.wire == providers::Wire::anthropic) {
    auto translated = formats::openai_to_anthropic_request(body, {target.upstream_model, thinking});
    if (!translated) co_return std::unexpected(translated.error());
    body = std::move(*translated);
    body.erase("stream");
  } else {
    providers::shape_openai_body(body, target, false);
  }
  providers::Call endpoint = providers::generation_call(target);
  request.url = std::move(endpoint.url);
  request.headers = std::move(endpoint.headers);
  request.body = json::serialize(body);

  json::object request_details{{"modelId", target.model_id},
                               {"provider", target.provider},
                               {"stream", false},
                               {"messageCount", 2},
                               {"systemPrompt", system.substr(0, kMaxTracedText)}};
  if (config.max_completion_tokens) request_details["maxTokens"] = *config.max_completion_tokens;
  trace.push_back(trace_entry("router-request", "model:request", std::move(request_details)));

  RoutingUsage usage;
  usage.model_id = target.model_id;
  usage.provider = target.provider;
  usage.type = std::string(api_type_name(call.api));
  usage.model = rt.model;
  auto submit = [&](json::object entry) {
    trace.push_back(entry);
    usage.trace = json::array{trace.at(trace.size() - 2), std::move(entry)};
    services.ctx.usage.submit(routing_usage_row(call, usage, clock::now_ms()));
  };
  auto failed = [&](std::string error, std::string outcome, int64_t latency) {
    usage.outcome = std::move(outcome);
    usage.error_message = error;
    usage.latency_ms = latency;
    submit(router_entry(
        "model:error", json::object{{"modelId", target.model_id}, {"error", error}, {"latencyMs", latency}}));
  };

  const auto started = std::chrono::steady_clock::now();
  auto reply = co_await post_json(services, std::move(request), deadline);
  const int64_t latency =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
          .count();
  if (!reply) {
    failed(reply.error().message, reply.error().code == ErrorCode::upstream_timeout ? "timeout" : "error",
           latency);
    co_return std::unexpected(reply.error());
  }
  if (reply->status < 200 || reply->status >= 300) {
    std::string text = upstream_failure_text(reply->status, reply->body);
    failed(text, "error", latency);
    co_return fail(ErrorCode::upstream_error, text);
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(reply->body, ec);
  if (ec || !parsed.is_object()) {
    failed("the routing model answered something that is not JSON", "error", latency);
    co_return fail(ErrorCode::upstream_error, "the routing model answered something that is not JSON");
  }
  RoutingAnswer answer;
  if (target.wire == providers::Wire::anthropic) {
    if (auto u = formats::anthropic_usage_in(parsed)) answer.usage = *u;
    auto completion =
        formats::anthropic_to_openai_response(parsed, clock::now_ms() / 1000, target.upstream_model);
    if (!completion) {
      failed(completion.error().message, "error", latency);
      co_return std::unexpected(completion.error());
    }
    answer.text = completion_text(*completion);
  } else {
    if (auto u = formats::openai_usage_in(parsed)) answer.usage = *u;
    answer.text = completion_text(parsed.get_object());
  }
  usage.tokens = answer.usage;
  usage.latency_ms = latency;
  boost::system::error_code json_ec;
  json::value answer_json = json::parse(routing::llm::strip_fences(answer.text), json_ec);
  submit(router_entry("model:success",
                      json::object{{"modelId", target.model_id},
                                   {"inputTokens", answer.usage.input},
                                   {"cachedInputTokens", answer.usage.cached_input},
                                   {"outputTokens", answer.usage.output},
                                   {"latencyMs", latency},
                                   {"responseText", answer.text.substr(0, kMaxTracedText)},
                                   {"responseJSON", json_ec ? json::value(nullptr) : answer_json}}));
  co_return answer;
}

json::array scores_json(const std::vector<routing::PolicyPoint>& points) {
  json::array out;
  for (const auto& p : points) {
    json::object s{{"model", p.model}, {"point", p.point}};
    if (p.reason) s["reason"] = *p.reason;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

asio::awaitable<routing::PolicyOutcome> run_llm_policy(Services& services, const Call& call,
                                                       const routing::PolicyInput& input) {
  routing::PolicyOutcome out;
  out.type = "llm";
  auto config = routing::llm::read_llm_config(input.config);
  if (!config) co_return routing::failed_outcome("llm", config.error().message);

  std::vector<std::string> history;
  if (config->memory && !call.conversation_id.empty())
    history = routing_memory().recent(input.project_id, call.conversation_id,
                                      static_cast<std::size_t>(config->memory_count), input.now_ms);
  const std::string system = routing::llm::system_prompt(*config, input.candidates);
  const std::string user = routing::llm::user_message(*config, input.features, history);
  const std::string repair = routing::llm::repair_message();

  auto executor = co_await asio::this_coro::executor;
  Deadline deadline(executor, config->timeout);
  std::vector<std::string> tried;
  bool timed_out = false;

  for (const std::string& id : config->routing_models()) {
    tried.push_back(id);
    if (deadline.expired()) {
      timed_out = true;
      break;
    }
    auto resolved = resolve_model(services, call, id);
    if (!resolved) {
      out.trace.push_back(
          router_entry("llm-policy:skip", json::object{{"modelId", id}, {"reason", resolved.error()}}));
      continue;
    }
    // Budget-checked like any call (SPEC §5.5); a blocked routing model is passed over silently.
    // A model outside the project pool has no project budget here, so only in-pool models are checked.
    if (resolved->in_pool && call.caller.runtime != nullptr &&
        !services.ledger
             .check(call.caller.runtime->snapshot(), id, input.project_id, input.token_id, input.now_ms)
             .allowed)
      continue;
    auto answer =
        co_await routing_call(services, call, *resolved, *config, system, user, deadline, out.trace);
    if (!answer) {
      // The call's own timeout is the remaining deadline (rounded to ms, so it may fire a hair
      // before the deadline does): either way the policy ran out of time.
      if (answer.error().code == ErrorCode::upstream_timeout || deadline.expired()) timed_out = true;
      out.trace.push_back(
          router_entry("llm-policy:error", json::object{{"modelId", id}, {"error", answer.error().message}}));
      continue;
    }
    auto points = routing::llm::parse_routing_reply(answer->text);
    if (!points) {
      out.trace.push_back(router_entry("llm-policy:repair", json::object{{"modelId", id}}));
      auto repaired =
          co_await routing_call(services, call, *resolved, *config, system, repair, deadline, out.trace);
      if (repaired) points = routing::llm::parse_routing_reply(repaired->text);
      if (!repaired && (repaired.error().code == ErrorCode::upstream_timeout || deadline.expired()))
        timed_out = true;
    }
    if (!points) {
      out.trace.push_back(
          router_entry("llm-policy:skip",
                       json::object{{"modelId", id}, {"reason", "the answer holds no routing scores"}}));
      continue;
    }
    out.trace.push_back(router_entry("llm-policy:scores",
                                     json::object{{"routingModel", id}, {"scores", scores_json(*points)}}));
    // Only the candidates' scores count; ids the model made up are left in the trace only.
    for (auto& p : *points)
      for (const auto& c : input.candidates)
        if (c.model_id == p.model) {
          out.routing.push_back(std::move(p));
          break;
        }
    co_return out;
  }

  timed_out = timed_out || deadline.expired();
  std::string listed;
  for (const auto& id : tried) listed += (listed.empty() ? "" : ", ") + id;
  std::string error = timed_out ? "llm policy: timed out after " + std::to_string(config->timeout.count()) +
                                      " ms [" + listed + "]"
                                : "llm policy: all models failed [" + listed + "]";
  routing::PolicyOutcome failed = routing::failed_outcome("llm", std::move(error));
  failed.trace = std::move(out.trace);
  co_return failed;
}

void remember_routed_model(const Call& call, const json::object& llm_config,
                           const std::string& top_model_id) {
  if (call.conversation_id.empty() || call.caller.project == nullptr) return;
  const json::value* memory = llm_config.if_contains("memory");
  if (memory == nullptr || !memory->is_bool() || !memory->as_bool()) return;
  routing_memory().remember(call.caller.project->id, call.conversation_id, top_model_id, clock::now_ms());
}

}  // namespace routerly::gateway
