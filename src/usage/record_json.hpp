#pragma once
// The API shapes of usage (SPEC §4.6, §9.3, §00 P18).
#include <boost/json/object.hpp>

#include "store/usage_rows.hpp"

namespace routerly::usage {
// One record: SPEC §4.6 names (+ projectSlug, provider, tokenId, type, stream, tokensEstimated).
boost::json::object record_json(const store::UsageRow& row, bool with_trace);
}  // namespace routerly::usage
