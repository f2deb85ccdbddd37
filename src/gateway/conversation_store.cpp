// Stored conversations of /v1/responses (SPEC §00 P14): a finished response is kept for 30
// days with every item of its conversation, so previous_response_id can continue it on any
// provider. Store access runs on the blocking pool.
#include <boost/json.hpp>
#include <functional>

#include "common/clock.hpp"
#include "formats/responses_api.hpp"
#include "formats/responses_item_list.hpp"
#include "gateway/generation.hpp"
#include "spdlog/spdlog.h"

namespace routerly::gateway {

namespace json = boost::json;

namespace {
constexpr int64_t kKeepMs = 30LL * 24 * 3600 * 1000;
}

boost::asio::awaitable<Result<void>> load_history(Services& services, http::Exchange& exchange, Call& call) {
  const json::value* id = call.body.if_contains("previous_response_id");
  if (id == nullptr || !id->is_string() || id->get_string().empty()) co_return Result<void>{};
  std::string response_id(id->get_string());
  std::string project_id = call.caller.project->id;
  Result<std::optional<json::object>> found = std::optional<json::object>();
  std::function<http::Response()> read = [&]() {
    found = services.ctx.store.get_response(response_id, project_id, clock::now_ms());
    return http::Response{};
  };
  co_await exchange.run_blocking(std::move(read));
  if (!found) {
    spdlog::error("cannot read stored response {}: {}", response_id, found.error().message);
    Result<void> unavailable = fail(ErrorCode::internal_error, "the conversation store is unavailable");
    co_return unavailable;
  }
  if (!*found) {
    Result<void> unknown = fail(ErrorCode::not_found, "previous_response_id: no stored response '" + response_id + "'");
    co_return unknown;
  }
  const json::value* items = (*found)->if_contains("items");
  call.history = items != nullptr && items->is_array() ? items->get_array() : json::array();
  co_return Result<void>{};
}

boost::asio::awaitable<void> store_response(Services& services, http::Exchange& exchange, const Call& call,
                                            const json::object& response) {
  if (const json::value* store = call.body.if_contains("store"); store && store->is_bool() && !store->get_bool())
    co_return;
  const json::value* id = response.if_contains("id");
  if (id == nullptr || !id->is_string() || id->get_string().empty()) co_return;

  std::string response_id(id->get_string());
  json::array items = call.history ? *call.history : json::array();
  json::array input;
  if (auto given = formats::responses_input_items(call.body)) {
    input = formats::listable_input_items(*given, response_id);
    for (auto& item : *given) items.push_back(std::move(item));
  }
  if (const json::value* output = response.if_contains("output"); output && output->is_array())
    for (const auto& item : output->get_array()) items.push_back(item);
  // `items` continue the conversation; `input` is what input_items lists for this response.
  json::object doc{{"response", response}, {"items", std::move(items)}, {"input", std::move(input)}};

  std::string project_id = call.caller.project->id;
  std::function<http::Response()> write = [&]() {
    auto put = services.ctx.store.put_response(response_id, project_id, doc, clock::now_ms() + kKeepMs);
    if (!put) spdlog::error("cannot store response {}: {}", response_id, put.error().message);
    return http::Response{};
  };
  co_await exchange.run_blocking(std::move(write));
}

}  // namespace routerly::gateway
