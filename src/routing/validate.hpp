#pragma once
// Policy config validation (SPEC §5.3–§5.5), for the management API: types and ranges of the
// keys each policy reads; unknown keys are left alone (REF stores them).
#include <boost/json/object.hpp>
#include <string_view>

#include "common/error.hpp"

namespace routerly::routing {

// validation_error "field '<path>.<key>' …" naming the offending key; unknown type fails too.
Result<void> validate_policy_config(std::string_view type, const boost::json::object& config,
                                    std::string_view path = "config");

}  // namespace routerly::routing
