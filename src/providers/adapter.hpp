#pragma once
// Provider adapters (SPEC §7.1, §7.2, D2–D4): from a model document to the upstream URL,
// auth headers, upstream model name and native wire format. Pure: no I/O.
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "http/message.hpp"

namespace routerly::providers {

enum class Wire { openai, anthropic };

// A model compiled for calling: resolved endpoint, upstream id, decrypted key.
struct Target {
  std::string model_id;        // Routerly id, e.g. "openai/gpt-4o"
  std::string provider;        // "openai", "anthropic", ...
  Wire wire = Wire::openai;
  std::string endpoint;        // base URL without trailing slash
  std::string upstream_model;  // upstreamModelId, else the id without its "provider/" prefix
  std::string api_key;         // plain text, memory only; may be empty
  std::optional<std::chrono::milliseconds> timeout;  // model.timeout
  bool thinking = false;       // capabilities.thinking
  bool enabled = true;
};

// Builds a Target from a stored model document and its decrypted key. Fails (validation_error)
// for an unknown provider or a provider without a usable endpoint (e.g. custom without one).
Result<Target> make_target(const boost::json::object& model, std::string api_key);

struct Call {
  std::string url;
  std::vector<http::Header> headers;  // auth, anthropic-version, content-type
};

// POST target for the provider's native generation endpoint:
// OpenAI-compatible → <endpoint>/chat/completions; Anthropic → <endpoint>/v1/messages.
Call generation_call(const Target& target);
// Anthropic's count endpoint (<endpoint>/v1/messages/count_tokens); only for Wire::anthropic.
Call count_tokens_call(const Target& target);
// OpenAI-compatible Responses endpoint (<endpoint>/responses); only for provider "openai".
Call responses_call(const Target& target);
// Pass-through: the endpoint's URL with the request's path and query. `path` must
// start with '/' and be normalised (no dot segments; an escaped slash or backslash is refused,
// since an upstream may read it as a separator); `query` is an encoded query without '?'. Whatever
// they hold, the URL keeps the endpoint's scheme, host and port. validation_error otherwise.
Result<Call> passthrough_call(const Target& target, std::string_view path, std::string_view query = {});

// Shapes an OpenAI Chat Completions body for this provider (SPEC §7.2): model name, stream
// flag with stream_options.include_usage for streams, openai's max_completion_tokens rule and
// reasoning-field removal, ollama's max_tokens and think rules.
void shape_openai_body(boost::json::object& body, const Target& target, bool stream);

}  // namespace routerly::providers
