// An Anthropic Messages request body from a client, checked and translated for an
// OpenAI-compatible upstream. The result is a chat request for the requested model with a
// messages array.
#include "request_body.hpp"

#include "formats/anthropic_to_openai_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  auto call = fuzz::checked_request(data, size, gateway::Api::messages);
  if (!call) return 0;
  auto out = formats::anthropic_to_openai_request(call->body, "gpt-fuzz");
  if (!out) return 0;
  const boost::json::value* messages = out->if_contains("messages");
  fuzz::fuzz_require(messages && messages->is_array(), "the chat request has a messages array");
  (void)boost::json::serialize(*out);
  return 0;
}
