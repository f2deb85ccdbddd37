#include "gateway/trace.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace routerly::gateway {
namespace {

namespace json = boost::json;

TEST(Trace, FirstChunkIsAStandardChunkWithTraceKeys) {
  TraceChunkInfo info{"chatcmpl-1", 1700000000, "openai/gpt-4o", "trace-1", "openai", {}, 0.00125};
  json::object chunk = trace_first_chunk(info);
  EXPECT_EQ(chunk.at("object"), "chat.completion.chunk");
  EXPECT_EQ(chunk.at("id"), "chatcmpl-1");
  EXPECT_EQ(chunk.at("model"), "openai/gpt-4o");
  const json::array& choices = chunk.at("choices").as_array();
  ASSERT_EQ(choices.size(), 1u);
  EXPECT_EQ(choices[0].at("delta"), (json::object{{"role", "assistant"}, {"content", ""}}));
  EXPECT_TRUE(choices[0].at("finish_reason").is_null());
  EXPECT_EQ(chunk.at("type"), "trace");
  EXPECT_EQ(chunk.at("traceId"), "trace-1");
  EXPECT_EQ(chunk.at("provider"), "openai");
  EXPECT_TRUE(chunk.at("policies").is_array());
  EXPECT_DOUBLE_EQ(chunk.at("costEstimate").as_double(), 0.00125);
}

TEST(Trace, EventFormWrapsTheEntry) {
  json::object entry = trace_entry("request", "model:request", json::object{{"modelId", "m"}});
  std::string bytes = trace_event_bytes(entry);
  ASSERT_TRUE(bytes.starts_with("data: "));
  ASSERT_TRUE(bytes.ends_with("\n\n"));
  json::value parsed = json::parse(bytes.substr(6, bytes.size() - 8));
  EXPECT_EQ(parsed.at("type"), "trace");
  EXPECT_EQ(parsed.at("entry").at("message"), "model:request");
  EXPECT_EQ(parsed.at("entry").at("panel"), "request");
}

TEST(Trace, FirstChunkSaysWhetherTheClientPinnedTheModel) {
  TraceChunkInfo info{"chatcmpl-1", 1700000000, "mock/b", "trace-1", "openai", {}, 0};
  EXPECT_FALSE(trace_first_chunk(info).at("pinned").as_bool());
  info.pinned = true;
  EXPECT_TRUE(trace_first_chunk(info).at("pinned").as_bool());
}

TEST(Trace, PinnedModelIsTheAppliedPinOnly) {
  json::array trace{trace_entry("router-request", "router:intake", json::object{{"model", "mock/b"}})};
  EXPECT_EQ(pinned_model(trace), "");
  trace.push_back(trace_entry("router-response", "router:pinned",
                              json::object{{"model", "mock/b"}, {"applied", false}, {"reason", "blocked by a budget"}}));
  EXPECT_EQ(pinned_model(trace), "");
  trace.back().as_object()["details"] = json::object{{"model", "mock/b"}, {"applied", true}, {"routedRank", 2}};
  EXPECT_EQ(pinned_model(trace), "mock/b");
}

}  // namespace
}  // namespace routerly::gateway
