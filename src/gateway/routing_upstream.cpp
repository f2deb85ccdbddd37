#include "gateway/routing_upstream.hpp"

#include "gateway/usage_recorder.hpp"

#include <boost/asio/steady_timer.hpp>

#include "common/ids.hpp"
#include "usage/cost.hpp"

namespace routerly::gateway {

namespace json = boost::json;
namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxReply = 4u << 20;

std::string_view text_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

// The stored key: sealed (apiKeyEnc), or a legacy plain apiKey. Empty when none or unreadable.
std::string model_key(const json::object& model, const crypto::SecretBox& key_box) {
  std::string_view sealed = text_of(model, "apiKeyEnc");
  if (!sealed.empty()) {
    auto opened = key_box.open(sealed);
    return opened ? std::move(*opened) : std::string();
  }
  return std::string(text_of(model, "apiKey"));
}

}  // namespace

std::expected<RoutingTarget, std::string> resolve_model(Services& services, const Call& call,
                                                        std::string_view id) {
  if (call.caller.project != nullptr)
    for (const auto& c : call.caller.project->candidates)
      if (c.target.model_id == id) return RoutingTarget{c.target, c.model, true};
  if (call.caller.runtime == nullptr) return std::unexpected(std::string("unknown model"));
  const json::object* model = call.caller.runtime->snapshot().model(id);
  if (model == nullptr) return std::unexpected(std::string("unknown model"));
  if (const json::value* e = model->if_contains("enabled"); e != nullptr && e->is_bool() && !e->as_bool())
    return std::unexpected(std::string("model is disabled"));
  auto target = providers::make_target(*model, model_key(*model, services.ctx.key_box));
  if (!target) return std::unexpected(target.error().message);
  return RoutingTarget{std::move(*target), model, false};
}

struct Deadline::State {
  asio::steady_timer timer;
  asio::cancellation_signal signal;
  bool fired = false;
  explicit State(const asio::any_io_executor& executor) : timer(executor) {}
};

Deadline::Deadline(const asio::any_io_executor& executor, std::chrono::milliseconds limit)
    : state_(std::make_shared<State>(executor)),
      limit_(limit),
      end_(std::chrono::steady_clock::now() + limit) {
  state_->timer.expires_after(limit);
  state_->timer.async_wait([state = state_](const boost::system::error_code& ec) {
    if (ec) return;
    state->fired = true;
    state->signal.emit(asio::cancellation_type::terminal);
  });
}

Deadline::~Deadline() {
  state_->timer.cancel();
}

asio::cancellation_slot Deadline::slot() {
  return state_->signal.slot();
}

bool Deadline::expired() const {
  return state_->fired || std::chrono::steady_clock::now() >= end_;
}

std::chrono::milliseconds Deadline::remaining() const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end_ - std::chrono::steady_clock::now());
  return left.count() > 0 ? left : std::chrono::milliseconds(0);
}

asio::awaitable<Result<PostReply>> post_json(Services& services, http::ClientRequest request,
                                             Deadline& deadline) {
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
        .count();
  };
  const std::string timeout_text = "timeout after " + std::to_string(deadline.limit().count()) + " ms";
  if (deadline.expired()) co_return fail(ErrorCode::upstream_timeout, timeout_text);
  const std::chrono::milliseconds left = deadline.remaining();
  request.headers_timeout = left;
  request.idle_timeout = left;
  request.connect_timeout = std::min(left, std::chrono::milliseconds(10000));
  auto sent = co_await services.ctx.client.send(std::move(request), deadline.slot());
  if (!sent) {
    if (deadline.expired() || sent.error().code == ErrorCode::upstream_timeout)
      co_return fail(ErrorCode::upstream_timeout, timeout_text);
    co_return fail(ErrorCode::upstream_error, "network error: " + sent.error().message);
  }
  PostReply reply;
  reply.status = (*sent)->status;
  auto body = co_await (*sent)->read_all(kMaxReply);
  if (!body) {
    if (deadline.expired() || body.error().code == ErrorCode::upstream_timeout)
      co_return fail(ErrorCode::upstream_timeout, timeout_text);
    co_return fail(ErrorCode::upstream_error, "network error: " + body.error().message);
  }
  reply.body = std::move(*body);
  reply.latency_ms = elapsed();
  co_return reply;
}

store::UsageRow routing_usage_row(const Call& call, const RoutingUsage& usage, int64_t now_ms) {
  store::UsageRow row = caller_usage_row(call, now_ms);
  row.model_id = usage.model_id;
  row.provider = usage.provider;
  row.type = usage.type;
  row.call_type = "routing";
  row.stream = false;
  row.trace_id = call.trace_id;
  row.latency_ms = usage.latency_ms;
  row.outcome = usage.outcome;
  row.error_message = usage.error_message;
  row.input_tokens = usage.tokens.input;
  row.output_tokens = usage.tokens.output;
  row.cached_input_tokens = usage.tokens.cached_input;
  row.cache_creation_input_tokens = usage.tokens.cache_creation;
  usage::Prices prices;
  if (usage.model != nullptr) {
    prices = usage::prices_of_model(*usage.model);
  } else {
    prices.input = usage.input_price_per_million;
  }
  usage::Cost cost =
      usage::compute_cost(prices, usage::Tokens{usage.tokens.input, usage.tokens.output,
                                                usage.tokens.cached_input, usage.tokens.cache_creation});
  row.cost = cost.total;
  row.cost_input = cost.input;
  row.cost_output = cost.output;
  row.price_input = cost.price_input;
  row.price_output = cost.price_output;
  row.trace = usage.trace;
  return row;
}

}  // namespace routerly::gateway
