#include "gateway/proxy_auth.hpp"

#include "auth/project_tokens.hpp"

namespace routerly::gateway {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view presented_token(const http::Request& request) {
  std::string_view authorization = request.header("authorization");
  if (authorization.size() > 7) {
    std::string_view scheme = authorization.substr(0, 7);
    if (scheme == "Bearer " || scheme == "bearer ") {
      std::string_view value = trim(authorization.substr(7));
      if (!value.empty()) return value;
    }
  }
  return trim(request.header("x-api-key"));
}

Result<Caller> authenticate(const http::Request& request, const Runtime& runtime) {
  std::string_view token = presented_token(request);
  if (token.empty())
    return fail(ErrorCode::unauthorized,
                "Missing project token. Expected: Authorization: Bearer sk-rt-… or x-api-key: sk-rt-…");
  if (!auth::looks_like_project_token(token)) return fail(ErrorCode::unauthorized, "Invalid project token.");
  // The lookup is by hash, so no comparison of the secret itself happens here.
  const TokenView* view = runtime.token_by_hash(auth::hash_project_token(token));
  if (view == nullptr || view->project == nullptr) return fail(ErrorCode::unauthorized, "Invalid project token.");
  std::string_view slug = request.param("slug");
  if (!slug.empty() && slug != view->project->slug && slug != view->project->id)
    return fail(ErrorCode::not_found, "Unknown project '" + std::string(slug) + "' for this token");
  return Caller{nullptr, view->project, view};
}

Result<Caller> authenticate(const http::Request& request, RuntimeCache& cache) {
  std::shared_ptr<const Runtime> runtime = cache.get();
  auto caller = authenticate(request, *runtime);
  if (caller) caller->runtime = std::move(runtime);
  return caller;
}

}  // namespace routerly::gateway
