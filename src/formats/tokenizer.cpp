#include "formats/tokenizer.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <charconv>

#include "common/crypto.hpp"
#include "formats/bpe_table.hpp"

namespace routerly::formats {
namespace {

// o200k_base's pre-tokenizer, as js-tiktoken ships it (tools/tokenizer-data/generate.mjs
// fails the build if the package's pattern ever differs from this one).
constexpr std::string_view kO200kPattern =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+)"
    R"(('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?)"
    R"(|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*)"
    R"(('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?)"
    R"(|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4 || i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  unsigned char c1 = byte(i + 1);
  if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
  if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
  if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
  if (c == 0xF4 && c1 >= 0x90) return 0;  // beyond U+10FFFF
  return len;
}

// The text itself when valid UTF-8; else a copy with each bad byte replaced by U+FFFD.
std::string_view valid_utf8(std::string_view text, std::string& scratch) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t len = utf8_sequence(text, i);
    if (len == 0) break;
    i += len;
  }
  if (i == text.size()) return text;
  scratch.assign(text.substr(0, i));
  while (i < text.size()) {
    std::size_t len = utf8_sequence(text, i);
    if (len == 0) {
      scratch += "\xEF\xBF\xBD";
      ++i;
    } else {
      scratch.append(text.substr(i, len));
      i += len;
    }
  }
  return scratch;
}

struct CodeDeleter {
  void operator()(pcre2_code* c) const { pcre2_code_free(c); }
};
struct MatchDataDeleter {
  void operator()(pcre2_match_data* m) const { pcre2_match_data_free(m); }
};

}  // namespace

struct Tokenizer::Impl {
  BpeTable table;
  std::unique_ptr<pcre2_code, CodeDeleter> pattern;

  template <class Sink>
  void pieces(std::string_view text, Sink&& sink) const {
    std::string scratch;
    std::string_view subject = valid_utf8(text, scratch);
    std::unique_ptr<pcre2_match_data, MatchDataDeleter> match(
        pcre2_match_data_create_from_pattern(pattern.get(), nullptr));
    const auto* data = reinterpret_cast<PCRE2_SPTR>(subject.data());
    std::size_t offset = 0;
    while (offset < subject.size()) {
      int rc =
          pcre2_match(pattern.get(), data, subject.size(), offset, PCRE2_NO_UTF_CHECK, match.get(), nullptr);
      if (rc < 0) break;  // no further match (every character is matched by some branch)
      PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.get());
      std::size_t start = ovector[0], end = ovector[1];
      if (end <= start) {  // cannot happen with this pattern; never loop forever
        offset = start + 1;
        continue;
      }
      sink(subject.substr(start, end - start));
      offset = end;
    }
  }
};

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Result<Tokenizer> Tokenizer::from_tiktoken(std::string_view text) {
  auto impl = std::make_unique<Impl>();
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  impl->table.reserve(lines + 1, lines * 8);

  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    std::size_t space = line.find(' ');
    auto bad = [&] {
      return fail(ErrorCode::validation_error,
                  "tokenizer data: line " + std::to_string(line_no) + " is malformed");
    };
    if (space == std::string_view::npos) return bad();
    auto token = crypto::base64_decode(line.substr(0, space));
    std::string_view rank_text = line.substr(space + 1);
    uint32_t rank = 0;
    auto [end, ec] = std::from_chars(rank_text.data(), rank_text.data() + rank_text.size(), rank);
    if (!token || token->empty() || ec != std::errc() || end != rank_text.data() + rank_text.size())
      return bad();
    impl->table.add(*token, rank);
  }
  impl->table.finish();
  for (int b = 0; b < 256; ++b) {
    char byte = static_cast<char>(b);
    if (!impl->table.rank(std::string_view(&byte, 1))) {
      return fail(ErrorCode::validation_error,
                  "tokenizer data: byte " + std::to_string(b) + " has no rank (not a byte-level BPE table)");
    }
  }

  int error = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(kO200kPattern.data()), kO200kPattern.size(),
                                   PCRE2_UTF | PCRE2_UCP, &error, &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    return fail(ErrorCode::internal_error,
                std::string("tokenizer pattern: ") + reinterpret_cast<char*>(message));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // optional speed-up; interpretation still works
  impl->pattern.reset(code);
  return Tokenizer(std::move(impl));
}

std::vector<uint32_t> Tokenizer::encode(std::string_view text) const {
  std::vector<uint32_t> out;
  impl_->pieces(text, [&](std::string_view piece) { impl_->table.merge(piece, out); });
  return out;
}

std::size_t Tokenizer::count(std::string_view text) const {
  std::size_t total = 0;
  std::vector<uint32_t> scratch;
  impl_->pieces(text, [&](std::string_view piece) {
    scratch.clear();
    impl_->table.merge(piece, scratch);
    total += scratch.size();
  });
  return total;
}

std::size_t Tokenizer::vocabulary_size() const {
  return impl_->table.size();
}

}  // namespace routerly::formats
