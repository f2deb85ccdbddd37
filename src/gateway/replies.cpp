#include "gateway/replies.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

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
