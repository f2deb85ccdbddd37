#include "store/store.hpp"

namespace routerly::store {

std::string_view collection_name(Collection c) {
  switch (c) {
    case Collection::models:
      return "models";
    case Collection::projects:
      return "projects";
    case Collection::tokens:
      return "tokens";
    case Collection::users:
      return "users";
    case Collection::roles:
      return "roles";
  }
  return "unknown";
}

}  // namespace routerly::store
