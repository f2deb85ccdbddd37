#pragma once
// The rank table of a BPE vocabulary, compact (one byte buffer, offsets and an open-addressed
// index of about 5 MiB for o200k) and the merge step over one pre-tokenized piece.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace routerly::formats {

class BpeTable {
 public:
  void reserve(std::size_t tokens, std::size_t bytes);
  void add(std::string_view token, uint32_t rank);  // call finish() after the last add
  void finish();
  std::size_t size() const { return ranks_.size(); }
  std::optional<uint32_t> rank(std::string_view token) const;

  // Appends the ranks of `piece` merged per BPE (lowest-rank adjacent pair first, leftmost on
  // ties). Every single byte must be in the table.
  void merge(std::string_view piece, std::vector<uint32_t>& out) const;

 private:
  void merge_short(std::string_view piece, std::vector<uint32_t>& out) const;
  void merge_long(std::string_view piece, std::vector<uint32_t>& out) const;
  uint32_t rank_or_max(std::string_view token) const;

  std::string bytes_;
  std::vector<uint32_t> offsets_{0};  // token i = bytes_[offsets_[i], offsets_[i+1])
  std::vector<uint32_t> ranks_;
  std::vector<uint32_t> slots_;  // token index + 1; 0 = empty
};

}  // namespace routerly::formats
