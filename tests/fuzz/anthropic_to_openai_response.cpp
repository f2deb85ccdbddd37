// An Anthropic upstream's message body (any bytes), translated into a chat.completion for an
// OpenAI client, which always has one choice with a message.
#include "harness.hpp"

#include <boost/json/serialize.hpp>

#include "formats/anthropic_to_openai_response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  auto body = fuzz::parse_json(fuzz::as_text(data, size));
  if (!body) return 0;
  auto out = formats::anthropic_to_openai_response(*body, 1'700'000'000, "fuzz-model");
  if (!out) return 0;
  const boost::json::value* choices = out->if_contains("choices");
  fuzz::fuzz_require(choices && choices->is_array() && !choices->get_array().empty(), "the completion has a choice");
  (void)boost::json::serialize(*out);
  return 0;
}
