// An OpenAI-compatible upstream's chat.completion body (any bytes), translated into a
// Responses `response` object, whose output is an array and whose status is completed or
// incomplete.
#include "harness.hpp"

#include <boost/json/serialize.hpp>

#include "formats/responses_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace routerly;
  auto body = fuzz::parse_json(fuzz::as_text(data, size));
  if (!body) return 0;
  static const boost::json::object request{{"model", "fuzz-model"}, {"input", "hi"}, {"temperature", 0.5}};
  auto out = formats::chat_to_responses_response(*body, request, {"resp_fuzz", 1'700'000'000, "fuzz-model"});
  if (!out) return 0;
  const boost::json::value* output = out->if_contains("output");
  fuzz::fuzz_require(output && output->is_array(), "the response has an output array");
  const boost::json::value* status = out->if_contains("status");
  fuzz::fuzz_require(status && status->is_string() &&
                         (status->get_string() == "completed" || status->get_string() == "incomplete"),
                     "the response is completed or incomplete");
  (void)boost::json::serialize(*out);
  return 0;
}
