// The o200k tokenizer against counts js-tiktoken computed at build time
// (<build>/data/o200k_base.expected.json, written with the rank table by
// tools/tokenizer-data/generate.mjs) and against a few hard-coded counts.
#include "formats/tokenizer.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace routerly::formats {
namespace {
namespace fs = std::filesystem;

fs::path data_dir() {
  if (const char* env = std::getenv("ROUTERLY_TOKENIZER_DATA")) return fs::path(env).parent_path();
  // The test binary lives in <build>/tests/, the data in <build>/data/.
  return fs::canonical("/proc/self/exe").parent_path().parent_path() / "data";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const Tokenizer& o200k() {
  static const Tokenizer tokenizer = [] {
    fs::path file = data_dir() / "o200k_base.tiktoken";
    if (!fs::exists(file))
      throw std::runtime_error("missing " + file.string() + " (build target tokenizer_data)");
    auto t = Tokenizer::from_tiktoken(slurp(file));
    if (!t) throw std::runtime_error(t.error().message);
    return std::move(*t);
  }();
  return tokenizer;
}

TEST(Tokenizer, LoadsTheWholeVocabulary) {
  EXPECT_EQ(o200k().vocabulary_size(), 199998u);
}

TEST(Tokenizer, KnownCounts) {
  // Computed with js-tiktoken 1.0.21 (o200k_base).
  EXPECT_EQ(o200k().count("hello world"), 2u);
  EXPECT_EQ(o200k().count("Hello, world! How are you doing today?"), 10u);
  EXPECT_EQ(o200k().count(""), 0u);
  EXPECT_EQ(o200k().encode("hello world"), (std::vector<uint32_t>{24912, 2375}));
}

TEST(Tokenizer, MatchesJsTiktokenOnSamples) {
  fs::path file = data_dir() / "o200k_base.expected.json";
  ASSERT_TRUE(fs::exists(file)) << file;
  auto samples = boost::json::parse(slurp(file)).as_array();
  ASSERT_GE(samples.size(), 15u);
  for (const auto& s : samples) {
    std::string text(s.at("text").as_string());
    auto expected = static_cast<std::size_t>(s.at("tokens").to_number<int64_t>());
    EXPECT_EQ(o200k().count(text), expected)
        << "text: " << text.substr(0, 80) << " (" << text.size() << " bytes)";
    EXPECT_EQ(o200k().encode(text).size(), expected);
  }
}

TEST(Tokenizer, LongPiecesUseTheSameMergeOrder) {
  // One piece far longer than the quadratic path handles: splitting it at a piece boundary
  // must not matter, and a repeated word scales linearly.
  std::string word = "abcdefghij";
  std::string spaced;
  std::string joined;
  for (int i = 0; i < 300; ++i) {
    spaced += " " + word;
    joined += word;
  }
  EXPECT_EQ(o200k().count(spaced), 300 * o200k().count(" " + word));
  std::size_t long_count = o200k().count(joined);  // a single 3000-byte piece
  EXPECT_GT(long_count, 300u);
  EXPECT_LT(long_count, 3000u);
}

TEST(Tokenizer, InvalidUtf8CountsAsReplacementCharacters) {
  std::string bad =
      "ab\xff\xfe"
      "cd";
  EXPECT_EQ(o200k().count(bad), o200k().count("ab\xEF\xBF\xBD\xEF\xBF\xBD"
                                              "cd"));
  EXPECT_GT(o200k().count(std::string("\xC0\x80", 2)), 0u);
}

TEST(Tokenizer, RejectsMalformedTables) {
  auto missing_rank = Tokenizer::from_tiktoken("IQ==\n");
  ASSERT_FALSE(missing_rank.has_value());
  EXPECT_NE(missing_rank.error().message.find("line 1"), std::string::npos);
  auto bad_base64 = Tokenizer::from_tiktoken("IQ== 0\n!!! 1\n");
  ASSERT_FALSE(bad_base64.has_value());
  EXPECT_NE(bad_base64.error().message.find("line 2"), std::string::npos);
  // Not byte-level: single bytes missing.
  auto partial = Tokenizer::from_tiktoken("IQ== 0\n");
  ASSERT_FALSE(partial.has_value());
  EXPECT_NE(partial.error().message.find("byte"), std::string::npos);
}

TEST(Tokenizer, TinyVocabularyMergesByRank) {
  // All 256 bytes, then "ab" (rank 256) and "abc" (rank 257): "abcab" → [abc][ab].
  std::string table;
  auto b64 = [](std::string_view raw) {
    static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < raw.size(); i += 3) {
      unsigned v = (unsigned char)raw[i] << 16 | (unsigned char)raw[i + 1] << 8 | (unsigned char)raw[i + 2];
      out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
    }
    if (raw.size() - i == 1) {
      unsigned v = (unsigned char)raw[i] << 16;
      out += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
    } else if (raw.size() - i == 2) {
      unsigned v = (unsigned char)raw[i] << 16 | (unsigned char)raw[i + 1] << 8;
      out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
    }
    return out;
  };
  for (int b = 0; b < 256; ++b)
    table += b64(std::string(1, static_cast<char>(b))) + " " + std::to_string(b) + "\n";
  table += b64("ab") + " 256\n" + b64("abc") + " 257\n";
  auto t = Tokenizer::from_tiktoken(table);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->encode("abcab"), (std::vector<uint32_t>{257, 256}));
  EXPECT_EQ(t->encode("abx"), (std::vector<uint32_t>{256, 'x'}));
  // A long piece (heap path) merges exactly like the short path.
  std::string long_piece;
  for (int i = 0; i < 100; ++i) long_piece += "abc";
  std::vector<uint32_t> expected(100, 257);
  EXPECT_EQ(t->encode(long_piece), expected);
}

}  // namespace
}  // namespace routerly::formats
