#pragma once
// The generation routes (/v1/chat/completions, /v1/messages, /v1/responses and their
// /projects/{slug} aliases): auth, body checks, then the candidate loop.
#include <boost/asio/awaitable.hpp>
#include <string>

#include "common/error.hpp"
#include "formats/tokenizer.hpp"
#include "gateway/call.hpp"
#include "gateway/services.hpp"
#include "gateway/stream_opening.hpp"
#include "gateway/upstream_plan.hpp"
#include "gateway/usage_recorder.hpp"
#include "http/client.hpp"
#include "http/exchange.hpp"

namespace routerly::gateway {

boost::asio::awaitable<void> serve_generation(Services& services, http::Exchange& exchange, Api api);

// Body checks per route (validation_error naming the field). Fills call.stream and
// call.client_wants_usage from the body.
Result<void> check_request(Call& call);

// Tries the candidates in order and answers the client (attempt.cpp).
boost::asio::awaitable<void> run_candidates(Services& services, http::Exchange& exchange, Call& call);

// Reads a 200 answer to a stream request until its first event (stream_relay.cpp). Fails when
// the answer is not an event stream or ends before its first event: nothing reached the client
// yet, so the attempt failed like a 5xx.
boost::asio::awaitable<Result<StreamOpening>> open_stream(http::ClientResponse& upstream);

// Relays an upstream stream that open_stream() opened (stream_relay.cpp). Answers the client
// and submits the usage record.
boost::asio::awaitable<void> relay_stream(Services& services, http::Exchange& exchange, Call& call,
                                          const Candidate& candidate, Mode mode, http::ClientResponse& upstream,
                                          StreamOpening opening);

// Submits the request's one usage record (never waits on disk).
void record_usage(Services& services, const Call& call, const Served& served);
// record_usage for the call's last record: moves the call's trace into it (call.trace is
// empty afterwards).
void record_last_usage(Services& services, Call& call, const Served& served);
// settings.usageDurability "sync": waits, without blocking the thread, until every usage record
// submitted so far (the call's own among them) is durable. Await it after the call's last
// record and before the response's last bytes. Returns at once in "batched" mode.
boost::asio::awaitable<void> settle_usage(Services& services);

// /v1/responses conversation store (conversation_store.cpp): loads the items of
// previous_response_id into call.history (not_found when unknown or expired) and stores a
// finished response with its conversation (unless the request says store:false).
boost::asio::awaitable<Result<void>> load_history(Services& services, http::Exchange& exchange, Call& call);
boost::asio::awaitable<void> store_response(Services& services, http::Exchange& exchange, const Call& call,
                                            const boost::json::object& response);

// /v1/messages streams that an OpenAI-compatible upstream may serve (messages_stream.cpp): the
// request's o200k count into call.input_tokens, counted on the blocking pool before the first
// attempt; requests past kMaxCountedStreamChars of text keep the estimate, so counting never
// delays a call by more than a few tens of milliseconds.
inline constexpr int64_t kMaxCountedStreamChars = 256 * 1024;
boost::asio::awaitable<void> count_stream_input(http::Exchange& exchange, Call& call);
// The o200k count message_start reports (count_tokens' local answer), or nullopt without a
// tokenizer.
std::optional<int64_t> stream_input_tokens(const boost::json::object& body, const formats::Tokenizer* tokenizer);

// Sends a gateway-made error in the client's format.
boost::asio::awaitable<void> answer_error(http::Exchange& exchange, const Call& call, const Error& error);

}  // namespace routerly::gateway
