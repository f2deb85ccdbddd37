// When an upstream stream counts as started: an event-stream content type and a first event.
#include "gateway/stream_opening.hpp"

#include <gtest/gtest.h>

namespace routerly::gateway {
namespace {

TEST(StreamOpening, EventStreamContentTypesPass) {
  for (const char* type : {"text/event-stream", "text/event-stream; charset=utf-8", "TEXT/Event-Stream",
                           " text/event-stream ;charset=UTF-8", ""})
    EXPECT_TRUE(check_stream_content_type(type)) << type;
}

TEST(StreamOpening, OtherContentTypesFailNamingTheType) {
  for (const char* type : {"text/html; charset=utf-8", "application/json", "text/plain"}) {
    auto checked = check_stream_content_type(type);
    ASSERT_FALSE(checked) << type;
    EXPECT_EQ(checked.error().code, ErrorCode::upstream_error);
    std::string_view media = std::string_view(type).substr(0, std::string_view(type).find(';'));
    EXPECT_NE(checked.error().message.find(media), std::string::npos) << checked.error().message;
    EXPECT_NE(checked.error().message.find("not an event stream"), std::string::npos);
  }
}

TEST(StreamOpening, JsonContentTypes) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("application/problem+json"));
  EXPECT_FALSE(is_json_content_type("text/html"));
  EXPECT_FALSE(is_json_content_type(""));
}

TEST(StreamOpening, FirstEventInTheFirstPieceOpensAtOnce) {
  StreamOpening opening;
  auto fed = opening.feed("data: {\"a\":1}\n\ndata: {\"b\"");
  ASSERT_TRUE(fed);
  EXPECT_TRUE(*fed);
  ASSERT_EQ(opening.events().size(), 1u);
  EXPECT_EQ(opening.events()[0].data, "{\"a\":1}");
  // The parser carries on with the half event that came along.
  auto rest = opening.parser().feed(":2}\n\n");
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].data, "{\"b\":2}");
}

TEST(StreamOpening, CommentsAndPartialEventsDoNotOpen) {
  StreamOpening opening;
  for (const char* piece : {": keep-alive\n\n", "event: message_start\n", "data: {\"type\":"}) {
    auto fed = opening.feed(piece);
    ASSERT_TRUE(fed);
    EXPECT_FALSE(*fed) << piece;
  }
  auto fed = opening.feed("\"message_start\"}\n\n");
  ASSERT_TRUE(fed);
  EXPECT_TRUE(*fed);
  ASSERT_EQ(opening.events().size(), 1u);
  EXPECT_EQ(opening.events()[0].event, "message_start");
}

TEST(StreamOpening, EndWithoutAnyByte) {
  StreamOpening opening;
  auto ended = opening.end();
  ASSERT_FALSE(ended);
  EXPECT_EQ(ended.error().code, ErrorCode::upstream_error);
  EXPECT_NE(ended.error().message.find("before sending anything"), std::string::npos);
}

TEST(StreamOpening, EndBeforeTheFirstEvent) {
  for (const char* body : {": ping\n\n", "<html><body>Down for maintenance</body></html>\n\n",
                           "{\"error\":{\"message\":\"overloaded\"}}"}) {
    StreamOpening opening;
    ASSERT_TRUE(opening.feed(body));
    auto ended = opening.end();
    ASSERT_FALSE(ended) << body;
    EXPECT_NE(ended.error().message.find("before its first event"), std::string::npos) << body;
  }
}

// Many servers end with a last event and no blank line: that event still opens the stream.
TEST(StreamOpening, EndWithAnUnterminatedLastEvent) {
  StreamOpening opening;
  auto fed = opening.feed("data: [DONE]");
  ASSERT_TRUE(fed);
  EXPECT_FALSE(*fed);
  ASSERT_TRUE(opening.end());
  ASSERT_EQ(opening.events().size(), 1u);
  EXPECT_EQ(opening.events()[0].data, "[DONE]");
}

}  // namespace
}  // namespace routerly::gateway
