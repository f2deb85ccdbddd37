// A Chat Completions request body from a client, checked and translated for an Anthropic
// upstream (with and without extended thinking). The result is always a JSON object that
// serialises, with a positive max_tokens and the requested model.
#include "request_body.hpp"

#include "formats/openai_to_anthropic_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  auto call = fuzz::checked_request(data, size, gateway::Api::chat);
  if (!call) return 0;
  for (bool thinking : {false, true}) {
    auto out = formats::openai_to_anthropic_request(call->body, {"claude-fuzz", thinking});
    if (!out) continue;
    const boost::json::value* model = out->if_contains("model");
    fuzz::fuzz_require(model && model->is_string() && model->get_string() == "claude-fuzz", "model is the upstream's");
    const boost::json::value* max = out->if_contains("max_tokens");
    fuzz::fuzz_require(max && max->is_int64() && max->get_int64() > 0, "max_tokens is a positive integer");
    (void)boost::json::serialize(*out);
  }
  return 0;
}
