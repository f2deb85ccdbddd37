// The pass-through proxy: any path no route matched
// goes to the project's upstream as it is, with the provider's credentials instead of the
// caller's; the answer is relayed piece by piece as it arrives. The billable routes
// (passthrough_rules.hpp: completions, embeddings, images, audio, moderations) are budgeted
// before the call and recorded after it, with the tokens of the answer's usage.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/clock.hpp"
#include "common/ids.hpp"
#include "gateway/budget_gate.hpp"
#include "gateway/classify.hpp"
#include "gateway/generation.hpp"
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

// The body as a JSON object, when it is one (read for `model` and the billable input only).
std::optional<json::object> json_object_body(const http::Request& request) {
  if (!sends_body(request.method) || request.body.empty()) return std::nullopt;
  std::size_t first = request.body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || request.body[first] != '{') return std::nullopt;
  boost::system::error_code ec;
  json::value parsed = json::parse(request.body, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  return std::move(parsed.get_object());
}

// What one forwarded request leaves for its usage record (billable routes only).
struct Outcome {
  std::string outcome = "success";
  std::string error;
  bool answered = false;
  std::optional<int64_t> input_tokens, output_tokens;
  std::optional<int64_t> ttft_ms;
};

// One forwarded request: what the steps below share.
struct Forward {
  Services& services;
  http::Exchange& exchange;
  Call call;
  std::string path;  // the request path without the project prefix
  const Candidate* candidate = nullptr;
  const BillableRoute* billable = nullptr;  // nullptr: not budgeted, not recorded
  budget::Ledger::Attempt budget;           // held until the usage row settles it
};

void record(Forward& f, const Outcome& o) {
  if (f.billable == nullptr) return;
  Served served;
  served.candidate = f.candidate;
  served.outcome = o.outcome;
  served.error_message = o.error;
  served.answered = o.answered;
  served.ttft_ms = o.ttft_ms;
  if (o.input_tokens || o.output_tokens)
    served.usage = formats::TokenUsage{o.input_tokens.value_or(0), o.output_tokens.value_or(0), 0, 0};
  f.call.trace.emplace_back(
      trace_entry("router-request", "passthrough",
                  json::object{{"modelId", f.candidate->target.model_id}, {"path", f.path}}));
  store::UsageRow row = build_usage_row(f.call, served, clock::now_ms());
  row.type = std::string(f.billable->type);
  // Submitting settles the budget reservation taken before the call (keyed by the trace id).
  f.services.ctx.usage.submit(std::move(row));
}

// Reserves the call's budget (billable routes only). Blocked → 503 budget_exceeded and a usage
// record with that outcome, no upstream request; false then.
boost::asio::awaitable<bool> reserve_budget(Forward& f) {
  if (f.billable == nullptr) co_return true;
  f.budget = co_await reserve_attempt(f.services, f.call, *f.candidate);
  if (f.budget.verdict.allowed) co_return true;
  note_budget_skip(f.call, *f.candidate, f.budget.verdict);
  Outcome blocked;
  blocked.outcome = "budget_exceeded";
  blocked.error = f.budget.verdict.message();
  record(f, blocked);
  // Built before the co_await: g++ 12 destroys a braced temporary inside a co_await operand twice.
  http::Response reply = call_error(f.call, Error{ErrorCode::budget_exceeded, blocked.error});
  co_await f.exchange.respond(std::move(reply));
  co_return false;
}

// Relays the upstream's answer as it arrives and records the call.
boost::asio::awaitable<void> relay(Forward& f, http::ClientResponse& response, Outcome outcome) {
  const std::string& provider = f.candidate->target.provider;
  const bool success = response.status >= 200 && response.status < 300;
  // A relayed 4xx is the caller's business; only the upstream's own failures count as errors.
  if (response.status >= 500 || response.status == 429)
    metrics::Registry::instance().upstream_error(provider, "http_" + std::to_string(response.status));

  std::vector<http::Header> headers = relay_response_headers(response.headers);
  headers.push_back({std::string(kTraceHeader), f.call.trace_id});
  bool client_ok = co_await f.exchange.start_stream(response.status, std::move(headers));

  UsageSniffer sniffer;
  std::string error_text;
  bool complete = false;
  while (client_ok) {
    auto piece = co_await response.read_some();
    if (!piece && f.exchange.client_gone()) {
      client_ok = false;
      break;
    }
    if (!piece) {
      outcome.outcome = piece.error().code == ErrorCode::upstream_timeout ? "timeout" : "error";
      outcome.error = piece.error().message;
      metrics::Registry::instance().upstream_error(provider, outcome.outcome == "timeout" ? "timeout" : "network");
      break;
    }
    if (!*piece) {
      complete = true;
      break;
    }
    if (f.billable != nullptr) {
      if (success)
        sniffer.feed(**piece);
      else if (error_text.size() < kErrorTextBytes)
        error_text.append((**piece).substr(0, kErrorTextBytes - error_text.size()));
    }
    client_ok = co_await f.exchange.write(**piece);
  }
  if (f.billable != nullptr) {
    if (!client_ok) {
      outcome.outcome = "error";
      outcome.error = "client_disconnected";
    } else if (complete && !success) {
      outcome.outcome = "error";
      outcome.error = upstream_failure_text(response.status, error_text);
    }
    outcome.answered = success;
    sniffer.finish();
    outcome.input_tokens = sniffer.input();
    outcome.output_tokens = sniffer.output();
    record(f, outcome);
  }
  // Ending the chunked body only after a complete upstream body: a cut one must look cut; and
  // with usageDurability "sync", only once the record is durable.
  if (complete && client_ok) {
    if (f.billable != nullptr) co_await settle_usage(f.services);
    co_await f.exchange.finish();
  }
}

// Sends the request upstream and relays or reports what came back.
boost::asio::awaitable<void> forward(Forward& f, http::ClientRequest outbound) {
  const providers::Target& target = f.candidate->target;
  auto timeout = attempt_timeout(*f.call.caller.runtime, *f.call.caller.project, target);
  outbound.headers_timeout = timeout;
  outbound.idle_timeout = timeout;
  if (!co_await reserve_budget(f)) co_return;

  auto sent = co_await f.services.ctx.client.send(std::move(outbound), f.exchange.disconnect_slot());
  Outcome outcome;
  if (!sent) {
    if (f.exchange.client_gone()) {
      outcome.outcome = "error";
      outcome.error = "client_disconnected";
      record(f, outcome);
      co_return;
    }
    bool timed_out = sent.error().code == ErrorCode::upstream_timeout;
    metrics::Registry::instance().upstream_error(target.provider, timed_out ? "timeout" : "network");
    outcome.outcome = timed_out ? "timeout" : "error";
    outcome.error = sent.error().message;
    record(f, outcome);
    co_await f.exchange.respond(envelope(timed_out ? ErrorCode::upstream_timeout : ErrorCode::upstream_error,
                                         sent.error().message, f.call.trace_id));
    co_return;
  }
  outcome.ttft_ms = f.call.elapsed_ms();
  co_await relay(f, **sent, std::move(outcome));
}

}  // namespace

boost::asio::awaitable<void> serve_passthrough(Services& services, http::Exchange& exchange) {
  http::Request& request = exchange.request();
  if (is_reserved_path(request.path)) {
    co_await exchange.respond(
        envelope(ErrorCode::not_found, "Route " + request.method + ":" + request.target + " not found", {}));
    co_return;
  }

  Forward f{services, exchange, {}, request.path};
  Call& call = f.call;
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
  if (auto scoped = split_project_path(request.path)) {
    if (scoped->slug != project.slug && scoped->slug != project.id) {
      co_await exchange.respond(envelope(
          ErrorCode::not_found, "Unknown project '" + scoped->slug + "' for this token", call.trace_id));
      co_return;
    }
    f.path = std::move(scoped->path);
  }

  // The body travels verbatim unless the model is rewritten.
  std::optional<json::object> body = json_object_body(request);
  bool matched = false;
  f.candidate = pick_passthrough_model(project.candidates, body ? &*body : nullptr, matched);
  if (f.candidate == nullptr) {
    co_await exchange.respond(envelope(ErrorCode::no_model_available,
                                       "project has no resolvable models for pass-through", call.trace_id));
    co_return;
  }
  const providers::Target& target = f.candidate->target;
  auto upstream = providers::passthrough_call(target, f.path, request.query);
  if (!upstream) {
    co_await exchange.respond(envelope(upstream.error().code, upstream.error().message, call.trace_id));
    co_return;
  }

  f.billable = billable_route(request.method, f.path);
  http::ClientRequest outbound;
  outbound.method = request.method;
  outbound.url = std::move(upstream->url);
  outbound.headers = forward_request_headers(request.headers, upstream->headers);
  if (sends_body(request.method)) {
    if (body && matched) {
      (*body)["model"] = target.upstream_model;  // the Routerly id means nothing upstream
      outbound.body = json::serialize(*body);
    } else {
      outbound.body = request.body;
    }
  }
  if (f.billable != nullptr && body) {
    call.input_chars = input_chars(*body, f.billable->input_field);
    const json::value* stream = body->if_contains("stream");
    call.stream = stream != nullptr && stream->is_bool() && stream->get_bool();
    call.body = std::move(*body);  // the budget reads the output caps (max_tokens & co.)
  }
  co_await forward(f, std::move(outbound));
}

}  // namespace routerly::gateway
