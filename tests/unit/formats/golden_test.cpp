// Golden fixtures: tests/fixtures/translate/<translation>/<case>/.
// Request/response cases: in.json → out.json (optional options.json, request.json, history.json).
// Stream cases: upstream.sse → client.sse, compared event by event (names equal, data equal as
// JSON). The upstream file is fed to the SSE parser in small pieces to exercise partial reads.
// ROUTERLY_UPDATE_GOLDEN=1 writes a missing expected file (then the case fails: review it).
#include "formats/anthropic_to_openai_request.hpp"
#include "formats/anthropic_to_openai_response.hpp"
#include "formats/anthropic_to_openai_stream.hpp"
#include "formats/openai_to_anthropic_request.hpp"
#include "formats/openai_to_anthropic_response.hpp"
#include "formats/openai_to_anthropic_stream.hpp"
#include "formats/responses_api.hpp"
#include "formats/sse.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace routerly::formats {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr int64_t kCreated = 1700000000;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json::value read_json(const fs::path& p) {
  return json::parse(read_file(p));
}

json::object options_of(const fs::path& dir) {
  return fs::exists(dir / "options.json") ? read_json(dir / "options.json").as_object() : json::object{};
}

std::string opt_string(const json::object& o, std::string_view key, std::string_view fallback) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string(fallback);
}

std::string pretty(const json::value& v) {
  return json::serialize(v);
}

bool update_mode() {
  return std::getenv("ROUTERLY_UPDATE_GOLDEN") != nullptr;
}

std::vector<fs::path> cases(std::string_view translation) {
  std::vector<fs::path> dirs;
  fs::path root = fs::path(ROUTERLY_FIXTURES) / "translate" / translation;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory()) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

void expect_json_file(const fs::path& expected_path, const json::value& actual) {
  if (!fs::exists(expected_path)) {
    if (update_mode()) std::ofstream(expected_path) << pretty(actual) << "\n";
    ADD_FAILURE() << "missing " << expected_path << (update_mode() ? " (written)" : "");
    return;
  }
  json::value expected = read_json(expected_path);
  EXPECT_EQ(expected, actual) << expected_path << "\nexpected: " << pretty(expected)
                              << "\nactual:   " << pretty(actual);
}

// Parses SSE text with pieces of `piece` bytes.
std::vector<SseEvent> parse_sse(std::string_view text, std::size_t piece = 7) {
  SseParser parser;
  std::vector<SseEvent> all;
  for (std::size_t i = 0; i < text.size(); i += piece) {
    auto events = parser.feed(text.substr(i, piece));
    EXPECT_TRUE(events.has_value());
    if (events) all.insert(all.end(), events->begin(), events->end());
  }
  for (auto& e : parser.finish()) all.push_back(std::move(e));
  return all;
}

void expect_sse_file(const fs::path& expected_path, const std::vector<SseEvent>& actual) {
  std::string actual_text;
  for (const auto& e : actual) actual_text += format_sse(e.event, e.data);
  if (!fs::exists(expected_path)) {
    if (update_mode()) std::ofstream(expected_path) << actual_text;
    ADD_FAILURE() << "missing " << expected_path << (update_mode() ? " (written)" : "");
    return;
  }
  std::vector<SseEvent> expected = parse_sse(read_file(expected_path), 4096);
  ASSERT_EQ(expected.size(), actual.size()) << expected_path << "\nactual:\n" << actual_text;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(expected[i].event, actual[i].event) << expected_path << " event #" << i;
    if (expected[i].data == "[DONE]" || actual[i].data == "[DONE]") {
      EXPECT_EQ(expected[i].data, actual[i].data) << expected_path << " event #" << i;
      continue;
    }
    EXPECT_EQ(json::parse(expected[i].data), json::parse(actual[i].data))
        << expected_path << " event #" << i << "\nexpected: " << expected[i].data
        << "\nactual:   " << actual[i].data;
  }
}

template <class F>
void run_json_cases(std::string_view translation, F translate) {
  auto dirs = cases(translation);
  ASSERT_FALSE(dirs.empty()) << translation;
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir.string());
    Result<json::object> actual = translate(dir, read_json(dir / "in.json"));
    ASSERT_TRUE(actual.has_value()) << actual.error().message;
    expect_json_file(dir / "out.json", *actual);
  }
}

template <class F>
void run_stream_cases(std::string_view translation, F translate) {
  auto dirs = cases(translation);
  ASSERT_FALSE(dirs.empty()) << translation;
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir.string());
    std::vector<SseEvent> upstream = parse_sse(read_file(dir / "upstream.sse"));
    std::vector<SseEvent> client = translate(dir, upstream);
    expect_sse_file(dir / "client.sse", client);
  }
}

TEST(Golden, OpenAiToAnthropicRequest) {
  run_json_cases("openai_to_anthropic_request", [](const fs::path& dir, const json::value& in) {
    json::object opts = options_of(dir);
    AnthropicRequestOptions options{opt_string(opts, "model", "claude-sonnet-4-5"),
                                    opts.contains("thinking") && opts.at("thinking").as_bool()};
    return openai_to_anthropic_request(in.as_object(), options);
  });
}

TEST(Golden, AnthropicToOpenAiRequest) {
  run_json_cases("anthropic_to_openai_request", [](const fs::path& dir, const json::value& in) {
    return anthropic_to_openai_request(in.as_object(), opt_string(options_of(dir), "model", "gpt-4o"));
  });
}

TEST(Golden, AnthropicToOpenAiResponse) {
  run_json_cases("anthropic_to_openai_response", [](const fs::path&, const json::value& in) {
    return anthropic_to_openai_response(in, kCreated, "claude-fallback");
  });
}

TEST(Golden, OpenAiToAnthropicResponse) {
  run_json_cases("openai_to_anthropic_response", [](const fs::path&, const json::value& in) {
    return openai_to_anthropic_response(in, "msg_fallback", "gpt-fallback");
  });
}

ResponseContext responses_context() {
  return ResponseContext{"resp_test1", kCreated, "llama3.1"};
}

json::object responses_request_of(const fs::path& dir) {
  return fs::exists(dir / "request.json") ? read_json(dir / "request.json").as_object() : json::object{};
}

TEST(Golden, ResponsesRequest) {
  run_json_cases("responses_request", [](const fs::path& dir, const json::value& in) {
    std::optional<json::array> history;
    if (fs::exists(dir / "history.json")) history = read_json(dir / "history.json").as_array();
    return responses_to_chat_request(in.as_object(), "llama3.1", history ? &*history : nullptr);
  });
}

TEST(Golden, ResponsesResponse) {
  run_json_cases("responses_response", [](const fs::path& dir, const json::value& in) {
    return chat_to_responses_response(in, responses_request_of(dir), responses_context());
  });
}

TEST(Golden, AnthropicToOpenAiStream) {
  run_stream_cases("anthropic_to_openai_stream", [](const fs::path&, const std::vector<SseEvent>& upstream) {
    AnthropicToOpenAiStream stream("chatcmpl-fallback", "claude-sonnet-4-5", kCreated);
    std::vector<SseEvent> out;
    for (const auto& e : upstream) {
      auto chunks = stream.on_event(e);
      EXPECT_TRUE(chunks.has_value()) << (chunks ? "" : chunks.error().message);
      if (!chunks) break;
      for (const auto& c : *chunks) out.push_back(SseEvent{"", json::serialize(c)});
    }
    EXPECT_TRUE(stream.finished());
    out.push_back(SseEvent{"", "[DONE]"});
    return out;
  });
}

TEST(Golden, OpenAiToAnthropicStream) {
  run_stream_cases("openai_to_anthropic_stream", [](const fs::path&, const std::vector<SseEvent>& upstream) {
    OpenAiToAnthropicStream stream("msg_test1", "gpt-4o", 0);
    std::vector<SseEvent> out;
    for (const auto& e : upstream) {
      auto events = stream.on_data(e.data);
      EXPECT_TRUE(events.has_value()) << (events ? "" : events.error().message);
      if (!events) break;
      out.insert(out.end(), events->begin(), events->end());
    }
    // The gateway calls finish() when the upstream ends; after [DONE] it adds nothing.
    for (auto& e : stream.finish()) out.push_back(std::move(e));
    EXPECT_TRUE(stream.finished());
    return out;
  });
}

TEST(Golden, ResponsesStream) {
  run_stream_cases("responses_stream", [](const fs::path& dir, const std::vector<SseEvent>& upstream) {
    ChatToResponsesStream stream(responses_request_of(dir), responses_context());
    std::vector<SseEvent> out;
    for (const auto& e : upstream) {
      auto events = stream.on_data(e.data);
      EXPECT_TRUE(events.has_value()) << (events ? "" : events.error().message);
      if (!events) break;
      out.insert(out.end(), events->begin(), events->end());
    }
    // The gateway calls finish() when the upstream ends; after [DONE] it adds nothing.
    for (auto& e : stream.finish()) out.push_back(std::move(e));
    EXPECT_TRUE(stream.finished());
    return out;
  });
}

}  // namespace
}  // namespace routerly::formats
