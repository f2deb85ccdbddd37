#pragma once
// API shapes of projects and their tokens (docs/management-api.md): never a token value or hash.
#include <boost/json/object.hpp>
#include <vector>

namespace routerly::admin::projects {

// {id,name?,tokenSnippet,createdAt,labels,models,limits,limitsMode}.
boost::json::object token_info(const boost::json::object& token);

// The stored project plus `tokens:[tokenInfo…]` of the tokens whose projectId is the project's.
boost::json::object project_view(const boost::json::object& project,
                                 const std::vector<boost::json::object>& all_tokens);

}  // namespace routerly::admin::projects
