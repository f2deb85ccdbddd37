#pragma once
// GET /v1/models[/{model}] (SPEC §1.4.5).
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "common/error.hpp"
#include "gateway/runtime.hpp"
#include "gateway/services.hpp"

namespace routerly::gateway {

// {"object":"list","data":[{"id","object":"model","created","owned_by"}…]}: the project's
// models that exist in the registry, in project order.
boost::json::object models_list(const Runtime& runtime, const ProjectView& project, int64_t now_s);
// One model of the project; not_found otherwise.
Result<boost::json::object> model_lookup(const Runtime& runtime, const ProjectView& project,
                                         std::string_view model_id, int64_t now_s);

boost::asio::awaitable<void> serve_models(Services& services, http::Exchange& exchange);

}  // namespace routerly::gateway
