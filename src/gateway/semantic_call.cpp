// The `semantic-intent` routing policy's calls (SPEC §5.4, §13.2, §14.4): embed the request
// text and the intents' examples, classify, keep the intent's pool.
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>
#include <cmath>

#include "common/clock.hpp"
#include "gateway/classify.hpp"
#include "gateway/policy_calls.hpp"
#include "gateway/routing_upstream.hpp"
#include "gateway/trace.hpp"
#include "providers/catalogue.hpp"
#include "routing/semantic/centroid_cache.hpp"
#include "routing/semantic/classify.hpp"
#include "routing/semantic/config.hpp"

namespace routerly::gateway {

namespace json = boost::json;
namespace asio = boost::asio;
namespace semantic = routing::semantic;

namespace {

constexpr std::chrono::milliseconds kDefaultEmbedTimeout{10000};

json::object router_entry(std::string_view message, json::object details) {
  return trace_entry("router-response", message, std::move(details));
}

semantic::CentroidCache& centroid_cache() {
  static semantic::CentroidCache cache;
  return cache;
}

// Where and how to embed (SPEC §13.1 resolution, applied to semantic-intent per §14.4).
struct Embedder {
  std::string model_id;        // as configured (usage rows)
  std::string upstream_model;  // sent as `model`
  std::string provider;        // "openai" | "ollama": the request shape
  std::string endpoint;        // base URL, may be empty (provider default)
  std::string api_key;
  const json::object* model = nullptr;  // the registry model when it resolved
  std::string model_provider;           // provider of that model, for usage rows
};

std::string strip_provider_prefix(std::string_view id) {
  auto slash = id.find('/');
  return std::string(slash == std::string_view::npos ? id : id.substr(slash + 1));
}

Embedder resolve_embedder(Services& services, const Call& call, const semantic::SemanticConfig& config) {
  Embedder e;
  e.model_id = config.model;
  auto resolved = resolve_model(services, call, config.model);
  if (resolved) {
    e.upstream_model = resolved->target.upstream_model;
    e.provider = resolved->target.provider == "ollama" ? "ollama" : config.provider;
    e.endpoint = resolved->target.endpoint;
    e.api_key = resolved->target.api_key;
    e.model = resolved->model;
    e.model_provider = resolved->target.provider;
    return e;
  }
  e.upstream_model = config.model;  // used verbatim (REF) when no configured model matches
  e.provider = config.provider;
  e.endpoint = config.endpoint;
  e.api_key = config.api_key;
  e.model_provider = config.provider;
  return e;
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

struct Embeddings {
  std::vector<semantic::Vector> vectors;
  int64_t tokens = 0;
  int64_t latency_ms = 0;
};

std::optional<semantic::Vector> to_vector(const json::value& v) {
  if (!v.is_array()) return std::nullopt;
  semantic::Vector out;
  out.reserve(v.get_array().size());
  for (const auto& x : v.get_array()) {
    if (!x.is_number()) return std::nullopt;
    out.push_back(x.to_number<double>());
  }
  return out;
}

asio::awaitable<Result<Embeddings>> embed(Services& services, const Embedder& e,
                                          const std::vector<std::string>& texts, Deadline& deadline) {
  const bool ollama = e.provider == "ollama";
  json::array input;
  for (const auto& t : texts) input.emplace_back(t);
  json::object body{{"model", e.upstream_model}, {"input", std::move(input)}};
  http::ClientRequest request;
  request.headers.push_back({"content-type", "application/json"});
  if (ollama) {
    std::string base = trim_slash(e.endpoint.empty() ? "http://localhost:11434" : e.endpoint);
    if (base.ends_with("/v1")) base.resize(base.size() - 3);  // a configured model's OpenAI-compatible base
    request.url = base + "/api/embed";
  } else {
    body["encoding_format"] = "float";
    request.url = trim_slash(e.endpoint.empty() ? "https://api.openai.com/v1" : e.endpoint) + "/embeddings";
    request.headers.push_back({"authorization", "Bearer " + e.api_key});
  }
  request.body = json::serialize(body);

  auto reply = co_await post_json(services, std::move(request), deadline);
  if (!reply) co_return std::unexpected(reply.error());
  if (reply->status < 200 || reply->status >= 300) {
    if (ollama)
      co_return fail(ErrorCode::upstream_error, "Ollama embedding request failed (" +
                                                    std::to_string(reply->status) +
                                                    "): " + reply->body.substr(0, 300));
    co_return fail(ErrorCode::upstream_error, upstream_failure_text(reply->status, reply->body));
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(reply->body, ec);
  if (ec || !parsed.is_object()) co_return fail(ErrorCode::upstream_error, "embedding response is not JSON");
  const json::object& doc = parsed.get_object();
  Embeddings out;
  out.latency_ms = reply->latency_ms;
  if (ollama) {
    const json::value* list = doc.if_contains("embeddings");
    if (list != nullptr && list->is_array())
      for (const auto& v : list->get_array())
        if (auto vec = to_vector(v)) out.vectors.push_back(std::move(*vec));
  } else {
    const json::value* data = doc.if_contains("data");
    if (data != nullptr && data->is_array()) {
      out.vectors.resize(texts.size());
      std::size_t next = 0;
      for (const auto& item : data->get_array()) {
        if (!item.is_object()) continue;
        const json::value* emb = item.get_object().if_contains("embedding");
        const json::value* index = item.get_object().if_contains("index");
        std::size_t at = index != nullptr && index->is_number() ? index->to_number<std::size_t>() : next;
        ++next;
        if (emb == nullptr || at >= out.vectors.size()) continue;
        if (auto vec = to_vector(*emb)) out.vectors[at] = std::move(*vec);
      }
    }
    if (const json::value* usage = doc.if_contains("usage"); usage != nullptr && usage->is_object())
      if (const json::value* p = usage->get_object().if_contains("prompt_tokens");
          p != nullptr && p->is_number())
        out.tokens = p->to_number<int64_t>();
  }
  if (out.vectors.size() != texts.size())
    co_return fail(ErrorCode::upstream_error, "embedding response holds " +
                                                  std::to_string(out.vectors.size()) + " vectors for " +
                                                  std::to_string(texts.size()) + " inputs");
  for (const auto& v : out.vectors)
    if (v.empty()) co_return fail(ErrorCode::upstream_error, "embedding response misses a vector");
  co_return out;
}

double catalogue_input_price(const Embedder& e) {
  const providers::PresetModel* preset = providers::find_preset(e.model_provider, e.upstream_model);
  if (preset == nullptr) preset = providers::find_preset(e.model_provider, strip_provider_prefix(e.model_id));
  return preset != nullptr ? preset->input : 0;
}

std::chrono::milliseconds timeout_of(const json::object& config) {
  const json::value* v = config.if_contains("timeoutMs");
  if (v != nullptr && v->is_number()) {
    double ms = v->to_number<double>();
    if (std::isfinite(ms) && ms > 0) return std::chrono::milliseconds(static_cast<int64_t>(ms));
  }
  return kDefaultEmbedTimeout;
}

}  // namespace

asio::awaitable<routing::PolicyOutcome> run_semantic_intent_policy(Services& services, const Call& call,
                                                                   const routing::PolicyInput& input) {
  routing::PolicyOutcome out;
  out.type = "semantic-intent";
  std::vector<std::string> candidates;
  for (const auto& c : input.candidates) candidates.push_back(c.model_id);

  auto config = semantic::read_semantic_config(input.config);
  if (!config) {
    semantic::pass_all(out, candidates);
    out.trace.push_back(router_entry(
        "policy:semantic-intent:misconfigured",
        json::object{{"reason", "embedding_provider, embedding_model and intents are required"}}));
    co_return out;
  }
  const std::string text = semantic::request_text(input.features);
  if (text.empty()) {
    semantic::pass_all(out, candidates);
    co_return out;
  }

  const Embedder embedder = resolve_embedder(services, call, *config);
  auto executor = co_await asio::this_coro::executor;
  Deadline deadline(executor, timeout_of(input.config));
  auto fail_open = [&](const std::string& error) {
    semantic::pass_all(out, candidates);
    out.trace.push_back(router_entry("policy:semantic-intent:error", json::object{{"error", error}}));
  };

  // The request embedding: its own call, so that its usage row holds only its tokens (§5.4 step 8).
  const std::vector<std::string> request_texts{text};
  auto request_embedding = co_await embed(services, embedder, request_texts, deadline);
  RoutingUsage usage;
  usage.model_id = embedder.model_id;
  usage.provider = embedder.model_provider;
  usage.type = "embeddings";
  usage.model = embedder.model;
  usage.input_price_per_million = embedder.model == nullptr ? catalogue_input_price(embedder) : 0;
  if (!request_embedding) {
    usage.outcome = request_embedding.error().code == ErrorCode::upstream_timeout ? "timeout" : "error";
    usage.error_message = request_embedding.error().message;
    services.ctx.usage.submit(routing_usage_row(call, usage, clock::now_ms()));
    fail_open(request_embedding.error().message);
    co_return out;
  }
  usage.tokens.input = request_embedding->tokens;
  usage.latency_ms = request_embedding->latency_ms;
  services.ctx.usage.submit(routing_usage_row(call, usage, clock::now_ms()));

  // Centroids: cached ones as they are; the rest from one batch of their examples.
  std::vector<semantic::IntentCentroid> centroids(config->intents.size());
  std::vector<std::string> keys(config->intents.size());
  std::vector<std::string> missing_texts;
  std::vector<std::pair<std::size_t, std::size_t>> missing;  // intent index, first text index
  for (std::size_t i = 0; i < config->intents.size(); ++i) {
    const semantic::Intent& intent = config->intents[i];
    centroids[i].intent = intent.name;
    keys[i] = semantic::CentroidCache::key(config->model, intent.name, intent.examples);
    if (intent.examples.empty()) continue;
    if (auto cached = centroid_cache().get(keys[i], input.now_ms)) {
      centroids[i].centroid = std::move(*cached);
      continue;
    }
    missing.emplace_back(i, missing_texts.size());
    for (const auto& example : intent.examples) missing_texts.push_back(example);
  }
  if (!missing_texts.empty()) {
    auto examples = co_await embed(services, embedder, missing_texts, deadline);
    if (!examples) {
      fail_open(examples.error().message);
      co_return out;
    }
    for (auto [intent_index, first] : missing) {
      std::size_t count = config->intents[intent_index].examples.size();
      std::vector<semantic::Vector> vectors(
          examples->vectors.begin() + static_cast<std::ptrdiff_t>(first),
          examples->vectors.begin() + static_cast<std::ptrdiff_t>(first + count));
      centroids[intent_index].centroid = semantic::centroid(vectors);
      centroid_cache().put(keys[intent_index], centroids[intent_index].centroid, input.now_ms);
    }
  }

  const semantic::Classification c = semantic::classify(
      request_embedding->vectors.front(), centroids, config->absolute_threshold, config->ambiguity_threshold);
  out.trace.push_back(
      router_entry("policy:semantic-intent:classification", semantic::classification_details(c)));
  const std::vector<std::string> allowed = semantic::allowed_pool(c, *config, candidates);
  semantic::apply_pool(out, candidates, allowed);
  json::array allowed_json, excluded_json;
  for (const auto& id : allowed) allowed_json.emplace_back(id);
  for (const auto& id : out.excludes) excluded_json.emplace_back(id);
  out.trace.push_back(router_entry("policy:semantic-intent:result",
                                   json::object{{"allowed", std::move(allowed_json)},
                                                {"excluded", std::move(excluded_json)},
                                                {"status", semantic::status_name(c.status)}}));
  co_return out;
}

}  // namespace routerly::gateway
