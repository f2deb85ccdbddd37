#pragma once
#include "admin/context.hpp"
#include "http/router.hpp"

namespace routerly::admin {
// Registers every /api/* route of SPEC §1.5 (with §00 changes) on the router.
void register_routes(http::Router& router, Context& ctx);
// True until an admin who can sign in exists (first-admin setup is open while true).
bool needs_setup(const store::ConfigDocuments& docs);
}  // namespace routerly::admin
