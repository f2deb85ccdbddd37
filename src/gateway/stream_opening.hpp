#pragma once
// When an upstream stream counts as started: the answer is an event stream and its first event
// arrived. Until then nothing has reached the client, so a failure still moves on to the next
// candidate. Pure: fed the response's content type and the body pieces read so far.
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "formats/sse.hpp"

namespace routerly::gateway {

// upstream_error naming the content type when the answer to a stream request says it is not an
// event stream (an HTML maintenance page, a JSON body). An absent content type is let through:
// the first event decides.
Result<void> check_stream_content_type(std::string_view content_type);

// True for application/json and the +json types: a body whose error message is worth quoting.
bool is_json_content_type(std::string_view content_type);

// Parses the stream's first body pieces until an event is complete.
class StreamOpening {
 public:
  // The next body piece; true once the stream has its first event (events() is not empty).
  Result<bool> feed(std::string_view piece);
  // The body ended before feed() returned true. An event missing only its closing blank line
  // still starts the stream; with none, the failure to report.
  Result<void> end();

  // What the relay continues with: the parser mid-stream and the events parsed so far.
  formats::SseParser& parser() { return parser_; }
  std::vector<formats::SseEvent>& events() { return events_; }

 private:
  formats::SseParser parser_;
  std::vector<formats::SseEvent> events_;
  bool saw_bytes_ = false;
};

}  // namespace routerly::gateway
