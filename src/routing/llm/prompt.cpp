#include "routing/llm/prompt.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cmath>
#include <cstdio>

namespace routerly::routing::llm {

namespace {

std::string json_quoted(std::string_view text) {
  return boost::json::serialize(boost::json::string(text));
}

bool any_guidance(const std::vector<PolicyCandidate>& candidates) {
  for (const auto& c : candidates)
    if (!c.prompt.empty()) return true;
  return false;
}

bool any_limits(const std::vector<PolicyCandidate>& candidates) {
  for (const auto& c : candidates)
    if (!c.limits.empty()) return true;
  return false;
}

// Keeps the first `max` code points of UTF-8 text; true when something was cut.
bool cut_code_points(std::string& text, std::size_t max) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (count == max) {
      text.resize(i);
      return true;
    }
    ++count;
  }
  return false;
}

}  // namespace

std::string format_number(double value) {
  if (!std::isfinite(value)) return "0";
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);
  std::string text(buffer);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

std::string system_prompt(const LlmConfig& config, const std::vector<PolicyCandidate>& candidates) {
  std::string out;
  out +=
      "You are a routing engine. You never answer, solve or continue the user's request; you only decide "
      "which of the candidate models below should handle it.\n";
  out +=
      "Match the complexity of the task to the strength of each model: simple tasks suit light, fast models; "
      "hard reasoning, coding and long-form work need the strongest ones.\n\n";
  out += "Candidate models:\n";
  for (const auto& c : candidates) {
    out += "- id: " + json_quoted(c.model_id) + "\n";
    if (!c.prompt.empty()) out += "  routing_guidance: " + json_quoted(c.prompt) + "\n";
    if (!c.limits.empty()) {
      out += "  limits:\n";
      for (const auto& l : c.limits) {
        out += "    - { metric: " + l.metric + ", window: " + l.window +
               ", limit: " + format_number(l.limit) + ", current: " + format_number(l.current) +
               ", remaining: " + format_number(l.remaining) + " }\n";
      }
    }
  }
  out += "\nRules:\n";
  int rule = 0;
  auto add_rule = [&](std::string_view text) {
    out += std::to_string(++rule) + ". ";
    out += text;
    out += "\n";
  };
  add_rule("Output a single JSON object and nothing else: no prose, no code fences.");
  add_rule("Include every candidate model, each exactly once, with its exact id.");
  add_rule(
      "Give each model a point from 0.0 to 1.0, and make the points differ meaningfully so that the best "
      "choice is clear.");
  if (any_guidance(candidates))
    add_rule(
        "Weight routing_guidance heavily: a model whose guidance matches the request scores at least 0.8, "
        "a model whose guidance contradicts it at most 0.3.");
  if (any_limits(candidates))
    add_rule("Prefer models with remaining headroom in their limits; a model close to a limit scores lower.");
  if (!config.auto_routing && !config.additional_prompt_info.empty()) {
    out += "\nAdditional context:\n" + config.additional_prompt_info + "\n";
  }
  out += "\nAnswer exactly in this form:\n";
  if (config.include_reason) {
    out += R"({"routing":[{"model":"<id>","point":<0.0-1.0>,"reason":"<brief>"}, ...]})";
  } else {
    out += R"({"routing":[{"model":"<id>","point":<0.0-1.0>}, ...]})";
  }
  out += "\n";
  return out;
}

std::string user_message(const LlmConfig& config, const RequestFeatures& request,
                         const std::vector<std::string>& history) {
  std::string out =
      "Classify the request below and score the candidate models for it. Do not answer or solve it.\n\n";
  if (request.system_text) out += "<system_prompt>\n" + *request.system_text + "\n</system_prompt>\n\n";
  if (config.memory && !history.empty()) {
    out += "Previous routing decisions (most recent last):\n";
    for (std::size_t i = 0; i < history.size(); ++i)
      out += "- Turn " + std::to_string(i + 1) + ": routed to " + history[i] + "\n";
    out += "\n";
  }
  out += "<request_to_route>\n" + request.last_user_message + "\n</request_to_route>\n\n";
  out += "Answer with the JSON object only.";
  if (config.max_user_message_chars &&
      cut_code_points(out, static_cast<std::size_t>(*config.max_user_message_chars)))
    out += "\n[truncated]";
  return out;
}

std::string repair_message() {
  return "Your previous response was not valid JSON. Return only the JSON object in the required form, "
         "with no other text.";
}

}  // namespace routerly::routing::llm
