#include "formats/sse.hpp"

namespace routerly::formats {

Result<std::vector<SseEvent>> SseParser::feed(std::string_view bytes) {
  if (failed_) return fail(ErrorCode::upstream_error, "upstream stream: event exceeds the size limit");
  std::vector<SseEvent> out;
  if (!bom_checked_ && !bytes.empty()) {
    // A UTF-8 byte order mark may open the stream; it can be split across feeds, so only
    // check once the first three bytes are in hand.
    line_.append(bytes);
    if (line_.size() < 3 && std::string_view("\xEF\xBB\xBF").starts_with(line_)) return out;
    bom_checked_ = true;
    if (line_.starts_with("\xEF\xBB\xBF")) line_.erase(0, 3);
    std::string pending = std::move(line_);
    line_.clear();
    return feed(pending);
  }
  std::size_t start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') {
        start = i + 1;
        continue;
      }
    }
    if (c != '\n' && c != '\r') continue;
    if (line_.empty()) {
      take_line(bytes.substr(start, i - start), out);
    } else {
      line_.append(bytes.substr(start, i - start));
      take_line(line_, out);
      line_.clear();
    }
    skip_lf_ = (c == '\r');
    start = i + 1;
  }
  line_.append(bytes.substr(start));
  if (line_.size() + data_.size() + event_.size() > max_event_bytes_) {
    failed_ = true;
    return fail(ErrorCode::upstream_error, "upstream stream: event exceeds the size limit");
  }
  return out;
}

std::vector<SseEvent> SseParser::finish() {
  std::vector<SseEvent> out;
  if (failed_) return out;
  if (!line_.empty()) {
    std::string last = std::move(line_);
    line_.clear();
    take_line(last, out);
  }
  dispatch(out);
  return out;
}

void SseParser::take_line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    dispatch(out);
    return;
  }
  if (line.front() == ':') return;  // comment / keep-alive
  std::string_view name = line;
  std::string_view value;
  if (auto colon = line.find(':'); colon != std::string_view::npos) {
    name = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
  }
  if (name == "data") {
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  } else if (name == "event") {
    event_.assign(value);
  }
  // `id`, `retry` and unknown fields carry nothing the gateway needs.
}

void SseParser::dispatch(std::vector<SseEvent>& out) {
  if (has_data_) out.push_back(SseEvent{std::move(event_), std::move(data_)});
  event_.clear();
  data_.clear();
  has_data_ = false;
}

std::string format_sse(std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(data.size() + event.size() + 16);
  if (!event.empty()) {
    out.append("event: ").append(event).push_back('\n');
  }
  std::size_t start = 0;
  while (true) {
    std::size_t nl = data.find('\n', start);
    std::string_view line =
        data.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    out.append("data: ").append(line).push_back('\n');
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  out.push_back('\n');
  return out;
}

}  // namespace routerly::formats
