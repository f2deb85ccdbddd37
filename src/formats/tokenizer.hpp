#pragma once
// A byte-pair-encoding tokenizer with OpenAI's o200k_base pre-tokenizer (SPEC §00 P15:
// local count_tokens). Pure: the rank table is handed in as the text of a .tiktoken file
// ("<base64 token bytes> <rank>" per line); loading it from disk is the caller's business.
// Thread-safe after construction; counting allocates only per-call scratch space.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace routerly::formats {

class Tokenizer {
 public:
  // Parses the rank table and compiles the o200k_base pattern. validation_error names the
  // first bad line.
  static Result<Tokenizer> from_tiktoken(std::string_view ranks_text);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // Number of tokens of `text` (special tokens such as <|endoftext|> count as plain text).
  // Invalid UTF-8 is counted as if each bad byte were U+FFFD.
  std::size_t count(std::string_view text) const;
  // Token ids (ranks) of `text`; the same tokens count() counts.
  std::vector<uint32_t> encode(std::string_view text) const;
  std::size_t vocabulary_size() const;

 private:
  struct Impl;
  explicit Tokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace routerly::formats
