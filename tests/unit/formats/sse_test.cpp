#include "formats/sse.hpp"

#include <gtest/gtest.h>

namespace routerly::formats {
namespace {

std::vector<SseEvent> feed_all(SseParser& parser, std::initializer_list<std::string_view> pieces) {
  std::vector<SseEvent> all;
  for (auto piece : pieces) {
    auto events = parser.feed(piece);
    EXPECT_TRUE(events.has_value());
    if (events) all.insert(all.end(), events->begin(), events->end());
  }
  return all;
}

TEST(SseParser, SingleEventWithName) {
  SseParser parser;
  auto events = feed_all(parser, {"event: message_start\ndata: {\"a\":1}\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "message_start");
  EXPECT_EQ(events[0].data, "{\"a\":1}");
}

TEST(SseParser, EventSplitAcrossFeedsAtEveryByte) {
  const std::string text = "event: x\ndata: hello\n\ndata: second\n\n";
  SseParser parser;
  std::vector<SseEvent> all;
  for (char c : text) {
    auto events = parser.feed(std::string_view(&c, 1));
    ASSERT_TRUE(events.has_value());
    all.insert(all.end(), events->begin(), events->end());
  }
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], (SseEvent{"x", "hello"}));
  EXPECT_EQ(all[1], (SseEvent{"", "second"}));
}

TEST(SseParser, CrLfLineEndingsIncludingSplitPair) {
  SseParser parser;
  // The \r and \n of one line ending arrive in different feeds: still one line end.
  auto events = feed_all(parser, {"data: a\r", "\n\r", "\ndata: b\r\n", "\r\n"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data, "a");
  EXPECT_EQ(events[1].data, "b");
}

TEST(SseParser, BareCrEndsLines) {
  SseParser parser;
  auto events = feed_all(parser, {"data: a\r\rdata: b\r\r"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data, "a");
  EXPECT_EQ(events[1].data, "b");
}

TEST(SseParser, MultiLineDataJoinsWithNewline) {
  SseParser parser;
  auto events = feed_all(parser, {"data: line one\ndata:line two\ndata\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "line one\nline two\n");
}

TEST(SseParser, CommentsIdsAndEmptyEventsIgnored) {
  SseParser parser;
  auto events =
      feed_all(parser, {": keep-alive\n\nid: 7\nretry: 100\n\nevent: ping\n\ndata:  two spaces\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "");  // the `event: ping` block had no data and reset nothing into this one
  EXPECT_EQ(events[0].data, " two spaces");
}

TEST(SseParser, ByteOrderMarkSkippedEvenWhenSplit) {
  SseParser parser;
  auto events = feed_all(parser, {"\xEF", "\xBB",
                                  "\xBF"
                                  "data: x\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x");
}

TEST(SseParser, FinishDispatchesUnterminatedEvent) {
  SseParser parser;
  auto events = feed_all(parser, {"data: {\"a\":1}\n\ndata: [DONE]"});
  ASSERT_EQ(events.size(), 1u);
  auto rest = parser.finish();
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].data, "[DONE]");
  EXPECT_TRUE(parser.finish().empty());
}

TEST(SseParser, OversizedEventFails) {
  SseParser parser(16);
  auto first = parser.feed("data: 0123456789");
  ASSERT_TRUE(first.has_value());
  auto second = parser.feed("0123456789");
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::upstream_error);
  EXPECT_FALSE(parser.feed("\n\n").has_value());
}

TEST(FormatSse, NamedAndUnnamedEvents) {
  EXPECT_EQ(format_sse("message_stop", "{\"type\":\"message_stop\"}"),
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  EXPECT_EQ(format_sse("", "{}"), "data: {}\n\n");
  EXPECT_EQ(format_sse("", "a\nb"), "data: a\ndata: b\n\n");
  EXPECT_EQ(format_sse_done(), "data: [DONE]\n\n");
}

TEST(FormatSse, RoundTripsThroughParser) {
  SseParser parser;
  auto events = parser.feed(format_sse("e", "x\ny") + format_sse("", "z"));
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0], (SseEvent{"e", "x\ny"}));
  EXPECT_EQ((*events)[1], (SseEvent{"", "z"}));
}

}  // namespace
}  // namespace routerly::formats
