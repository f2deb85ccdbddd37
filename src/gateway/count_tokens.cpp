// POST /v1/messages/count_tokens (SPEC §00 P15): forwarded to the count endpoint when the
// model the request names (one of the project's), else the project's first model, speaks Anthropic (only `model` rewritten), else counted locally with
// the o200k tokenizer. No usage record: nothing is generated.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/ids.hpp"
#include "gateway/local_token_count.hpp"
#include "gateway/replies.hpp"
#include "gateway/routing_step.hpp"
#include "gateway/services.hpp"
#include "gateway/tokenizer_data.hpp"
#include "metrics/registry.hpp"
#include "providers/adapter.hpp"

namespace routerly::gateway {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxCountAnswer = 1u << 20;

http::Response local_count(const json::object& body, std::string_view trace_id) {
  auto counted = count_message_tokens(body, o200k_tokenizer());
  if (!counted) return client_error(Api::messages, counted.error(), trace_id);
  json::object answer{{"input_tokens", counted->input_tokens}};
  if (counted->estimated) answer["estimated"] = true;
  return json_reply(200, json::serialize(answer), trace_id);
}

// The upstream's answer, or nullopt when it could not be had (the caller then counts locally).
boost::asio::awaitable<std::optional<http::Response>> forward_count(
    Services& services, http::Exchange& exchange, const Caller& caller, const Candidate& candidate,
    json::object body, std::string_view trace_id) {
  const providers::Target& target = candidate.target;
  body["model"] = target.upstream_model;
  providers::Call call = providers::count_tokens_call(target);

  http::ClientRequest request;
  request.url = std::move(call.url);
  request.headers = std::move(call.headers);
  // The client's betas travel along (joined with the adapter's own, e.g. oauth).
  if (std::string_view beta = exchange.request().header("anthropic-beta"); !beta.empty()) {
    auto it = std::find_if(request.headers.begin(), request.headers.end(),
                           [](const http::Header& h) { return h.name == "anthropic-beta"; });
    if (it == request.headers.end())
      request.headers.push_back({"anthropic-beta", std::string(beta)});
    else
      it->value += "," + std::string(beta);
  }
  request.body = json::serialize(body);
  auto timeout = attempt_timeout(*caller.runtime, *caller.project, target);
  request.headers_timeout = timeout;
  request.idle_timeout = timeout;
  request.total_timeout = timeout;  // a buffered answer: due whole within the timeout

  auto sent = co_await services.ctx.client.send(std::move(request), exchange.disconnect_slot());
  if (!sent) {
    metrics::Registry::instance().upstream_error(
        target.provider, sent.error().code == ErrorCode::upstream_timeout ? "timeout" : "network");
    co_return std::nullopt;
  }
  auto& response = **sent;
  auto answer = co_await response.read_all(kMaxCountAnswer);
  if (!answer) {
    metrics::Registry::instance().upstream_error(target.provider, "network");
    co_return std::nullopt;
  }
  if (response.status >= 500 || response.status == 429) {
    metrics::Registry::instance().upstream_error(target.provider, "http_" + std::to_string(response.status));
    co_return std::nullopt;
  }
  // 2xx and the request's own 4xx are the upstream's word: relayed as they are.
  http::Response reply = json_reply(response.status, std::move(*answer), trace_id);
  if (auto type = response.header("content-type"); !type.empty())
    reply.set_header("content-type", std::string(type));
  co_return reply;
}

}  // namespace

boost::asio::awaitable<void> serve_count_tokens(Services& services, http::Exchange& exchange) {
  http::Request& request = exchange.request();
  std::string trace_id = ids::uuid_v7();

  auto caller = authenticate(request, services.runtime);
  if (!caller) {
    http::Response denied = client_error(Api::messages, caller.error(), trace_id);
    co_await exchange.respond(std::move(denied));
    co_return;
  }

  boost::system::error_code ec;
  json::value parsed = json::parse(request.body, ec);
  if (ec || !parsed.is_object()) {
    Error error{ErrorCode::validation_error, ec ? "body: not valid JSON (" + ec.message() + ")"
                                                : std::string("body: must be a JSON object")};
    co_await exchange.respond(client_error(Api::messages, error, trace_id));
    co_return;
  }
  json::object& body = parsed.get_object();

  // The model the request names when it is one of the project's, else the project's first.
  const Candidate* counter = first_choice(*caller->project, body);
  if (counter != nullptr && counter->target.wire == providers::Wire::anthropic) {
    auto forwarded = co_await forward_count(services, exchange, *caller, *counter, body, trace_id);
    if (exchange.client_gone()) co_return;
    if (forwarded) {
      co_await exchange.respond(std::move(*forwarded));
      co_return;
    }
    // The upstream could not answer: the local count is better than an error.
  }
  // Tokenizing (and loading the table the first time) is CPU work: off the I/O strand.
  http::Response reply =
      co_await exchange.run_blocking([&body, &trace_id] { return local_count(body, trace_id); });
  co_await exchange.respond(std::move(reply));
}

}  // namespace routerly::gateway
