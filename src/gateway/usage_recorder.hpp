#pragma once
// The one usage record of a proxied request (SPEC §4.6, §00 P11): the served attempt, or the
// last failed one, with the whole trace. Building it is pure; submitting never waits on disk.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "formats/usage.hpp"
#include "gateway/call.hpp"
#include "gateway/runtime.hpp"
#include "store/usage_rows.hpp"

namespace routerly::gateway {

struct Served {
  const Candidate* candidate = nullptr;  // served or last tried model; nullptr when none was tried
  std::string outcome = "success";       // success | error | timeout
  std::string error_message;
  bool answered = false;  // the upstream answered 2xx: tokens were spent
  std::optional<formats::TokenUsage> usage;  // as reported by the provider
  int64_t output_chars = 0;                  // text produced (for estimates)
  std::optional<int64_t> ttft_ms;
};

// ceil(chars / 4): the estimate used when a provider reports no usage.
int64_t estimate_tokens(int64_t chars);
// Characters (code points) of the text a model reads or writes in a request or response body
// of any of the wire formats: content/text/system/instructions/input/arguments/thinking strings.
int64_t text_chars(const boost::json::value& body);
// Characters of a value that is text as a whole (a response's choices/content/output): the
// same count as text_chars of {"output": value}, without copying the value.
int64_t output_text_chars(const boost::json::value& value);

// The record, with the trace completed by a model:success or model:error entry.
store::UsageRow build_usage_row(const Call& call, const Served& served, int64_t now_ms);
// The same for the call's last record: the call's trace moves into the row instead of being
// copied (call.trace is empty afterwards).
store::UsageRow build_last_usage_row(Call& call, const Served& served, int64_t now_ms);
// A fresh row (id, time) attributed to the call's project and token; callers fill the rest.
store::UsageRow caller_usage_row(const Call& call, int64_t now_ms);

// The model:success trace entry of a finished record (SPEC §8.3).
boost::json::object model_success_entry(const store::UsageRow& row);

}  // namespace routerly::gateway
