#pragma once
// A blocking HTTP client for the CLI (the CLI is a short-lived process, not the gateway).
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace routerly::cli {

struct HttpReply {
  long status = 0;
  std::string body;
};

// Sends `method url` with an optional JSON body and bearer token. A reply of any status is a
// value; only transport failures (refused, timeout, bad URL) are errors.
Result<HttpReply> http_request(std::string_view method, const std::string& url, const std::string* json_body,
                               const std::string& bearer);

}  // namespace routerly::cli
