// The candidate loop (SPEC §5.2 with §00 P2, P11, P12): each candidate gets one attempt;
// failures before any byte reached the client fall back to the next candidate.
#include <algorithm>
#include <boost/json.hpp>

#include "common/clock.hpp"
#include "gateway/budget_gate.hpp"
#include "gateway/classify.hpp"
#include "gateway/fallback.hpp"
#include "gateway/generation.hpp"
#include "gateway/replies.hpp"
#include "gateway/response_translation.hpp"
#include "gateway/trace.hpp"
#include "metrics/registry.hpp"

namespace routerly::gateway {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxErrorBody = 1u << 20;

json::object model_request_entry(const Call& call, const providers::Target& target) {
  json::object details{{"modelId", target.model_id}, {"provider", target.provider}, {"stream", call.stream}};
  for (std::string_view key : {"messages", "input"})
    if (const json::value* v = call.body.if_contains(key); v && v->is_array())
      details["messageCount"] = v->get_array().size();
  for (std::string_view key : {"max_tokens", "max_completion_tokens", "max_output_tokens"})
    if (const json::value* v = call.body.if_contains(key); v && v->is_number()) {
      details["maxTokens"] = *v;
      break;
    }
  if (const json::value* t = call.body.if_contains("temperature"); t && t->is_number()) details["temperature"] = *t;
  return trace_entry("request", "model:request", std::move(details));
}

// Notes a failed attempt in the trace and the attempt list.
void note_failure(Call& call, const providers::Target& target, std::string outcome, std::string error,
                  int64_t latency_ms) {
  call.trace.emplace_back(trace_entry(
      "response", "model:error",
      json::object{{"modelId", target.model_id}, {"error", error}, {"latencyMs", latency_ms}}));
  call.attempts.push_back(AttemptRecord{target.model_id, target.provider, std::move(outcome), std::move(error), latency_ms});
}

std::string describe(const Error& error, std::chrono::milliseconds timeout) {
  if (error.code == ErrorCode::upstream_timeout)
    return "timeout after " + std::to_string(timeout.count()) + " ms";
  return "network error: " + error.message;
}

// settings.maxStreamMs: how long a stream attempt may last in all. Unset: zero, no overall
// limit (only the gap between chunks is bounded). A non-stream attempt is bounded as a whole by
// its timeout.
std::chrono::milliseconds stream_limit(const Runtime& runtime) {
  const json::value* limit = runtime.settings().if_contains("maxStreamMs");
  return std::chrono::milliseconds(limit != nullptr && limit->is_int64() ? limit->get_int64() : 0);
}

std::string_view outcome_of(const Error& error) {
  return error.code == ErrorCode::upstream_timeout ? "timeout" : "error";
}

// The client went away while an attempt was in flight (P11).
void record_disconnect(Services& services, Call& call, const Candidate& candidate, int64_t latency_ms) {
  note_failure(call, candidate.target, "error", "client_disconnected", latency_ms);
  Served served;
  served.candidate = &candidate;
  served.outcome = "error";
  served.error_message = "client_disconnected";
  record_usage(services, call, served);
}

// SPEC §9.1: a failed attempt that falls over to the next candidate has its own usage row
// (health and the stats learn from these rows).
void record_failed_attempt(Services& services, const Call& call, const Candidate& candidate) {
  const AttemptRecord& attempt = call.attempts.back();
  record_usage(services, call, Served{&candidate, attempt.outcome, attempt.error});
}

}  // namespace

boost::asio::awaitable<void> run_candidates(Services& services, http::Exchange& exchange, Call& call) {
  const ProjectView& project = *call.caller.project;
  // Routing (SPEC §5.1): budget pre-filter, policies, ranking; its trace is already in call.trace.
  auto routed = co_await order_candidates(services, call);
  if (!routed) {
    const bool over_budget = routed.error().code == ErrorCode::budget_exceeded;
    const Candidate* blamed = over_budget && !project.candidates.empty() ? &project.candidates.front() : nullptr;
    record_usage(services, call, Served{blamed, over_budget ? "budget_exceeded" : "error", routed.error().message});
    co_await answer_error(exchange, call, routed.error());
    co_return;
  }
  std::vector<const Candidate*> order = std::move(routed->order);

  auto& metrics = metrics::Registry::instance();
  const Candidate* last = nullptr;
  std::string last_outcome = "error";

  for (const Candidate* candidate : order) {
    const providers::Target& target = candidate->target;
    last = candidate;
    const std::chrono::milliseconds timeout = attempt_timeout(*call.caller.runtime, project, target);
    auto plan = plan_upstream(call, target, timeout);
    if (!plan) {  // the request cannot be expressed for this upstream: it is the request's fault
      note_failure(call, target, "error", plan.error().message, 0);
      record_usage(services, call, Served{candidate, "error", plan.error().message});
      co_await answer_error(exchange, call, plan.error());
      co_return;
    }
    // A non-stream answer is due whole within the timeout; a stream within maxStreamMs, if set.
    plan->request.total_timeout = call.stream ? stream_limit(*call.caller.runtime) : timeout;
    // Budget (P10): reserve before the call; the call's usage row settles it, a failed attempt
    // releases it when `budget` goes out of scope.
    auto budget = co_await reserve_attempt(services, call, *candidate);
    if (!budget.verdict.allowed) {
      note_budget_skip(call, *candidate, budget.verdict);
      continue;
    }
    call.trace.emplace_back(model_request_entry(call, target));
    const auto attempt_started = std::chrono::steady_clock::now();
    auto attempt_ms = [&] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - attempt_started)
          .count();
    };

    auto disconnect = exchange.disconnect_slot();
    auto sent = co_await services.ctx.client.send(std::move(plan->request), disconnect);
    if (exchange.client_gone()) {
      record_disconnect(services, call, *candidate, attempt_ms());
      co_return;
    }
    if (!sent) {
      metrics.upstream_error(target.provider, outcome_of(sent.error()) == "timeout" ? "timeout" : "network");
      last_outcome = outcome_of(sent.error());
      note_failure(call, target, last_outcome, describe(sent.error(), timeout), attempt_ms());
      record_failed_attempt(services, call, *candidate);
      continue;
    }
    http::ClientResponse& upstream = **sent;

    Verdict verdict = classify_status(upstream.status);
    if (verdict != Verdict::success) {
      auto body = co_await upstream.read_all(kMaxErrorBody);
      std::string text = body ? std::move(*body) : std::string();
      std::string failure = upstream_failure_text(upstream.status, text);
      metrics.upstream_error(target.provider, "http_" + std::to_string(upstream.status));
      last_outcome = "error";
      note_failure(call, target, "error", failure, attempt_ms());
      if (verdict == Verdict::request_fault) {
        record_usage(services, call, Served{candidate, "error", failure});
        http::Response reply = relayed_upstream_error(call.api, plan->mode, upstream.status, text, call.trace_id);
        co_await exchange.respond(std::move(reply));
        co_return;
      }
      record_failed_attempt(services, call, *candidate);
      continue;
    }

    if (!call.stream) {
      auto body = co_await upstream.read_all();
      if (exchange.client_gone()) {
        record_disconnect(services, call, *candidate, attempt_ms());
        co_return;
      }
      if (!body) {  // timed out as a whole, cut off, or larger than a buffered answer may be
        const bool timed_out = body.error().code == ErrorCode::upstream_timeout;
        metrics.upstream_error(target.provider, timed_out ? "timeout" : "network");
        last_outcome = outcome_of(body.error());
        note_failure(call, target, last_outcome, timed_out ? describe(body.error(), timeout) : body.error().message,
                     attempt_ms());
        record_failed_attempt(services, call, *candidate);
        continue;
      }
      auto translated = translate_response(plan->mode, call, target, *body);
      if (!translated) {
        metrics.upstream_error(target.provider, "malformed");
        last_outcome = "error";
        note_failure(call, target, "error", translated.error().message, attempt_ms());
        record_failed_attempt(services, call, *candidate);
        continue;
      }
      if (call.api == Api::responses && translated->response)
        co_await store_response(services, exchange, call, *translated->response);
      Served served{candidate};
      served.answered = true;
      served.usage = translated->usage;
      served.output_chars = translated->output_chars;
      served.ttft_ms = call.elapsed_ms();
      http::Response reply = json_reply(200, std::move(translated->body), call.trace_id);
      // Submitting never waits; only usageDurability "sync" holds the answer until it is durable.
      record_last_usage(services, call, served);
      co_await settle_usage(services);
      co_await exchange.respond(std::move(reply));
      co_return;
    }

    // A stream: wait for its first event, so that a failure before any byte reached the
    // client (an answer that is no event stream, one that ends before its first event) can
    // still fall back.
    auto opened = co_await open_stream(upstream);
    if (exchange.client_gone()) {
      record_disconnect(services, call, *candidate, attempt_ms());
      co_return;
    }
    if (!opened) {
      const Error& error = opened.error();
      const bool timed_out = error.code == ErrorCode::upstream_timeout;
      metrics.upstream_error(target.provider, timed_out ? "timeout" : "stream");
      last_outcome = outcome_of(error);
      note_failure(call, target, last_outcome, timed_out ? describe(error, timeout) : error.message, attempt_ms());
      record_failed_attempt(services, call, *candidate);
      continue;
    }
    co_await relay_stream(services, exchange, call, *candidate, plan->mode, upstream, std::move(*opened));
    co_return;
  }

  if (all_budget_blocked(call)) {  // P2, P10: no upstream request was made
    Error blocked = budget_exceeded_error(call);
    record_usage(services, call, Served{last, "budget_exceeded", blocked.message});
    co_await answer_error(exchange, call, blocked);
    co_return;
  }
  Error exhausted{ErrorCode::no_model_available, no_model_available_message(project, call.attempts)};
  // Failed attempts already have their rows; only a request that reached no upstream gets one here.
  const bool any_row = std::any_of(call.attempts.begin(), call.attempts.end(),
                                   [](const AttemptRecord& a) { return a.outcome != "budget_exceeded"; });
  if (!any_row) record_usage(services, call, Served{last, last == nullptr ? "error" : last_outcome, exhausted.message});
  co_await answer_error(exchange, call, exhausted);
}

}  // namespace routerly::gateway
