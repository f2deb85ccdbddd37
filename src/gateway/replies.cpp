#include "gateway/replies.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/clock.hpp"
#include "formats/errors.hpp"

namespace routerly::gateway {

namespace json = boost::json;

http::Response json_reply(unsigned status, std::string body, std::string_view trace_id) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.set_header("content-type", "application/json");
  response.set_header(std::string(kTraceHeader), std::string(trace_id));
  return response;
}

http::Response client_error(Api /*api*/, const Error& error, std::string_view trace_id) {
  return json_reply(http_status(error.code), error_body(error), trace_id);
}

RetryHint retry_hint(const Error& error, const RefusalFacts& facts, int64_t now_ms) {
  constexpr int64_t kLongestHintMs = 24 * 60 * 60 * 1000;
  RetryHint hint;
  if (error.code == ErrorCode::no_model_available) {
    hint.futile = facts.request_bound;
    return hint;
  }
  if (error.code != ErrorCode::budget_exceeded) return hint;
  hint.futile = true;
  if (facts.budget_reopens_ms.empty()) return hint;
  // The request passes once any blocked candidate reopens; unknown for one → unknown.
  const int64_t earliest = *std::min_element(facts.budget_reopens_ms.begin(), facts.budget_reopens_ms.end());
  if (earliest <= 0) return hint;
  const int64_t wait_ms = std::max<int64_t>(earliest - now_ms, 0);
  if (wait_ms <= kLongestHintMs) hint.after_seconds = (wait_ms + 999) / 1000;
  return hint;
}

void set_retry_headers(http::Response& response, const RetryHint& hint) {
  if (hint.futile) response.set_header("x-should-retry", "false");
  if (hint.after_seconds) response.set_header("retry-after", std::to_string(*hint.after_seconds));
}

http::Response call_error(const Call& call, const Error& error) {
  http::Response response = client_error(call.api, error, call.trace_id);
  set_retry_headers(response, retry_hint(error, call.refusal, clock::now_ms()));
  return response;
}

http::Response relayed_upstream_error(Api api, Mode mode, unsigned status, std::string_view body,
                                      std::string_view trace_id) {
  bool client_anthropic = api == Api::messages;
  bool upstream_anthropic = upstream_speaks_anthropic(mode);
  if (client_anthropic != upstream_anthropic) {
    json::object converted = client_anthropic ? formats::openai_error_to_anthropic(status, body)
                                              : formats::anthropic_error_to_openai(status, body);
    return json_reply(status, json::serialize(converted), trace_id);
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (!ec && parsed.is_object()) return json_reply(status, std::string(body), trace_id);
  // Not a JSON error body: say what the provider said, in the client's format.
  Error error{status >= 500 ? ErrorCode::upstream_error : ErrorCode::validation_error,
              formats::upstream_error_message(status, body)};
  json::object wrapped =
      client_anthropic ? formats::anthropic_error_body(error) : formats::openai_error_body(error);
  return json_reply(status, json::serialize(wrapped), trace_id);
}

}  // namespace routerly::gateway
