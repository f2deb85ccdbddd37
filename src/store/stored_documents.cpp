#include "store/stored_documents.hpp"

#include <boost/json/parse.hpp>
#include <string>

namespace routerly::store {

std::vector<boost::json::object>* collection_list(ConfigDocuments& docs, std::string_view collection) {
  if (collection == "models") return &docs.models;
  if (collection == "projects") return &docs.projects;
  if (collection == "tokens") return &docs.tokens;
  if (collection == "users") return &docs.users;
  if (collection == "roles") return &docs.roles;
  return nullptr;
}

Result<boost::json::object> parse_stored_object(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    return fail(ErrorCode::internal_error, "stored " + std::string(what) + " is not a JSON object");
  }
  return std::move(value.as_object());
}

Result<void> check_change(const Change& change) {
  const std::string_view collection = collection_name(change.collection);
  if (change.id.empty()) {
    return fail(ErrorCode::internal_error,
                "cannot save a " + std::string(collection) + " document without an id");
  }
  if (!change.doc) return {};
  const auto* id = change.doc->if_contains("id");
  if (id != nullptr && !(id->is_string() && id->as_string() == change.id)) {
    return fail(ErrorCode::internal_error,
                "document id does not match its key in " + std::string(collection) + "/" + change.id);
  }
  return {};
}

}  // namespace routerly::store
