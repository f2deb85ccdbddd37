#pragma once
// Project-token authentication of the proxy (SPEC §2.1 with §00 P6, P15): the token comes
// from `Authorization: Bearer sk-rt-…` or `x-api-key: sk-rt-…`, is hashed (SHA-256) and looked
// up in the compiled runtime. Failures use the §00 envelope (401 unauthorized; 404 not_found
// for a /projects/{slug}/… path the token's project does not match).
#include <memory>
#include <string_view>

#include "common/error.hpp"
#include "gateway/runtime.hpp"
#include "http/message.hpp"

namespace routerly::gateway {

// Who is calling: valid while `runtime` is held.
struct Caller {
  std::shared_ptr<const Runtime> runtime;
  const ProjectView* project = nullptr;
  const TokenView* token = nullptr;
};

// The presented credential: the Bearer value, else x-api-key; empty when neither is sent.
std::string_view presented_token(const http::Request& request);

// Authenticates the request. When the router captured a `slug` path parameter
// (/projects/{slug}/v1/...), the token's project must have that slug or id, else not_found.
Result<Caller> authenticate(const http::Request& request, const Runtime& runtime);
Result<Caller> authenticate(const http::Request& request, RuntimeCache& cache);

}  // namespace routerly::gateway
