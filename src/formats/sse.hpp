#pragma once
// Server-Sent Events framing: an incremental parser for upstream streams and the writer for
// client streams. Parsing follows the WHATWG event-stream rules: lines end in \n, \r\n or \r
// (also when the two bytes of \r\n arrive in separate feeds), `:` lines are comments, several
// `data:` lines join with \n, one optional space after the colon is dropped, and a blank line
// dispatches the event. Events with no data lines are not dispatched.
#include "common/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace routerly::formats {

struct SseEvent {
  std::string event;  // the `event:` field, empty when absent
  std::string data;
  bool operator==(const SseEvent&) const = default;
};

class SseParser {
 public:
  // Bytes of a single pending event (all lines so far) above which feed() fails.
  static constexpr std::size_t kDefaultMaxEventBytes = 32u * 1024 * 1024;

  explicit SseParser(std::size_t max_event_bytes = kDefaultMaxEventBytes)
      : max_event_bytes_(max_event_bytes) {}

  // Consumes the next bytes of the stream and returns every event they complete, in order.
  // upstream_error once an event grows past the limit (the parser is then unusable).
  Result<std::vector<SseEvent>> feed(std::string_view bytes);

  // End of stream: an event still missing its blank line is dispatched if it has data (many
  // servers end with `data: [DONE]\n` and no blank line). Partial line text counts as a line.
  std::vector<SseEvent> finish();

 private:
  void take_line(std::string_view line, std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);

  std::size_t max_event_bytes_;
  std::string line_;   // bytes of the current, unterminated line
  std::string event_;  // `event:` of the event being built
  std::string data_;   // joined `data:` lines of the event being built
  bool has_data_ = false;
  bool skip_lf_ = false;  // last byte seen was \r: a leading \n in the next feed ends nothing
  bool bom_checked_ = false;
  bool failed_ = false;
};

// One event as wire bytes: `event: <name>\n` (omitted when empty), one `data: ` line per line
// of `data`, then the blank line.
std::string format_sse(std::string_view event, std::string_view data);

// The OpenAI stream terminator `data: [DONE]\n\n`.
inline std::string format_sse_done() {
  return "data: [DONE]\n\n";
}

}  // namespace routerly::formats
