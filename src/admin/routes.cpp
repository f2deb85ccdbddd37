#include "admin/routes.hpp"

#include "admin/handlers.hpp"

namespace routerly::admin {

void register_routes(http::Router& router, Context& ctx) {
  register_session_routes(router, ctx);
  register_me_routes(router, ctx);
  register_user_routes(router, ctx);
  register_role_routes(router, ctx);
  register_settings_routes(router, ctx);
  register_system_routes(router, ctx);
  register_model_routes(router, ctx);
  register_provider_routes(router, ctx);
  register_project_routes(router, ctx);
  register_token_routes(router, ctx);
  register_usage_routes(router, ctx);
  register_notification_routes(router, ctx);
}

}  // namespace routerly::admin
