#include "gateway/gateway.hpp"

#include "gateway/generation.hpp"
#include "gateway/models_route.hpp"
#include "gateway/services.hpp"
#include "metrics/registry.hpp"

namespace routerly::gateway {

struct Gateway::Impl {
  explicit Impl(Context ctx) : services(ctx) {}
  Services services;
};

Gateway::Gateway(Context ctx) : impl_(std::make_unique<Impl>(ctx)) {
  // Every proxied call reaches the metrics through the usage stream (P24).
  ctx.usage.subscribe([](const store::UsageRow& row) { metrics::Registry::instance().observe_usage(row); });
}

Gateway::~Gateway() = default;

void Gateway::register_routes(http::Router& router) {
  Services& s = impl_->services;
  auto generation = [&s](Api api) {
    return [&s, api](http::Exchange& exchange) { return serve_generation(s, exchange, api); };
  };
  auto models = [&s](http::Exchange& exchange) { return serve_models(s, exchange); };
  auto count = [&s](http::Exchange& exchange) { return serve_count_tokens(s, exchange); };

  for (std::string prefix : {"", "/projects/{slug}"}) {
    router.add_async("POST", prefix + "/v1/chat/completions", generation(Api::chat));
    router.add_async("POST", prefix + "/v1/messages", generation(Api::messages));
    router.add_async("POST", prefix + "/v1/responses", generation(Api::responses));
    router.add_async("POST", prefix + "/v1/messages/count_tokens", count);
    router.add_async("GET", prefix + "/v1/models", models);
    router.add_async("GET", prefix + "/v1/models/{model}", models);
    // An unencoded model id ("openai/gpt-4o") spans two segments.
    router.add_async("GET", prefix + "/v1/models/{provider}/{model}", models);
  }
  router.add("GET", "/metrics", [&s](http::Request& request) { return metrics_response(s, request); });
}

boost::asio::awaitable<void> Gateway::passthrough(http::Exchange& exchange) {
  return serve_passthrough(impl_->services, exchange);
}

}  // namespace routerly::gateway
