// GET /v1/responses/{id}, GET /v1/responses/{id}/input_items and DELETE /v1/responses/{id}:
// answered from the gateway's own store for the responses it stored (translated ones too, which
// no provider knows), scoped to the token's project; an id the project does not hold here
// goes to the upstream through the pass-through, as any unrouted path would; one the gateway
// knows as another project's, or as deleted, is not found. Store access runs on the blocking
// pool.
#include <algorithm>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "common/clock.hpp"
#include "common/ids.hpp"
#include "formats/responses_item_list.hpp"
#include "gateway/replies.hpp"
#include "gateway/services.hpp"

namespace routerly::gateway {

namespace json = boost::json;

namespace {

const Error kStoreUnavailable{ErrorCode::internal_error, "the conversation store is unavailable"};

// What input_items lists: the stored input, or for documents written before the input was
// kept apart, the conversation without this response's output.
json::array stored_input(const json::object& doc) {
  if (const json::value* input = doc.if_contains("input"); input && input->is_array()) return input->get_array();
  json::array items;
  if (const json::value* all = doc.if_contains("items"); all && all->is_array()) items = all->get_array();
  const json::value* r = doc.if_contains("response");
  const json::object* response = r != nullptr ? r->if_object() : nullptr;
  std::size_t outputs = 0;
  std::string id;
  if (response != nullptr) {
    if (const json::value* out = response->if_contains("output"); out && out->is_array())
      outputs = out->get_array().size();
    if (const json::value* v = response->if_contains("id"); v && v->is_string()) id = v->get_string();
  }
  items.resize(items.size() - std::min(outputs, items.size()));
  return formats::listable_input_items(items, id);
}

http::Response unknown(const std::string& id, const std::string& trace_id) {
  return client_error(Api::responses, Error{ErrorCode::not_found, "Response with id '" + id + "' not found"},
                      trace_id);
}

// The answer when the gateway knows the id, or nullopt when it does not (the upstream may).
// Another project's response and a deleted one are not found, whoever asks the upstream.
Result<std::optional<http::Response>> answer_stored(Services& services, const std::string& id,
                                                    StoredResponseOp op, const std::string& project_id,
                                                    const formats::ItemPageQuery& page,
                                                    const std::string& trace_id) {
  const int64_t now = clock::now_ms();
  auto found = services.ctx.store.find_response(id, now);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::optional<http::Response>();
  const store::StoredResponse& stored = **found;
  if (stored.project_id != project_id || !stored.doc) return std::optional(unknown(id, trace_id));
  const json::object& doc = *stored.doc;
  switch (op) {
    case StoredResponseOp::remove: {
      auto removed = services.ctx.store.delete_response(id, project_id, now);
      if (!removed) return std::unexpected(removed.error());
      if (!*removed) return std::optional(unknown(id, trace_id));  // a concurrent delete won
      json::object gone{{"id", id}, {"object", "response"}, {"deleted", true}};
      return std::optional(json_reply(200, json::serialize(gone), trace_id));
    }
    case StoredResponseOp::get: {
      const json::value* response = doc.if_contains("response");
      if (response == nullptr || !response->is_object())
        return fail(ErrorCode::internal_error, "stored response " + id + " has no response object");
      return std::optional(json_reply(200, json::serialize(*response), trace_id));
    }
    case StoredResponseOp::input_items: {
      auto listed = formats::item_page(stored_input(doc), page);
      if (!listed) return std::optional(client_error(Api::responses, listed.error(), trace_id));
      return std::optional(json_reply(200, json::serialize(*listed), trace_id));
    }
  }
  return std::optional<http::Response>();
}

}  // namespace

boost::asio::awaitable<void> serve_stored_response(Services& services, http::Exchange& exchange,
                                                   StoredResponseOp op) {
  http::Request& request = exchange.request();
  const std::string trace_id = ids::uuid_v7();
  auto caller = authenticate(request, services.runtime);
  if (!caller) {
    co_await exchange.respond(client_error(Api::responses, caller.error(), trace_id));
    co_return;
  }
  formats::ItemPageQuery page;
  if (op == StoredResponseOp::input_items) {
    auto query = formats::item_page_query(request.query_param("limit"), request.query_param("order"),
                                          request.query_param("after"), request.query_param("before"));
    if (!query) {
      co_await exchange.respond(client_error(Api::responses, query.error(), trace_id));
      co_return;
    }
    page = std::move(*query);
  }

  const std::string id(request.param("id"));
  const std::string project_id = caller->project->id;
  Result<std::optional<http::Response>> answered = std::optional<http::Response>();
  co_await exchange.run_blocking([&]() {
    answered = answer_stored(services, id, op, project_id, page, trace_id);
    return http::Response{};
  });
  if (!answered) {
    spdlog::error("stored response {}: {}", id, answered.error().message);
    co_await exchange.respond(client_error(Api::responses, kStoreUnavailable, trace_id));
    co_return;
  }
  if (!*answered) {  // not one of ours: the upstream may know it
    co_await serve_passthrough(services, exchange);
    co_return;
  }
  co_await exchange.respond(std::move(**answered));
}

}  // namespace routerly::gateway
