#include <boost/json.hpp>
#include <optional>

#include "cli/listing.hpp"
#include "cli/output.hpp"
#include "cli/provider_inference.hpp"
#include "providers/catalogue.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct ModelFlags {
  std::string id;
  std::string provider;
  std::string endpoint;
  std::string api_key;
  std::optional<double> input_price;
  std::optional<double> output_price;
  std::optional<std::int64_t> context_window;
};

// Prices are shown as "in/out" USD per million tokens.
std::string price_cell(const json::value& model) {
  if (!model.is_object()) return "";
  const auto* cost = model.as_object().if_contains("cost");
  if (!cost || !cost->is_object()) return "";
  return field_text(*cost, "inputPerMillion") + "/" + field_text(*cost, "outputPerMillion");
}

json::value add_body(const ModelFlags& f) {
  json::object body{{"id", f.id}, {"provider", f.provider}};
  if (!f.endpoint.empty()) body["endpoint"] = f.endpoint;
  if (!f.api_key.empty()) body["apiKey"] = f.api_key;
  if (f.input_price) body["inputPrice"] = *f.input_price;
  if (f.output_price) body["outputPrice"] = *f.output_price;
  if (f.context_window) body["contextWindow"] = *f.context_window;
  return body;
}

}  // namespace

void register_model_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx) {
  auto* model = app.add_subcommand("model", "Manage models");
  model->require_subcommand(1);

  model->add_subcommand("list", "List models")->callback([ctx] {
    ctx->action = [ctx] {
      return run_listing(*ctx, "/api/models",
                         {field_column("id", "id"), field_column("provider", "provider"),
                          field_column("endpoint", "endpoint"), Column{"price in/out", price_cell},
                          field_column("context", "contextWindow"), field_column("api key", "hasApiKey")});
    };
  });

  auto f = std::make_shared<ModelFlags>();
  auto* add = model->add_subcommand("add", "Add a model (catalogue presets fill known models)");
  add->add_option("--id", f->id, "Model id, e.g. gpt-4o")->required();
  add->add_option("--provider", f->provider,
                  "Provider (openai, anthropic, ..., custom); optional when --id is <provider>/<preset>");
  add->add_option("--endpoint,--base-url", f->endpoint, "Upstream base URL");
  add->add_option("--api-key", f->api_key, "Upstream API key (stored sealed, never shown)");
  add->add_option("--input-price", f->input_price, "USD per million input tokens");
  add->add_option("--output-price", f->output_price, "USD per million output tokens");
  add->add_option("--context-window", f->context_window, "Context window in tokens");
  add->callback([ctx, f] {
    ctx->action = [ctx, f] {
      if (f->provider.empty()) {
        auto provider = infer_provider(f->id, [](std::string_view p, std::string_view m) {
          return providers::find_preset(p, m) != nullptr;
        });
        if (!provider) return report_error(provider.error());
        f->provider = std::move(*provider);
      }
      const json::value body = add_body(*f);
      return run_change(*ctx, "POST", "/api/models", &body,
                        [](const json::value& m) { return "Added model " + field_text(m, "id"); });
    };
  });

  auto e = std::make_shared<ModelFlags>();
  auto new_id = std::make_shared<std::string>();
  auto* edit = model->add_subcommand("edit", "Change a model (only the given fields)");
  edit->add_option("id", e->id, "Model id")->required();
  edit->add_option("--new-id", *new_id, "Rename the model (projects and tokens follow)");
  edit->add_option("--provider", e->provider, "Provider");
  edit->add_option("--endpoint,--base-url", e->endpoint, "Upstream base URL");
  edit->add_option("--api-key", e->api_key, "Upstream API key");
  edit->add_option("--input-price", e->input_price, "USD per million input tokens");
  edit->add_option("--output-price", e->output_price, "USD per million output tokens");
  edit->add_option("--context-window", e->context_window, "Context window in tokens");
  edit->callback([ctx, e, new_id] {
    ctx->action = [ctx, e, new_id] {
      json::value body = add_body(*e);
      auto& o = body.as_object();
      o.erase("id");
      if (e->provider.empty()) o.erase("provider");
      if (!new_id->empty()) o["id"] = *new_id;
      return run_change(*ctx, "PUT", "/api/models/" + url_encode(e->id), &body,
                        [](const json::value& m) { return "Updated model " + field_text(m, "id"); });
    };
  });

  auto id = std::make_shared<std::string>();
  auto* remove = model->add_subcommand("remove", "Remove a model");
  remove->add_option("id", *id, "Model id")->required();
  remove->callback([ctx, id] {
    ctx->action = [ctx, id] {
      return run_change(*ctx, "DELETE", "/api/models/" + url_encode(*id), nullptr,
                        [id](const json::value&) { return "Removed model " + *id; });
    };
  });
}

}  // namespace routerly::cli
