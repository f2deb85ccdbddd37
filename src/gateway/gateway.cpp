#include "gateway/gateway.hpp"

#include <spdlog/spdlog.h>

#include "common/clock.hpp"
#include "common/ids.hpp"

#include "gateway/generation.hpp"
#include "gateway/models_route.hpp"
#include "gateway/passthrough_rules.hpp"
#include "gateway/policy_calls.hpp"
#include "gateway/replies.hpp"
#include "gateway/services.hpp"
#include "gateway/stats_feed.hpp"
#include "metrics/registry.hpp"
#include "notify/notifier.hpp"

namespace routerly::gateway {

struct Gateway::Impl {
  explicit Impl(Context ctx) : notifier(ctx.notifier), services(ctx) {}
  notify::Notifier& notifier;  // the ledger's alert sink points at it
  Services services;
};

namespace {

// Budget alerts go to the notifier; every new record settles or counts in the ledger. (Its
// stored counters are loaded by the counter journal, budget/journal.hpp.)
void start_budgets(Context ctx, budget::Ledger& ledger, notify::Notifier& notifier) {
  ledger.set_alert_sink([&notifier](const budget::Alert& alert) {
    notify::BudgetEvent event;
    event.event = alert.event;
    event.level = alert.limit.level;
    event.name = alert.limit.name;
    event.metric = alert.limit.metric;
    event.window = alert.limit.window;
    event.limit = alert.limit.limit;
    event.current = alert.limit.current;
    event.window_key = alert.window_key;
    notifier.budget_event(event);
  });
  // The listener holds a copy (same counters), so it stays valid whatever outlives whom.
  ctx.usage.subscribe([ledger](const store::UsageRow& row) mutable { ledger.record(row); });
}

}  // namespace

Gateway::Gateway(Context ctx) : impl_(std::make_unique<Impl>(ctx)) {
  // Every proxied call reaches the metrics through the usage stream (P24).
  ctx.usage.subscribe([](const store::UsageRow& row) { metrics::Registry::instance().observe_usage(row); });
  start_budgets(ctx, impl_->services.ledger, impl_->notifier);
  impl_->services.stats = start_stats_feed(ctx.store, ctx.usage, clock::now_ms());  // routing history
  impl_->services.async_policies = AsyncPolicies{run_llm_policy, run_semantic_intent_policy};
}

Gateway::~Gateway() = default;

budget::Ledger Gateway::ledger() const {
  return impl_->services.ledger;
}

void Gateway::register_routes(http::Router& router) {
  Services& s = impl_->services;
  auto generation = [&s](Api api) {
    return [&s, api](http::Exchange& exchange) { return serve_generation(s, exchange, api); };
  };
  auto models = [&s](http::Exchange& exchange) { return serve_models(s, exchange); };
  auto count = [&s](http::Exchange& exchange) { return serve_count_tokens(s, exchange); };
  auto stored = [&s](StoredResponseOp op) {
    return [&s, op](http::Exchange& exchange) { return serve_stored_response(s, exchange, op); };
  };

  auto passthrough = [&s](http::Exchange& exchange) { return serve_passthrough(s, exchange); };
  // A named route answers its own method; any other method on its path goes to the upstream
  // (e.g. OpenAI's stored-completions listing is GET /v1/chat/completions), not 405.
  auto named = [&](std::string method, std::string pattern, http::AsyncHandler handler) {
    router.add_async(std::move(method), pattern, std::move(handler));
    router.add_async("*", std::move(pattern), passthrough);
  };

  for (std::string prefix : {"", "/projects/{slug}"}) {
    named("POST", prefix + "/v1/chat/completions", generation(Api::chat));
    named("POST", prefix + "/v1/messages", generation(Api::messages));
    named("POST", prefix + "/v1/responses", generation(Api::responses));
    named("POST", prefix + "/v1/messages/count_tokens", count);
    router.add_async("DELETE", prefix + "/v1/responses/{id}", stored(StoredResponseOp::remove));
    named("GET", prefix + "/v1/responses/{id}", stored(StoredResponseOp::get));
    named("GET", prefix + "/v1/responses/{id}/input_items", stored(StoredResponseOp::input_items));
    named("GET", prefix + "/v1/models", models);
    named("GET", prefix + "/v1/models/{model}", models);
    // An unencoded model id ("openai/gpt-4o") spans two segments.
    named("GET", prefix + "/v1/models/{provider}/{model}", models);
  }
  // Answers the server makes itself (a refused target, 413, a failed handler) carry a trace id
  // on the proxy's paths too, like every answer of the proxy.
  router.on_server_answer([](const http::Request& request, http::Response& response) {
    if (is_proxy_path(request.path) && response.header(kTraceHeader).empty())
      response.set_header(std::string(kTraceHeader), ids::uuid_v7());
  });
}

boost::asio::awaitable<void> Gateway::passthrough(http::Exchange& exchange) {
  return serve_passthrough(impl_->services, exchange);
}

}  // namespace routerly::gateway
