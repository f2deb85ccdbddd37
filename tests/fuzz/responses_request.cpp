// A Responses API request body from a client, checked, reduced to its input items (what a
// stored conversation keeps) and translated into a chat request, also behind a history of
// earlier items as previous_response_id brings.
#include "request_body.hpp"

#include "formats/responses_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  auto call = fuzz::checked_request(data, size, gateway::Api::responses);
  if (!call) return 0;
  auto items = formats::responses_input_items(call->body);
  auto plain = formats::responses_to_chat_request(call->body, "gpt-fuzz");
  if (plain) {
    const boost::json::value* messages = plain->if_contains("messages");
    fuzz::fuzz_require(messages && messages->is_array(), "the chat request has a messages array");
    (void)boost::json::serialize(*plain);
  }
  if (items) {
    // The same request continuing a conversation made of its own items.
    auto continued = formats::responses_to_chat_request(call->body, "gpt-fuzz", &*items);
    if (continued) (void)boost::json::serialize(*continued);
  }
  return 0;
}
