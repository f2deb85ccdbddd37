// `capability` (SPEC §5.3): excludes models whose capabilities explicitly say no to what the request needs.
#include <boost/json/array.hpp>

#include "routing/policies/common.hpp"

namespace routerly::routing::policies {

namespace {
bool explicitly_false(const boost::json::object* caps, std::string_view key) {
  if (!caps) return false;
  const boost::json::value* v = caps->if_contains(key);
  return v && v->is_bool() && !v->get_bool();
}
}  // namespace

PolicyOutcome evaluate_capability(const PolicyInput& in) {
  PolicyOutcome out = outcome_of("capability");
  boost::json::array incompatible;
  for (const auto& c : in.candidates) {
    const boost::json::object* caps = nullptr;
    if (c.model)
      if (const boost::json::value* v = c.model->if_contains("capabilities"); v && v->is_object())
        caps = &v->get_object();
    boost::json::array missing;
    if (in.features.needs_vision && explicitly_false(caps, "vision")) missing.push_back("vision");
    if (in.features.needs_tools && explicitly_false(caps, "functionCalling"))
      missing.push_back("functionCalling");
    if (in.features.needs_json && explicitly_false(caps, "json")) missing.push_back("json");
    const bool fails = !missing.empty();
    if (fails) {
      out.excludes.push_back(c.model_id);
      incompatible.push_back(boost::json::object{{"model", c.model_id}, {"missing", std::move(missing)}});
    }
    out.routing.push_back(PolicyPoint{c.model_id, fails ? 0.0 : 1.0, std::nullopt});
  }
  if (!incompatible.empty()) out.details["incompatible"] = std::move(incompatible);
  return out;
}

}  // namespace routerly::routing::policies
