// Provider adapters (SPEC §7.1, §7.2, D2–D4): the provider table, URL joining, auth headers
// and the OpenAI-compatible body shaping. Pure: no I/O.
#include "providers/adapter.hpp"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/segments_encoded_ref.hpp>
#include <boost/url/url.hpp>

#include "providers/catalogue.hpp"

namespace routerly::providers {
namespace json = boost::json;

namespace {

constexpr std::string_view kAnthropicVersion = "2023-06-01";
constexpr std::string_view kAnthropicOauthBeta = "oauth-2025-04-20";

// How a provider authenticates and which wire it speaks. `fallback_key` is the Bearer value
// sent when no key is configured (empty = send no Authorization header).
struct Kind {
  std::string_view provider;
  Wire wire;
  std::string_view fallback_key;
  bool endpoint_required;  // no catalogue endpoint: the model must carry one
};

// Providers with a working adapter. openai-oauth (subscription bridge) and the *-web
// scrapers are accepted by the model registry but have no adapter (SPEC §7.1).
constexpr std::array kKinds{
    Kind{"openai", Wire::openai, "", false},
    Kind{"anthropic", Wire::anthropic, "", false},
    Kind{"anthropic-oauth", Wire::anthropic, "", false},
    Kind{"gemini", Wire::openai, "", false},
    Kind{"ollama", Wire::openai, "ollama", false},
    Kind{"custom", Wire::openai, "custom", true},
    // D2: OpenAI-compatible, handled like custom with the catalogue endpoint as default.
    Kind{"mistral", Wire::openai, "custom", false},
    Kind{"cohere", Wire::openai, "custom", false},
    Kind{"xai", Wire::openai, "custom", false},
    Kind{"deepseek", Wire::openai, "custom", false},
    Kind{"groq", Wire::openai, "custom", false},
    Kind{"together", Wire::openai, "custom", false},
    Kind{"perplexity", Wire::openai, "custom", false},
};

const Kind* find_kind(std::string_view provider) {
  auto it = std::find_if(kKinds.begin(), kKinds.end(), [&](const Kind& k) { return k.provider == provider; });
  return it == kKinds.end() ? nullptr : &*it;
}

std::string_view string_field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return {};
  return it->value().get_string();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string without_trailing_slashes(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return std::string(s);
}

bool ends_with_v1(std::string_view endpoint) {
  return endpoint.ends_with("/v1");
}

// The credential headers (what pass-through adds; the client's other headers stay).
std::vector<http::Header> auth_headers(const Target& t) {
  std::vector<http::Header> h;
  if (t.provider == "anthropic") {
    h.push_back({"x-api-key", t.api_key});
  } else if (t.provider == "anthropic-oauth") {
    h.push_back({"authorization", "Bearer " + t.api_key});
    h.push_back({"anthropic-beta", std::string(kAnthropicOauthBeta)});
    h.push_back({"anthropic-dangerous-direct-browser-access", "true"});
  } else {
    const Kind* kind = find_kind(t.provider);
    std::string key = !t.api_key.empty() ? t.api_key : kind ? std::string(kind->fallback_key) : std::string();
    if (!key.empty()) h.push_back({"authorization", "Bearer " + key});
  }
  return h;
}

Call json_call(std::string url, const Target& t) {
  Call call{std::move(url), auth_headers(t)};
  if (t.wire == Wire::anthropic)
    call.headers.push_back({"anthropic-version", std::string(kAnthropicVersion)});
  call.headers.push_back({"content-type", "application/json"});
  return call;
}

// Anthropic base URLs conventionally exclude /v1 (the SDK appends it); tolerate one that has it.
std::string anthropic_url(const Target& t, std::string_view rest) {
  return t.endpoint + (ends_with_v1(t.endpoint) ? "" : "/v1") + std::string(rest);
}

// OpenAI reasoning families that accept reasoning_effort / reasoning_summary.
bool reasoning_model(std::string_view upstream) {
  if (upstream.size() >= 2 && upstream[0] == 'o' && upstream[1] >= '0' && upstream[1] <= '9') return true;
  return upstream.starts_with("gpt-5");
}

bool present(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && !it->value().is_null();
}

// `target ?? source` then drop `source` (JavaScript ?? semantics: null counts as absent).
void prefer_then_drop(json::object& body, std::string_view target, std::string_view source) {
  if (!present(body, target) && present(body, source)) {
    json::value copy = body.at(source);  // copied first: inserting may move the object's storage
    body[target] = std::move(copy);
  }
  if (!present(body, target)) body.erase(target);
  body.erase(source);
}

}  // namespace

Result<Target> make_target(const json::object& model, std::string api_key) {
  Target t;
  t.model_id = std::string(string_field(model, "id"));
  t.provider = std::string(string_field(model, "provider"));
  const Kind* kind = find_kind(t.provider);
  if (kind == nullptr) {
    return fail(ErrorCode::validation_error,
                "provider: \"" + t.provider + "\" of model \"" + t.model_id + "\" has no adapter");
  }
  t.wire = kind->wire;

  std::string_view endpoint = trim(string_field(model, "endpoint"));
  if (endpoint.empty()) endpoint = trim(string_field(model, "baseUrl"));
  if (endpoint.empty() && !kind->endpoint_required) {
    if (const ProviderInfo* info = find_provider(t.provider)) endpoint = info->endpoint;
  }
  if (endpoint.empty()) {
    return fail(ErrorCode::validation_error,
                "endpoint: Custom provider model \"" + t.model_id + "\" has no endpoint configured.");
  }
  auto parsed = boost::urls::parse_absolute_uri(endpoint);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") || parsed->host().empty()) {
    return fail(ErrorCode::validation_error,
                "endpoint: model \"" + t.model_id + "\" has an endpoint that is not an http(s) URL");
  }
  t.endpoint = without_trailing_slashes(endpoint);

  // D4: upstreamModelId wins for every provider; else the id minus its "provider/" prefix.
  std::string_view upstream = trim(string_field(model, "upstreamModelId"));
  if (upstream.empty()) {
    std::string_view id = t.model_id;
    auto slash = id.find('/');
    upstream = slash == std::string_view::npos ? id : id.substr(slash + 1);
  }
  t.upstream_model = std::string(upstream);
  t.api_key = std::move(api_key);

  if (auto it = model.find("timeout"); it != model.end()) {
    if (auto ms = it->value().if_int64(); ms && *ms > 0)
      t.timeout = std::chrono::milliseconds(*ms);
    else if (auto ums = it->value().if_uint64(); ums && *ums > 0)
      t.timeout = std::chrono::milliseconds(*ums);
    else if (auto dms = it->value().if_double(); dms && *dms >= 1) {
      t.timeout = std::chrono::milliseconds(static_cast<int64_t>(*dms));
    }
  }
  if (auto it = model.find("capabilities"); it != model.end() && it->value().is_object()) {
    const auto& caps = it->value().get_object();
    if (auto th = caps.find("thinking"); th != caps.end() && th->value().is_bool())
      t.thinking = th->value().get_bool();
  }
  if (auto it = model.find("enabled"); it != model.end() && it->value().is_bool())
    t.enabled = it->value().get_bool();
  return t;
}

Call generation_call(const Target& target) {
  if (target.wire == Wire::anthropic) return json_call(anthropic_url(target, "/messages"), target);
  return json_call(target.endpoint + "/chat/completions", target);
}

Call count_tokens_call(const Target& target) {
  return json_call(anthropic_url(target, "/messages/count_tokens"), target);
}

Call responses_call(const Target& target) {
  return json_call(target.endpoint + "/responses", target);
}

namespace {

bool is_v1_path(std::string_view path) {
  return path == "/v1" || path.starts_with("/v1/");
}

// A segment an upstream could read as something else than one plain segment: a dot segment,
// or one holding an escaped slash or backslash that some servers decode into a separator.
bool ambiguous_segment(std::string_view segment) {
  if (segment == "." || segment == "..") return true;
  for (std::size_t i = 0; i + 2 < segment.size(); ++i) {
    if (segment[i] != '%') continue;
    char hi = segment[i + 1], lo = static_cast<char>(segment[i + 2] | 0x20);
    if ((hi == '2' && lo == 'f') || (hi == '5' && lo == 'c')) return true;
  }
  return false;
}

// Appends the segments of `rest` (a path without its leading '/'). An empty inner segment
// ("//") is dropped; a trailing '/' is kept as an empty last segment.
Result<void> append_segments(boost::urls::segments_encoded_ref segments, std::string_view rest) {
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    if (!segment.empty()) {
      if (ambiguous_segment(segment))
        return fail(ErrorCode::validation_error,
                    "path segment '" + std::string(segment) +
                        "' is not forwarded: dot segments and escaped '/' or '\\' are ambiguous upstream");
      auto encoded = boost::urls::make_pct_string_view(segment);
      if (!encoded)
        return fail(ErrorCode::validation_error,
                    "path segment '" + std::string(segment) + "' is not a valid segment");
      segments.push_back(*encoded);
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
    if (rest.empty()) segments.push_back(boost::urls::pct_string_view());
  }
  return {};
}

}  // namespace

// SPEC §1.4.7 step 4 takes the endpoint's origin + the request path. Refinement (README):
// when the endpoint has a path and the request path starts with /v1/, the endpoint's path
// replaces that /v1, so gemini (…/v1beta/openai) and groq (…/openai/v1) reach the right
// place; for endpoints ending in /v1 or without a path this is exactly the origin rule.
// The URL is the endpoint's, with only its path and query changed segment by segment: no
// request path can change its scheme, host or port.
Result<Call> passthrough_call(const Target& target, std::string_view path, std::string_view query) {
  if (path.empty() || path.front() != '/')
    return fail(ErrorCode::validation_error, "pass-through path must start with '/'");
  auto endpoint = boost::urls::parse_absolute_uri(target.endpoint);
  if (!endpoint)
    return fail(ErrorCode::validation_error, "endpoint of model \"" + target.model_id + "\" is not a URL");
  boost::urls::url url(*endpoint);
  url.remove_query();
  url.remove_fragment();

  auto segments = url.encoded_segments();
  while (!segments.empty() && segments.back().empty()) segments.pop_back();
  std::string_view rest = path.substr(1);
  if (!segments.empty() && is_v1_path(path))
    rest = rest.size() > 2 ? rest.substr(3) : std::string_view();  // the endpoint's path stands for /v1
  else
    segments.clear();
  url.set_path_absolute(true);

  if (auto appended = append_segments(segments, rest); !appended) return std::unexpected(appended.error());
  if (!query.empty()) {
    if (!boost::urls::parse_query(query))
      return fail(ErrorCode::validation_error, "query string is not valid: " + std::string(query));
    url.set_encoded_query(query);
  }
  return Call{std::string(url.buffer()), auth_headers(target)};
}

void shape_openai_body(json::object& body, const Target& target, bool stream) {
  body["model"] = target.upstream_model;
  if (stream) {
    body["stream"] = true;
    json::object options;
    if (auto it = body.find("stream_options"); it != body.end() && it->value().is_object()) {
      options = it->value().get_object();
    }
    options["include_usage"] = true;
    body["stream_options"] = std::move(options);
  } else {
    body["stream"] = false;
    body.erase("stream_options");  // OpenAI rejects stream_options on non-stream calls
  }

  if (target.provider == "openai") {
    body.erase("input");
    prefer_then_drop(body, "max_completion_tokens", "max_tokens");
    if (!reasoning_model(target.upstream_model)) {
      body.erase("reasoning_effort");
      body.erase("reasoning_summary");
    }
  } else if (target.provider == "ollama") {
    prefer_then_drop(body, "max_tokens", "max_completion_tokens");
    if (!target.thinking) body["think"] = false;
  }
}

}  // namespace routerly::providers
