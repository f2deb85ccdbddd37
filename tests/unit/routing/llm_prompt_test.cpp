#include <gtest/gtest.h>

#include "routing/llm/config.hpp"
#include "routing/llm/prompt.hpp"

namespace routerly::routing::llm {
namespace {

namespace json = boost::json;

LlmConfig base_config() {
  auto c = read_llm_config(json::object{{"routingModelId", "router"}});
  EXPECT_TRUE(c.has_value());
  return *c;
}

std::vector<PolicyCandidate> two_candidates() {
  std::vector<PolicyCandidate> c(2);
  c[0].model_id = "openai/gpt-4o";
  c[1].model_id = "small";
  return c;
}

TEST(LlmPrompt, SystemPromptGolden) {
  const std::string expected =
      "You are a routing engine. You never answer, solve or continue the user's request; you only decide "
      "which of "
      "the candidate models below should handle it.\n"
      "Match the complexity of the task to the strength of each model: simple tasks suit light, fast models; "
      "hard "
      "reasoning, coding and long-form work need the strongest ones.\n\n"
      "Candidate models:\n"
      "- id: \"openai/gpt-4o\"\n"
      "- id: \"small\"\n\n"
      "Rules:\n"
      "1. Output a single JSON object and nothing else: no prose, no code fences.\n"
      "2. Include every candidate model, each exactly once, with its exact id.\n"
      "3. Give each model a point from 0.0 to 1.0, and make the points differ meaningfully so that the best "
      "choice is clear.\n\n"
      "Answer exactly in this form:\n"
      "{\"routing\":[{\"model\":\"<id>\",\"point\":<0.0-1.0>}, ...]}\n";
  EXPECT_EQ(system_prompt(base_config(), two_candidates()), expected);
}

TEST(LlmPrompt, GuidanceLimitsAndReason) {
  LlmConfig config = base_config();
  config.include_reason = true;
  auto candidates = two_candidates();
  candidates[0].prompt = "Use for \"hard\" code";
  budget::LimitState limit;
  limit.metric = "cost";
  limit.window = "daily";
  limit.limit = 5;
  limit.current = 1.25;
  limit.remaining = 3.75;
  candidates[1].limits.push_back(limit);
  std::string prompt = system_prompt(config, candidates);
  EXPECT_NE(
      prompt.find(
          "- id: \"openai/gpt-4o\"\n  routing_guidance: \"Use for \\\"hard\\\" code\"\n- id: \"small\"\n"
          "  limits:\n    - { metric: cost, window: daily, limit: 5, current: 1.25, remaining: 3.75 }\n"),
      std::string::npos)
      << prompt;
  EXPECT_NE(
      prompt.find("4. Weight routing_guidance heavily: a model whose guidance matches the request scores at "
                  "least 0.8, a model whose guidance contradicts it at most 0.3.\n"),
      std::string::npos);
  EXPECT_NE(prompt.find("5. Prefer models with remaining headroom"), std::string::npos);
  EXPECT_NE(prompt.find(R"({"routing":[{"model":"<id>","point":<0.0-1.0>,"reason":"<brief>"}, ...]})"),
            std::string::npos);
}

TEST(LlmPrompt, AdditionalInfoOnlyWithoutAutoRouting) {
  LlmConfig config = base_config();
  config.additional_prompt_info = "Prefer cheap models at night.";
  EXPECT_EQ(system_prompt(config, two_candidates()).find("Additional context:"), std::string::npos);
  config.auto_routing = false;
  EXPECT_NE(
      system_prompt(config, two_candidates()).find("\nAdditional context:\nPrefer cheap models at night.\n"),
      std::string::npos);
}

TEST(LlmPrompt, UserMessageGolden) {
  LlmConfig config = base_config();
  config.memory = true;
  RequestFeatures request;
  request.system_text = "You are terse.";
  request.last_user_message = "Write a haiku";
  const std::string expected =
      "Classify the request below and score the candidate models for it. Do not answer or solve it.\n\n"
      "<system_prompt>\nYou are terse.\n</system_prompt>\n\n"
      "Previous routing decisions (most recent last):\n"
      "- Turn 1: routed to small\n"
      "- Turn 2: routed to openai/gpt-4o\n\n"
      "<request_to_route>\nWrite a haiku\n</request_to_route>\n\n"
      "Answer with the JSON object only.";
  EXPECT_EQ(user_message(config, request, {"small", "openai/gpt-4o"}), expected);
}

TEST(LlmPrompt, NoSystemNoMemoryWhenOff) {
  LlmConfig config = base_config();  // memory off: history ignored
  RequestFeatures request;
  request.last_user_message = "[{\"type\":\"text\",\"text\":\"hi\"}]";
  std::string message = user_message(config, request, {"small"});
  EXPECT_EQ(message.find("<system_prompt>"), std::string::npos);
  EXPECT_EQ(message.find("Previous routing decisions"), std::string::npos);
  EXPECT_NE(message.find("<request_to_route>\n[{\"type\":\"text\",\"text\":\"hi\"}]\n</request_to_route>"),
            std::string::npos);
}

TEST(LlmPrompt, TruncatesToMaxUserMessageChars) {
  auto config = read_llm_config(json::object{{"routingModelId", "r"}, {"maxUserMessageChars", 10}});
  ASSERT_TRUE(config);
  EXPECT_EQ(*config->max_user_message_chars, 100);  // floored
  RequestFeatures request;
  request.last_user_message = std::string(500, 'x');
  std::string message = user_message(*config, request, {});
  ASSERT_TRUE(message.ends_with("\n[truncated]"));
  EXPECT_EQ(message.size(), 100u + std::string("\n[truncated]").size());
  EXPECT_TRUE(message.starts_with("Classify the request below"));
}

TEST(LlmPrompt, TruncationCountsCodePoints) {
  LlmConfig config = base_config();
  config.max_user_message_chars = 100;
  RequestFeatures request;
  request.last_user_message = "";
  for (int i = 0; i < 200; ++i) request.last_user_message += "é";  // 2 bytes each
  std::string message = user_message(config, request, {});
  ASSERT_TRUE(message.ends_with("\n[truncated]"));
  std::string kept = message.substr(0, message.size() - std::string("\n[truncated]").size());
  std::size_t points = 0;
  for (char ch : kept)
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++points;
  EXPECT_EQ(points, 100u);
}

TEST(LlmPrompt, FormatNumber) {
  EXPECT_EQ(format_number(5), "5");
  EXPECT_EQ(format_number(0.125), "0.125");
  EXPECT_EQ(format_number(-2.5), "-2.5");
  EXPECT_EQ(format_number(1.0 / 3.0), "0.333333");
}

}  // namespace
}  // namespace routerly::routing::llm
