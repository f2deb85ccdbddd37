// GET /v1/models and /v1/models/{model} (SPEC §1.4.5): the project's models, OpenAI's shape.
#include <boost/json.hpp>

#include "common/clock.hpp"
#include "common/ids.hpp"
#include "gateway/generation.hpp"
#include "gateway/models_route.hpp"
#include "gateway/replies.hpp"

namespace routerly::gateway {

namespace json = boost::json;

namespace {

std::string_view text_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

json::object model_entry(const json::object& model, int64_t now_s) {
  int64_t created = now_s;
  if (auto parsed = clock::parse_iso(text_of(model, "createdAt"))) created = *parsed / 1000;
  return json::object{{"id", text_of(model, "id")},
                      {"object", "model"},
                      {"created", created},
                      {"owned_by", text_of(model, "provider")}};
}

}  // namespace

json::object models_list(const Runtime& runtime, const ProjectView& project, int64_t now_s) {
  json::array data;
  for (const auto& id : project.referenced)
    if (const json::object* model = runtime.snapshot().model(id)) data.push_back(model_entry(*model, now_s));
  return json::object{{"object", "list"}, {"data", std::move(data)}};
}

Result<json::object> model_lookup(const Runtime& runtime, const ProjectView& project, std::string_view model_id,
                                  int64_t now_s) {
  for (const auto& id : project.referenced) {
    if (id != model_id) continue;
    if (const json::object* model = runtime.snapshot().model(id)) return model_entry(*model, now_s);
  }
  return fail(ErrorCode::not_found, "Model '" + std::string(model_id) + "' not found or not available to this project.");
}

boost::asio::awaitable<void> serve_models(Services& services, http::Exchange& exchange) {
  http::Request& request = exchange.request();
  std::string trace_id = ids::uuid_v7();
  auto caller = authenticate(request, services.runtime);
  if (!caller) {
    http::Response denied = client_error(Api::chat, caller.error(), trace_id);
    co_await exchange.respond(std::move(denied));
    co_return;
  }
  std::string model_id(request.param("model"));
  if (std::string_view provider = request.param("provider"); !provider.empty())
    model_id = std::string(provider) + "/" + model_id;
  if (model_id.empty()) {
    http::Response reply =
        json_reply(200, json::serialize(models_list(*caller->runtime, *caller->project, clock::now_s())), trace_id);
    co_await exchange.respond(std::move(reply));
    co_return;
  }
  auto found = model_lookup(*caller->runtime, *caller->project, model_id, clock::now_s());
  if (!found) {
    http::Response reply = client_error(Api::chat, found.error(), trace_id);
    co_await exchange.respond(std::move(reply));
    co_return;
  }
  http::Response reply = json_reply(200, json::serialize(*found), trace_id);
  co_await exchange.respond(std::move(reply));
}

}  // namespace routerly::gateway
