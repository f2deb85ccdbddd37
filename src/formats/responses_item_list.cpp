#include "formats/responses_item_list.hpp"

#include <algorithm>
#include <charconv>

#include "formats/json_fields.hpp"
#include "formats/responses_items.hpp"

namespace routerly::formats {

namespace json = boost::json;
using detail::string_or;

namespace {

std::string_view id_prefix(std::string_view type) {
  if (type == "message") return "msg_";
  if (type == "function_call") return "fc_";
  if (type == "function_call_output") return "fco_";
  return "item_";
}

// Items without a `type` are messages (the API's shorthand {"role","content"}).
std::string_view item_type(const json::object& item) {
  std::string_view type = string_or(item, "type");
  return type.empty() && item.contains("role") ? std::string_view("message") : type;
}

std::optional<std::size_t> position_of(const json::array& items, std::string_view id) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (const json::object* o = items[i].if_object(); o && string_or(*o, "id") == id) return i;
  return std::nullopt;
}

std::unexpected<Error> unknown_cursor(std::string_view name, const std::string& id) {
  return fail(ErrorCode::validation_error, std::string(name) + ": no item '" + id + "' in this response");
}

}  // namespace

json::array listable_input_items(const json::array& input, std::string_view response_id) {
  std::string suffix = detail::response_id_suffix(response_id);
  json::array out;
  out.reserve(input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (!input[i].is_object()) continue;  // the request checks let nothing else through
    json::object item = input[i].get_object();
    const std::string type(item_type(item));  // a copy: the item changes below
    if (!item.contains("type")) item["type"] = type;
    if (string_or(item, "id").empty())
      item["id"] = std::string(id_prefix(type)) + suffix + "_in" + std::to_string(i);
    if (type == "message") {
      if (const json::value* content = item.if_contains("content"); content && content->is_string()) {
        std::string_view part = string_or(item, "role") == "assistant" ? "output_text" : "input_text";
        item["content"] = json::array{json::object{{"type", part}, {"text", content->get_string()}}};
      }
    }
    out.push_back(std::move(item));
  }
  return out;
}

Result<ItemPageQuery> item_page_query(const std::optional<std::string>& limit, const std::optional<std::string>& order,
                                      std::optional<std::string> after, std::optional<std::string> before) {
  ItemPageQuery query;
  if (limit) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc{} || end != limit->data() + limit->size() || n < 1 || n > kItemPageMax)
      return fail(ErrorCode::validation_error,
                  "limit: must be an integer from 1 to " + std::to_string(kItemPageMax));
    query.limit = n;
  }
  if (order) {
    if (*order != "asc" && *order != "desc") return fail(ErrorCode::validation_error, "order: must be asc or desc");
    query.ascending = *order == "asc";
  }
  if (after && before) return fail(ErrorCode::validation_error, "after, before: give at most one of them");
  query.after = std::move(after);
  query.before = std::move(before);
  return query;
}

Result<json::object> item_page(const json::array& items, const ItemPageQuery& query) {
  json::array ordered = items;
  if (!query.ascending) std::reverse(ordered.begin(), ordered.end());
  // [begin, end) of `ordered` the page may take from.
  std::size_t begin = 0, end = ordered.size();
  if (query.after) {
    auto at = position_of(ordered, *query.after);
    if (!at) return unknown_cursor("after", *query.after);
    begin = *at + 1;
  }
  if (query.before) {
    auto at = position_of(ordered, *query.before);
    if (!at) return unknown_cursor("before", *query.before);
    end = *at;
  }
  begin = std::min(begin, end);
  // Paging backwards takes the items nearest the cursor.
  std::size_t available = end - begin;
  std::size_t take = std::min(available, query.limit);
  std::size_t first = query.before ? end - take : begin;
  json::array data(ordered.begin() + static_cast<std::ptrdiff_t>(first),
                   ordered.begin() + static_cast<std::ptrdiff_t>(first + take));
  auto id_of = [](const json::value& item) -> json::value {
    const json::object* o = item.if_object();
    return o && o->contains("id") ? o->at("id") : json::value(nullptr);
  };
  json::value first_id = data.empty() ? json::value(nullptr) : id_of(data.front());
  json::value last_id = data.empty() ? json::value(nullptr) : id_of(data.back());
  return json::object{{"object", "list"},
                      {"data", std::move(data)},
                      {"first_id", std::move(first_id)},
                      {"last_id", std::move(last_id)},
                      {"has_more", available > take}};
}

}  // namespace routerly::formats
