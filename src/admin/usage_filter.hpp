#pragma once
// The filters shared by /api/usage and /api/usage/export (SPEC §9.3 + §00 P18).
#include "admin/context.hpp"
#include "admin/guard.hpp"
#include "common/error.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "store/usage_rows.hpp"

namespace routerly::admin {

// Reads period/from/to, project/projectId, model, outcome, type, callType, token, order and
// bucket into a query; callers without global project:read are limited to their projects
// (a project they may not read is not_found). Paging is left to the caller.
Result<store::UsageQuery> usage_query_of(const http::Request& req, const Caller& caller);

// The records' keyset cursor as the API shows it ("<timestampMs>_<rowid>") and back; nullopt
// for anything else.
std::string format_usage_cursor(const store::UsageCursor& cursor);
std::optional<store::UsageCursor> parse_usage_cursor(std::string_view text);

// GET /api/usage/export (usage_export.cpp).
void register_usage_export_route(http::Router& r, Context& ctx);

}  // namespace routerly::admin
