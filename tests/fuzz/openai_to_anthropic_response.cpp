// An OpenAI-compatible upstream's chat.completion body (any bytes), translated for an
// Anthropic client. A translated message has content, role and a stop_reason.
#include "harness.hpp"

#include <boost/json/serialize.hpp>

#include "formats/openai_to_anthropic_response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  auto body = fuzz::parse_json(fuzz::as_text(data, size));
  if (!body) return 0;
  auto out = formats::openai_to_anthropic_response(*body, "msg_fuzz", "fuzz-model");
  if (!out) return 0;
  const boost::json::value* content = out->if_contains("content");
  fuzz::fuzz_require(content && content->is_array(), "the message has a content array");
  fuzz::fuzz_require(out->contains("stop_reason"), "the message has a stop_reason");
  (void)boost::json::serialize(*out);
  return 0;
}
