#pragma once
// Public JSON shapes of accounts (docs/management-api.md "Shapes") and the account rules
// shared by the session, me and user handlers. Never exposes a password hash.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "config/snapshot.hpp"
#include "store/store.hpp"

namespace routerly::admin {

// {id,email,roleId,role,projectIds,createdAt}; projectIds = projects whose members hold the user.
boost::json::object user_view(const store::ConfigDocuments& docs, const boost::json::object& user);

// {token, expiresIn, refreshToken, user:{id,email,role,permissions}}.
boost::json::object session_view(const config::Snapshot& snap, const boost::json::object& user,
                                 std::string_view jwt, std::string_view refresh_token);

namespace accounts {

// String member or "" when absent or not a string.
std::string_view text(const boost::json::object& o, std::string_view key);
std::string ascii_lower(std::string_view s);

// Field validation: emails must contain '@'; passwords are at least 8 characters.
Result<void> check_email(std::string_view email, std::string_view field);
Result<void> check_password(std::string_view password, std::string_view field);

// Lookups over a draft's (or snapshot's) documents.
const boost::json::object* find_user(const store::ConfigDocuments& docs, std::string_view id);
// Case-insensitive; `except_id` excludes one user (the one being changed).
bool email_taken(const store::ConfigDocuments& docs, std::string_view email, std::string_view except_id = {});
std::size_t count_admins(const store::ConfigDocuments& docs);
// Built-in or custom global role.
bool role_exists(const store::ConfigDocuments& docs, std::string_view role_id);

}  // namespace accounts
}  // namespace routerly::admin
