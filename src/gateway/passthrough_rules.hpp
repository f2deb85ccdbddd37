#pragma once
// The decisions of the pass-through proxy (SPEC §1.4.7, §00 P19), pure so they can be tested
// without sockets: reserved paths, the project-scoped alias, which model serves the request,
// which headers travel in each direction, and the embeddings usage found in a streamed body.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/runtime.hpp"
#include "http/message.hpp"

namespace routerly::gateway {

// `/`, `/health`, `/metrics`, `/api`, `/api/…`, `/dashboard…`: never proxied (404).
bool is_reserved_path(std::string_view path);

// `/projects/{slug}/v1/<rest>` → {slug, "/v1/<rest>"}; nullopt for any other path.
struct ScopedPath {
  std::string slug;
  std::string path;
};
std::optional<ScopedPath> split_project_path(std::string_view path);

// §1.4.7 step 3: the candidate whose id, upstream id, or id suffix "/<model>" equals the
// body's `model`; else the first candidate; nullptr when the project has none.
// `matched` tells whether the body named it (then its `model` is rewritten to the upstream id).
const Candidate* pick_passthrough_model(const std::vector<Candidate>& candidates,
                                        const boost::json::object* body, bool& matched);

// Request headers to forward: all but hop-by-hop ones (and those named by `connection`), host,
// content-length, the caller's credentials (authorization, x-api-key), accept-encoding (so
// the body comes back readable), x-routerly-*, and any header the adapter sets itself.
std::vector<http::Header> forward_request_headers(const std::vector<http::Header>& inbound,
                                                  const std::vector<http::Header>& adapter_headers);
// Response headers to relay: all but hop-by-hop ones, content-length and x-routerly-trace-id.
std::vector<http::Header> relay_response_headers(const std::vector<http::Header>& upstream);

// Finds `"prompt_tokens": N` in a body that arrives piece by piece (constant memory; a key
// split across pieces is found). The last occurrence wins.
class PromptTokensSniffer {
 public:
  void feed(std::string_view piece);
  void finish();
  std::optional<int64_t> value() const { return value_; }

 private:
  void scan(std::string_view text, bool final);
  std::string carry_;
  std::optional<int64_t> value_;
};

// Code points of the string inputs of an embeddings request (`input`: string or array of
// strings; token arrays count their length × 4 so that /4 gives their token count).
int64_t embeddings_input_chars(const boost::json::object& body);

}  // namespace routerly::gateway
