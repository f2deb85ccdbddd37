#include "gateway/stream_opening.hpp"

#include <string>

namespace routerly::gateway {

namespace {

// The media type alone, lower-case, without parameters or surrounding spaces.
std::string media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  std::string out(type);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

Result<void> check_stream_content_type(std::string_view content_type) {
  const std::string type = media_type(content_type);
  if (type.empty() || type == "text/event-stream") return {};
  return fail(ErrorCode::upstream_error,
              "the provider answered the stream request with " + type + ", not an event stream");
}

bool is_json_content_type(std::string_view content_type) {
  const std::string type = media_type(content_type);
  return type == "application/json" || type.ends_with("+json");
}

Result<bool> StreamOpening::feed(std::string_view piece) {
  saw_bytes_ = saw_bytes_ || !piece.empty();
  auto parsed = parser_.feed(piece);
  if (!parsed) return std::unexpected(parsed.error());
  for (auto& event : *parsed) events_.push_back(std::move(event));
  return !events_.empty();
}

Result<void> StreamOpening::end() {
  for (auto& event : parser_.finish()) events_.push_back(std::move(event));
  if (!events_.empty()) return {};
  return fail(ErrorCode::upstream_error, saw_bytes_
                                             ? "the provider ended the stream before its first event"
                                             : "the provider closed the stream before sending anything");
}

}  // namespace routerly::gateway
