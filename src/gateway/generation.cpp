#include "gateway/generation.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "common/clock.hpp"
#include "common/ids.hpp"
#include "gateway/replies.hpp"
#include "gateway/trace.hpp"
#include "usage/settle_wait.hpp"

namespace routerly::gateway {

namespace json = boost::json;

namespace {

int64_t message_count(const json::object& body) {
  for (std::string_view key : {"messages", "input"})
    if (const json::value* v = body.if_contains(key); v && v->is_array())
      return static_cast<int64_t>(v->get_array().size());
  return body.contains("input") ? 1 : 0;
}

}  // namespace

boost::asio::awaitable<void> answer_error(http::Exchange& exchange, const Call& call, const Error& error) {
  http::Response reply = call_error(call, error);
  co_await exchange.respond(std::move(reply));
}

boost::asio::awaitable<void> serve_generation(Services& services, http::Exchange& exchange, Api api) {
  http::Request& request = exchange.request();
  Call call;
  call.api = api;
  call.trace_id = ids::uuid_v7();
  call.start_ms = clock::now_ms();
  call.started = std::chrono::steady_clock::now();

  auto caller = authenticate(request, services.runtime);
  if (!caller) {
    http::Response denied = client_error(call.api, caller.error(), call.trace_id);
    co_await exchange.respond(std::move(denied));
    co_return;
  }
  call.caller = std::move(*caller);

  boost::system::error_code ec;
  json::value parsed = json::parse(request.body, ec);
  if (ec || !parsed.is_object()) {
    std::string why = ec ? "the request body is not valid JSON (" + ec.message() + ")"
                         : std::string("the request body must be a JSON object");
    const Error invalid{ErrorCode::validation_error, why};
    co_await answer_error(exchange, call, invalid);
    co_return;
  }
  call.body = std::move(parsed.get_object());
  if (auto checked = check_request(call); !checked) {
    co_await answer_error(exchange, call, checked.error());
    co_return;
  }
  call.trace_events = request.header("x-routerly-trace") == "events";
  call.conversation_id = std::string(request.header("x-routerly-conversation-id"));
  call.anthropic_beta = std::string(request.header("anthropic-beta"));

  if (api == Api::responses) {
    auto loaded = co_await load_history(services, exchange, call);
    if (!loaded) {
      co_await answer_error(exchange, call, loaded.error());
      co_return;
    }
  }
  call.input_chars = text_chars(call.body) + (call.history ? text_chars(json::value(*call.history)) : 0);
  co_await count_stream_input(exchange, call);

  const json::value* model = call.body.if_contains("model");
  call.trace.emplace_back(trace_entry(
      "router-request", "router:intake",
      json::object{{"model", model != nullptr && model->is_string() ? json::value(model->get_string()) : json::value("")},
                   {"messageCount", message_count(call.body)},
                   {"projectId", call.caller.project->id}}));

  co_await run_candidates(services, exchange, call);
}

void record_usage(Services& services, const Call& call, const Served& served) {
  services.ctx.usage.submit(build_usage_row(call, served, clock::now_ms()));
}

void record_last_usage(Services& services, Call& call, const Served& served) {
  services.ctx.usage.submit(build_last_usage_row(call, served, clock::now_ms()));
}

// Waiting for the latest ticket rather than the call's own is group commit at no extra cost:
// records submitted in between go into the same transaction or spool write.
boost::asio::awaitable<void> settle_usage(Services& services) {
  usage::Writer& writer = services.ctx.usage;
  if (!writer.sync_mode()) co_return;
  const usage::Writer::Ticket ticket = writer.last_ticket();
  if (writer.settled(ticket)) co_return;
  co_await usage::async_wait_settled(writer, ticket, boost::asio::use_awaitable);
}

}  // namespace routerly::gateway
