#pragma once
// The CLI's limit spec syntax (SPEC §11) for per-model token limits:
//   add:    <model>:<metric>:period:<hourly|daily|weekly|monthly|yearly>:<value>
//           <model>:<metric>:rolling:<n>:<second|minute|hour|day|week|month>:<value>
//   remove: <model>:<metric>:<period|rolling>
// Model ids may themselves contain ':'; the spec is read from the right.
#include <boost/json/value.hpp>
#include <string>

#include "common/error.hpp"

namespace routerly::cli {

struct LimitSpec {
  std::string model_id;
  boost::json::value limit;  // SPEC §6.1 limit object
};

struct LimitRemoval {
  std::string model_id;
  std::string metric;
  std::string window_type;
};

Result<LimitSpec> parse_limit_spec(const std::string& spec);
Result<LimitRemoval> parse_limit_removal(const std::string& spec);

}  // namespace routerly::cli
