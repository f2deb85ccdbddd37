#include "usage/spool_format.hpp"

#include <boost/crc.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <optional>

namespace routerly::usage::spool_format {

namespace json = boost::json;

namespace {

constexpr char kMagic[4] = {'\xFF', '\xFE', 'U', 'R'};

uint32_t crc32_of(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint32_t get_u32(std::string_view bytes, std::size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return v;
}

bool magic_at(std::string_view bytes, std::size_t at) {
  return bytes.size() - at >= sizeof kMagic && bytes.compare(at, sizeof kMagic, kMagic, sizeof kMagic) == 0;
}

// The payload of an intact record starting at `at`, if there is one.
std::optional<std::string_view> record_at(std::string_view bytes, std::size_t at) {
  if (bytes.size() - at < kHeaderBytes || !magic_at(bytes, at)) return std::nullopt;
  const uint32_t length = get_u32(bytes, at + 4);
  if (length > kMaxPayloadBytes || bytes.size() - at - kHeaderBytes < length) return std::nullopt;
  std::string_view payload = bytes.substr(at + kHeaderBytes, length);
  if (crc32_of(payload) != get_u32(bytes, at + 8)) return std::nullopt;
  return payload;
}

std::string text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

int64_t integer(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->get_int64();
  boost::system::error_code ec;
  auto n = v->to_number<int64_t>(ec);
  return ec ? 0 : n;
}

double real(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  boost::system::error_code ec;
  double d = v->to_number<double>(ec);
  return ec ? 0 : d;
}

bool flag(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

}  // namespace

std::string encode_row(const store::UsageRow& r) {
  json::object o{{"id", r.id},
                 {"timestampMs", r.timestamp_ms},
                 {"projectId", r.project_id},
                 {"projectSlug", r.project_slug},
                 {"tokenId", r.token_id},
                 {"modelId", r.model_id},
                 {"provider", r.provider},
                 {"type", r.type},
                 {"callType", r.call_type},
                 {"inputTokens", r.input_tokens},
                 {"outputTokens", r.output_tokens},
                 {"cachedInputTokens", r.cached_input_tokens},
                 {"cacheCreationInputTokens", r.cache_creation_input_tokens},
                 {"tokensEstimated", r.tokens_estimated},
                 {"cost", r.cost},
                 {"costInput", r.cost_input},
                 {"costOutput", r.cost_output},
                 {"priceInput", r.price_input},
                 {"priceOutput", r.price_output},
                 {"latencyMs", r.latency_ms},
                 {"stream", r.stream},
                 {"outcome", r.outcome},
                 {"errorMessage", r.error_message},
                 {"traceId", r.trace_id},
                 {"trace", r.trace}};
  if (r.ttft_ms) o["ttftMs"] = *r.ttft_ms;
  return json::serialize(o);
}

Result<store::UsageRow> decode_row(std::string_view payload) {
  boost::system::error_code ec;
  json::value parsed = json::parse(payload, ec);
  if (ec || !parsed.is_object()) return fail(ErrorCode::internal_error, "a spooled usage record is not a JSON object");
  const json::object& o = parsed.get_object();
  store::UsageRow r;
  r.id = text(o, "id");
  if (r.id.empty()) return fail(ErrorCode::internal_error, "a spooled usage record has no id");
  r.timestamp_ms = integer(o, "timestampMs");
  r.project_id = text(o, "projectId");
  r.project_slug = text(o, "projectSlug");
  r.token_id = text(o, "tokenId");
  r.model_id = text(o, "modelId");
  r.provider = text(o, "provider");
  if (o.contains("type")) r.type = text(o, "type");
  if (o.contains("callType")) r.call_type = text(o, "callType");
  r.input_tokens = integer(o, "inputTokens");
  r.output_tokens = integer(o, "outputTokens");
  r.cached_input_tokens = integer(o, "cachedInputTokens");
  r.cache_creation_input_tokens = integer(o, "cacheCreationInputTokens");
  r.tokens_estimated = flag(o, "tokensEstimated");
  r.cost = real(o, "cost");
  r.cost_input = real(o, "costInput");
  r.cost_output = real(o, "costOutput");
  r.price_input = real(o, "priceInput");
  r.price_output = real(o, "priceOutput");
  r.latency_ms = integer(o, "latencyMs");
  if (o.contains("ttftMs")) r.ttft_ms = integer(o, "ttftMs");
  r.stream = flag(o, "stream");
  if (o.contains("outcome")) r.outcome = text(o, "outcome");
  r.error_message = text(o, "errorMessage");
  r.trace_id = text(o, "traceId");
  if (const json::value* t = o.if_contains("trace"); t != nullptr && t->is_array()) r.trace = t->get_array();
  return r;
}

void append_frame(std::string& out, std::string_view payload) {
  out.append(kMagic, sizeof kMagic);
  put_u32(out, static_cast<uint32_t>(payload.size()));
  put_u32(out, crc32_of(payload));
  out.append(payload);
}

Scan scan(std::string_view bytes) {
  Scan result;
  std::size_t at = 0;
  while (at < bytes.size()) {
    if (auto payload = record_at(bytes, at)) {
      result.payloads.push_back(*payload);
      at += kHeaderBytes + payload->size();
      continue;
    }
    // Damaged from here: resume at the next intact record, if any.
    std::size_t next = at + 1;
    while (next < bytes.size() && !(magic_at(bytes, next) && record_at(bytes, next))) {
      next = bytes.find(kMagic[0], next + 1);
      if (next == std::string_view::npos) next = bytes.size();
    }
    if (next >= bytes.size()) {
      result.torn_tail_bytes = bytes.size() - at;
      break;
    }
    ++result.damaged_records;
    result.damaged_bytes += next - at;
    at = next;
  }
  return result;
}

}  // namespace routerly::usage::spool_format
