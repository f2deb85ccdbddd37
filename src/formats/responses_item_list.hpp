#pragma once
// The input items of a stored Responses API response, as GET /v1/responses/{id}/input_items
// lists them: every item carries an id (the cursor of the list's pagination), pages of
// `limit` items in either order, after or before a given item.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace routerly::formats {

inline constexpr std::size_t kItemPageDefault = 20;
inline constexpr std::size_t kItemPageMax = 100;

// The request's input items made listable: an item the client sent without an id gets one
// derived from the response id (msg_…_in<n>, fc_…_in<n>, fco_…_in<n>, item_…_in<n>), and
// message content given as a string becomes one text part (output_text for the assistant,
// input_text otherwise), as the API lists them.
boost::json::array listable_input_items(const boost::json::array& input, std::string_view response_id);

struct ItemPageQuery {
  std::size_t limit = kItemPageDefault;
  bool ascending = false;  // the API lists newest first unless asked otherwise
  std::optional<std::string> after;
  std::optional<std::string> before;
};

// The query parameters limit (1..100), order (asc|desc), after and before (item ids).
// validation_error names the parameter.
Result<ItemPageQuery> item_page_query(const std::optional<std::string>& limit, const std::optional<std::string>& order,
                                      std::optional<std::string> after, std::optional<std::string> before);

// {"object":"list","data":[…],"first_id","last_id","has_more"} for `items` (oldest first).
// after/before name an item of the list (validation_error otherwise); ids are null on an
// empty page.
Result<boost::json::object> item_page(const boost::json::array& items, const ItemPageQuery& query);

}  // namespace routerly::formats
