#pragma once
// What both backends do alike with configuration documents around their SQL: where a stored
// collection goes when loaded, how stored JSON is read back, and which changes are refused.
#include <boost/json/object.hpp>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "store/store.hpp"

namespace routerly::store {

// The list a stored collection loads into; nullptr for a collection written by a newer binary
// (not ours to interpret).
std::vector<boost::json::object>* collection_list(ConfigDocuments& docs, std::string_view collection);

// Stored text that must be a JSON object; `what` names it in the error.
Result<boost::json::object> parse_stored_object(std::string_view text, std::string_view what);

// A change needs an id, and a document's own "id", when present, must match it.
Result<void> check_change(const Change& change);

}  // namespace routerly::store
