#pragma once
// Internal to the admin module: /api/projects/{p}/members, registered by register_project_routes.
#include "admin/context.hpp"
#include "http/router.hpp"

namespace routerly::admin {
void register_member_routes(http::Router& r, Context& ctx);
}  // namespace routerly::admin
