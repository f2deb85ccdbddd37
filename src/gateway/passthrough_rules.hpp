#pragma once
// The decisions of the pass-through proxy (SPEC §1.4.7, §00 P19), pure so they can be tested
// without sockets: reserved paths, the project-scoped alias, which model serves the request,
// which headers travel in each direction, the billable routes and the usage found in a
// streamed body.
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
// Response headers to relay: all but hop-by-hop ones, content-length, x-routerly-trace-id and
// set-cookie (an upstream's cookies would land on the gateway's origin).
std::vector<http::Header> relay_response_headers(const std::vector<http::Header>& upstream);

// Finds the token counts of an answer's `usage` in a body that arrives piece by piece
// (constant memory; a key split across pieces is found): input from `"prompt_tokens"` or
// `"input_tokens"`, output from `"completion_tokens"` or `"output_tokens"`. The last
// occurrence of each wins (a stream's final usage).
class UsageSniffer {
 public:
  void feed(std::string_view piece);
  void finish();
  std::optional<int64_t> input() const { return input_; }
  std::optional<int64_t> output() const { return output_; }

 private:
  void scan(std::string_view text, bool final);
  std::string carry_;
  std::optional<int64_t> input_, output_;
};

// A pass-through route that costs money: budgeted before the call and recorded after it like
// the named routes.
struct BillableRoute {
  std::string_view path;         // exact, or a prefix of longer paths when it ends with '/'
  std::string_view type;         // the usage record's `type`
  std::string_view input_field;  // the request field holding the text it reads, for estimates
};
// The billable route a POST to `path` (project prefix removed) is, or nullptr.
const BillableRoute* billable_route(std::string_view method, std::string_view path);

// Code points of the text inputs in `body[field]`: a string, an array of strings, or an array of
// {"text": …} parts; token arrays count their length × 4 so that /4 gives their token count.
int64_t input_chars(const boost::json::object& body, std::string_view field);

// `/v1`, `/v1/…` and `/projects/{slug}/v1…`: the paths of the LLM proxy, whose every answer
// carries a trace id.
bool is_proxy_path(std::string_view path);

}  // namespace routerly::gateway
