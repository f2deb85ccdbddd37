// The pass-through proxy (SPEC §1.4.7 with §00 P1, P19, P21): any path no route matched goes
// to the project's upstream as it is, with the provider's credentials instead of the
// caller's; the answer is relayed piece by piece as it arrives. /v1/embeddings through it
// records usage (tokens from the answer's usage.prompt_tokens).
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/clock.hpp"
#include "common/ids.hpp"
#include "gateway/budget_gate.hpp"
#include "gateway/classify.hpp"
#include "gateway/passthrough_rules.hpp"
#include "gateway/replies.hpp"
#include "gateway/services.hpp"
#include "gateway/trace.hpp"
#include "gateway/usage_recorder.hpp"
#include "metrics/registry.hpp"
#include "providers/adapter.hpp"

namespace routerly::gateway {
namespace json = boost::json;

namespace {

constexpr std::size_t kErrorTextBytes = 2048;  // of a failed answer, for the usage record

http::Response envelope(ErrorCode code, std::string message, std::string_view trace_id) {
  http::Response r = http::Response::error(code, std::move(message));
  if (!trace_id.empty()) r.set_header(std::string(kTraceHeader), std::string(trace_id));
  return r;
}

bool sends_body(std::string_view method) {
  return method != "GET" && method != "HEAD";
}

// What one forwarded request leaves for its usage record (embeddings only, P19).
struct Outcome {
  std::string outcome = "success";
  std::string error;
  bool answered = false;
  std::optional<int64_t> prompt_tokens;
  std::optional<int64_t> ttft_ms;
};

void record_embeddings(Services& services, Call& call, const Candidate& candidate, const Outcome& o) {
  Served served;
  served.candidate = &candidate;
  served.outcome = o.outcome;
  served.error_message = o.error;
  served.answered = o.answered;
  served.ttft_ms = o.ttft_ms;
  if (o.prompt_tokens) served.usage = formats::TokenUsage{*o.prompt_tokens, 0, 0, 0};
  call.trace.emplace_back(
      trace_entry("router-request", "passthrough",
                  json::object{{"modelId", candidate.target.model_id}, {"path", "/v1/embeddings"}}));
  store::UsageRow row = build_usage_row(call, served, clock::now_ms());
  row.type = "embeddings";
  // Submitting settles the budget reservation taken before the call (keyed by the trace id).
  services.ctx.usage.submit(std::move(row));
}

}  // namespace

boost::asio::awaitable<void> serve_passthrough(Services& services, http::Exchange& exchange) {
  http::Request& request = exchange.request();
  if (is_reserved_path(request.path)) {
    co_await exchange.respond(
        envelope(ErrorCode::not_found, "Route " + request.method + ":" + request.target + " not found", {}));
    co_return;
  }

  Call call;
  call.trace_id = ids::uuid_v7();
  call.start_ms = clock::now_ms();
  call.started = std::chrono::steady_clock::now();

  auto caller = authenticate(request, services.runtime);
  if (!caller) {
    co_await exchange.respond(envelope(caller.error().code, caller.error().message, call.trace_id));
    co_return;
  }
  call.caller = std::move(*caller);
  const ProjectView& project = *call.caller.project;

  // /projects/{slug}/v1/<rest> is /v1/<rest> for the token's own project (D6).
  std::string path = request.path;
  if (auto scoped = split_project_path(request.path)) {
    if (scoped->slug != project.slug && scoped->slug != project.id) {
      co_await exchange.respond(envelope(
          ErrorCode::not_found, "Unknown project '" + scoped->slug + "' for this token", call.trace_id));
      co_return;
    }
    path = std::move(scoped->path);
  }
  std::string path_and_query = request.query.empty() ? path : path + "?" + request.query;

  // The body is parsed only to read `model` (and embeddings input); it travels verbatim unless
  // the model is rewritten.
  json::object body;
  bool json_body = false;
  if (sends_body(request.method) && !request.body.empty()) {
    std::size_t first = request.body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && request.body[first] == '{') {
      boost::system::error_code ec;
      json::value parsed = json::parse(request.body, ec);
      if (!ec && parsed.is_object()) {
        body = std::move(parsed.get_object());
        json_body = true;
      }
    }
  }
  bool matched = false;
  const Candidate* candidate =
      pick_passthrough_model(project.candidates, json_body ? &body : nullptr, matched);
  if (candidate == nullptr) {
    co_await exchange.respond(envelope(ErrorCode::no_model_available,
                                       "project has no resolvable models for pass-through", call.trace_id));
    co_return;
  }
  const providers::Target& target = candidate->target;
  const bool embeddings = request.method == "POST" && path == "/v1/embeddings";
  if (embeddings && json_body) call.input_chars = embeddings_input_chars(body);

  providers::Call upstream = providers::passthrough_call(target, path_and_query);
  http::ClientRequest outbound;
  outbound.method = request.method;
  outbound.url = std::move(upstream.url);
  outbound.headers = forward_request_headers(request.headers, upstream.headers);
  if (sends_body(request.method)) {
    if (json_body && matched) {
      body["model"] = target.upstream_model;  // the Routerly id means nothing upstream
      outbound.body = json::serialize(body);
    } else {
      outbound.body = request.body;
    }
  }
  auto timeout = attempt_timeout(*call.caller.runtime, project, target);
  outbound.headers_timeout = timeout;
  outbound.idle_timeout = timeout;
  // Embeddings count against budgets (P10, P19): reserve first; blocked → 503 budget_exceeded,
  // a usage record with that outcome, and no upstream request. `budget` lives until the usage
  // row is submitted (which settles it).
  budget::Ledger::Attempt budget;
  if (embeddings) {
    budget = reserve_attempt(services, call, *candidate);
    if (!budget.verdict.allowed) {
      note_budget_skip(call, *candidate, budget.verdict);
      Outcome blocked;
      blocked.outcome = "budget_exceeded";
      blocked.error = budget.verdict.message();
      record_embeddings(services, call, *candidate, blocked);
      http::Response reply = call_error(call, Error{ErrorCode::budget_exceeded, blocked.error});
      co_await exchange.respond(std::move(reply));
      co_return;
    }
  }

  auto sent = co_await services.ctx.client.send(std::move(outbound), exchange.disconnect_slot());
  Outcome outcome;
  if (!sent) {
    if (exchange.client_gone()) {
      outcome.outcome = "error";
      outcome.error = "client_disconnected";
      if (embeddings) record_embeddings(services, call, *candidate, outcome);
      co_return;
    }
    bool timed_out = sent.error().code == ErrorCode::upstream_timeout;
    metrics::Registry::instance().upstream_error(target.provider, timed_out ? "timeout" : "network");
    outcome.outcome = timed_out ? "timeout" : "error";
    outcome.error = sent.error().message;
    if (embeddings) record_embeddings(services, call, *candidate, outcome);
    co_await exchange.respond(envelope(timed_out ? ErrorCode::upstream_timeout : ErrorCode::upstream_error,
                                       sent.error().message, call.trace_id));
    co_return;
  }
  http::ClientResponse& response = **sent;
  outcome.ttft_ms = call.elapsed_ms();
  const bool success = response.status >= 200 && response.status < 300;
  // A relayed 4xx is the caller's business; only the upstream's own failures count as errors.
  if (response.status >= 500 || response.status == 429) {
    metrics::Registry::instance().upstream_error(target.provider, "http_" + std::to_string(response.status));
  }

  std::vector<http::Header> headers = relay_response_headers(response.headers);
  headers.push_back({std::string(kTraceHeader), call.trace_id});
  bool client_ok = co_await exchange.start_stream(response.status, std::move(headers));

  PromptTokensSniffer sniffer;
  std::string error_text;
  bool complete = false;
  while (client_ok) {
    auto piece = co_await response.read_some();
    if (!piece && exchange.client_gone()) {
      client_ok = false;
      break;
    }
    if (!piece) {
      outcome.outcome = piece.error().code == ErrorCode::upstream_timeout ? "timeout" : "error";
      outcome.error = piece.error().message;
      metrics::Registry::instance().upstream_error(target.provider,
                                                   outcome.outcome == "timeout" ? "timeout" : "network");
      break;
    }
    if (!*piece) {
      complete = true;
      break;
    }
    if (embeddings) {
      if (success)
        sniffer.feed(**piece);
      else if (error_text.size() < kErrorTextBytes)
        error_text.append((**piece).substr(0, kErrorTextBytes - error_text.size()));
    }
    client_ok = co_await exchange.write(**piece);
  }
  // Ending the chunked body only after a complete upstream body: a cut one must look cut.
  if (complete && client_ok) co_await exchange.finish();

  if (!embeddings) co_return;
  if (!client_ok) {
    outcome.outcome = "error";
    outcome.error = "client_disconnected";
  } else if (complete && !success) {
    outcome.outcome = "error";
    outcome.error = upstream_failure_text(response.status, error_text);
  }
  outcome.answered = success;
  sniffer.finish();
  outcome.prompt_tokens = sniffer.value();
  record_embeddings(services, call, *candidate, outcome);
}

}  // namespace routerly::gateway
