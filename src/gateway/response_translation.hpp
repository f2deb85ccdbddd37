#pragma once
// A successful non-streamed upstream answer → the client's body (verbatim when the formats
// match), with the usage and output size the record needs. Pure.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "formats/usage.hpp"
#include "gateway/call.hpp"
#include "gateway/upstream_plan.hpp"

namespace routerly::gateway {

struct ClientBody {
  std::string body;
  std::optional<formats::TokenUsage> usage;  // nullopt when the provider reported none
  int64_t output_chars = 0;
  std::optional<boost::json::object> response;  // /v1/responses: the response object
};

// upstream_error when the upstream body is not what its format promises (malformed JSON,
// not a completion): the candidate loop then moves on.
Result<ClientBody> translate_response(Mode mode, const Call& call, const providers::Target& target,
                                      std::string_view upstream_body);

// The previous_response_id a /v1/responses call continues (when its history was loaded).
std::string_view continued_from(const Call& call);

// "resp_<32 hex>": ids for responses the gateway builds itself.
std::string new_response_id();

}  // namespace routerly::gateway
