#pragma once
// The byte format of the usage spool: pure functions, no I/O.
//
// A spool file is a sequence of records, each framed as
//   magic (4 bytes: FF FE 'U' 'R') | payload length (u32, little endian) | CRC-32 of the payload
//   (u32, little endian) | payload (one usage row as JSON)
// The magic holds bytes that never occur in UTF-8 text, so after a damaged record the reader
// finds the next record by searching for it; the CRC tells a whole record from a torn or
// altered one.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "store/usage_rows.hpp"

namespace routerly::usage::spool_format {

inline constexpr std::size_t kHeaderBytes = 12;
// A payload larger than this is taken for a damaged length field (a row with its trace is
// kilobytes; the HTTP body limit keeps traces far below this).
inline constexpr std::size_t kMaxPayloadBytes = 256u << 20;

// The row as JSON, every field included (the trace as a JSON array).
std::string encode_row(const store::UsageRow& row);
// The inverse of encode_row. Fields a later version added are ignored; fields missing are
// left at their defaults, except `id`, which a row cannot do without.
Result<store::UsageRow> decode_row(std::string_view payload);

// Appends one framed record carrying `payload` to `out`.
void append_frame(std::string& out, std::string_view payload);

struct Scan {
  std::vector<std::string_view> payloads;  // intact records in file order (views into the input)
  // Damaged stretches followed by at least one intact record: a record whose bytes were altered.
  std::size_t damaged_records = 0;
  std::size_t damaged_bytes = 0;
  // Bytes after the last intact record that do not form one: a record cut short by a crash
  // while it was being written (or damage at the very end, which cannot be told apart).
  std::size_t torn_tail_bytes = 0;
};
// Splits a spool file's bytes into records, skipping damaged ones (see Scan).
Scan scan(std::string_view bytes);

}  // namespace routerly::usage::spool_format
