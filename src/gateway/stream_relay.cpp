// Streams an upstream answer to the client piece by piece (SPEC §8, §00 P1–P3, P11): every
// upstream read is parsed, translated when the formats differ and written at once.
#include <boost/json.hpp>
#include <utility>

#include "common/clock.hpp"
#include "formats/errors.hpp"
#include "gateway/client_stream.hpp"
#include "gateway/generation.hpp"
#include "gateway/replies.hpp"
#include "metrics/registry.hpp"
#include "usage/cost.hpp"

namespace routerly::gateway {

namespace json = boost::json;

namespace {

double cost_estimate(const Call& call, const Candidate& candidate) {
  if (candidate.model == nullptr) return 0;
  return usage::compute_cost(usage::prices_of_model(*candidate.model),
                             usage::Tokens{estimate_tokens(call.input_chars), 0, 0, 0})
      .total;
}

// A stream the server's shutdown cut: the client reads why, the record says "shutdown".
constexpr std::string_view kShutdownRecord = "shutdown";
Error shutdown_error() {
  return Error{ErrorCode::internal_error, "shutdown: the gateway stopped before the stream finished"};
}

// Counts the stream in the in-flight gauge for as long as it lives.
struct InFlight {
  InFlight() { metrics::Registry::instance().stream_started(); }
  ~InFlight() { metrics::Registry::instance().stream_finished(); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
};

// The most of a non-stream body read to quote the provider's message from.
constexpr std::size_t kMaxQuotedBody = 64u << 10;

}  // namespace

boost::asio::awaitable<Result<StreamOpening>> open_stream(http::ClientResponse& upstream) {
  const std::string_view content_type = upstream.header("content-type");
  if (auto checked = check_stream_content_type(content_type); !checked) {
    Error error = checked.error();
    if (is_json_content_type(content_type))
      if (auto body = co_await upstream.read_all(kMaxQuotedBody))
        error.message += ": " + formats::upstream_error_message(upstream.status, *body);
    co_return std::unexpected(std::move(error));
  }
  // The first event nearly always comes with the headers or in the first piece after them.
  StreamOpening opening;
  while (true) {
    auto piece = co_await upstream.read_some();
    if (!piece) co_return std::unexpected(piece.error());
    if (!*piece) {
      if (auto ended = opening.end(); !ended) co_return std::unexpected(ended.error());
      co_return opening;
    }
    auto fed = opening.feed(**piece);
    if (!fed) co_return std::unexpected(fed.error());
    if (*fed) co_return opening;
  }
}

boost::asio::awaitable<void> relay_stream(Services& services, http::Exchange& exchange, Call& call,
                                          const Candidate& candidate, Mode mode, http::ClientResponse& upstream,
                                          StreamOpening opening) {
  InFlight in_flight;
  StreamContext ctx{call, candidate, cost_estimate(call, candidate)};
  std::unique_ptr<ClientStream> stream = make_client_stream(mode, ctx);
  formats::SseParser parser = std::move(opening.parser());

  Served served{&candidate};
  served.answered = true;
  auto take_counts = [&] {
    served.usage = stream->usage();
    served.output_chars = stream->output_chars();
  };

  std::vector<http::Header> headers{{"content-type", "text/event-stream; charset=utf-8"},
                                    {"cache-control", "no-cache"},
                                    {"x-accel-buffering", "no"},
                                    {std::string(kTraceHeader), call.trace_id}};
  std::optional<Error> failure;
  bool client_left = false;
  std::string out;
  // The opening's events first, then each upstream piece's.
  Result<std::vector<formats::SseEvent>> events = std::move(opening.events());
  bool upstream_ended = false;
  bool started = false;

  while (true) {
    if (!events) {
      failure = events.error();
    } else {
      for (const auto& event : *events)
        if (auto handled = stream->on_event(event, out); !handled) {
          failure = handled.error();
          break;
        }
    }
    if (!started) {
      // The headers leave together with what the opening's events produced (one write); a
      // failure inside those events still goes out in-stream, since a candidate answered.
      started = true;
      if (!out.empty() && !failure) served.ttft_ms = call.elapsed_ms();
      std::string first;
      if (!failure) first = std::exchange(out, std::string());  // else `out` keeps the partial output
      if (!co_await exchange.start_stream(200, std::move(headers), first)) {
        client_left = true;
        break;
      }
    }
    if (failure) break;
    if (!out.empty()) {
      if (!served.ttft_ms) served.ttft_ms = call.elapsed_ms();
      if (!co_await exchange.write(out)) {
        client_left = true;
        break;
      }
      out.clear();
    }
    auto next = co_await upstream.read_some();
    if (exchange.client_gone()) {
      client_left = true;
      break;
    }
    if (exchange.cut_by_shutdown()) {  // the upstream read was cancelled for it
      failure = shutdown_error();
      break;
    }
    if (!next) {
      failure = next.error();
      break;
    }
    if (!*next) {
      upstream_ended = true;
      break;
    }
    events = parser.feed(**next);
  }

  if (upstream_ended) {
    for (const auto& event : parser.finish())
      if (auto handled = stream->on_event(event, out); !handled) {
        failure = handled.error();
        break;
      }
    if (!failure && !stream->upstream_done())
      failure = Error{ErrorCode::upstream_error, "the provider ended the stream before completing it"};
  }

  take_counts();
  if (client_left || exchange.client_gone()) {  // P11: the upstream call is dropped with us
    served.outcome = "error";
    served.error_message = "client_disconnected";
    record_usage(services, call, served);
    co_return;
  }

  if (failure) {
    const bool cut = exchange.cut_by_shutdown();
    if (!cut) metrics::Registry::instance().upstream_error(candidate.target.provider, "stream");
    served.outcome = failure->code == ErrorCode::upstream_timeout ? "timeout" : "error";
    served.error_message = cut ? std::string(kShutdownRecord) : failure->message;
    stream->fail(*failure, out);
    record_usage(services, call, served);
    co_await settle_usage(services);
    co_await exchange.finish(out);
    co_return;
  }

  // The closing model:success entry only reaches clients that asked for trace events: built
  // only for them (it needs a whole record).
  json::object closing;
  if (call.trace_events) closing = model_success_entry(build_usage_row(call, served, clock::now_ms()));
  stream->finish(out, closing);
  take_counts();
  if (call.api == Api::responses)
    if (auto response = stream->response()) co_await store_response(services, exchange, call, *response);
  // Counts may have grown with the closing events (usage in the last event).
  services.ctx.usage.submit(build_last_usage_row(call, served, clock::now_ms()));
  co_await settle_usage(services);  // the terminal events wait for a durable record ("sync")
  co_await exchange.finish(out);
}

}  // namespace routerly::gateway
