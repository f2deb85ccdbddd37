#pragma once
// Internal to the admin module: each file registers the routes it implements.
// The contract of every route is docs/management-api.md.
#include "admin/context.hpp"
#include "http/router.hpp"

namespace routerly::admin {
void register_session_routes(http::Router& r, Context& ctx);  // auth/login|refresh|logout, setup/*
void register_me_routes(http::Router& r, Context& ctx);       // /api/me
void register_user_routes(http::Router& r, Context& ctx);     // /api/users
void register_role_routes(http::Router& r, Context& ctx);     // /api/roles
void register_settings_routes(http::Router& r, Context& ctx); // /api/settings
void register_system_routes(http::Router& r, Context& ctx);   // /api/system/*, /api/test/openai-oauth
void register_model_routes(http::Router& r, Context& ctx);    // /api/models
void register_provider_routes(http::Router& r, Context& ctx); // /api/providers (catalogue)
void register_project_routes(http::Router& r, Context& ctx);  // /api/projects (+ members)
void register_token_routes(http::Router& r, Context& ctx);    // /api/projects/{p}/tokens
void register_usage_routes(http::Router& r, Context& ctx);    // /api/usage, /api/traces
// /api/notifications/test
void register_notification_routes(http::Router& r, Context& ctx);
}  // namespace routerly::admin
