#include "common/ids.hpp"

#include <array>
#include <cstdint>
#include <mutex>

#include "common/clock.hpp"
#include "common/crypto.hpp"

namespace routerly::ids {

namespace {

using Bytes = std::array<unsigned char, 16>;

Bytes random_uuid_bytes() {
  Bytes b{};
  const std::string r = crypto::random_bytes(b.size());
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<unsigned char>(r[i]);
  return b;
}

void set_version(Bytes& b, unsigned version) {
  b[6] = static_cast<unsigned char>((b[6] & 0x0fU) | (version << 4));
  b[8] = static_cast<unsigned char>((b[8] & 0x3fU) | 0x80U);  // RFC 9562 variant 10xx
}

std::string format(const Bytes& b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0fU]);
  }
  return out;
}

// v7 monotonicity within this process (RFC 9562 §6.2 method 1): the 12 rand_a bits act as
// a counter inside one millisecond, seeded randomly with headroom; on overflow or a clock
// step backwards the timestamp is carried forward so ids keep increasing.
struct V7State {
  std::mutex mutex;
  int64_t last_ms = 0;
  unsigned counter = 0;
};

}  // namespace

std::string uuid_v4() {
  Bytes b = random_uuid_bytes();
  set_version(b, 4);
  return format(b);
}

std::string uuid_v7() {
  static V7State state;
  Bytes b = random_uuid_bytes();
  int64_t ms = clock::now_ms();
  unsigned counter = 0;
  {
    std::lock_guard lock(state.mutex);
    if (ms > state.last_ms) {
      state.last_ms = ms;
      state.counter = ((static_cast<unsigned>(b[6]) << 8) | b[7]) & 0x7ffU;  // top bit clear
    } else if (++state.counter > 0xfffU) {
      ++state.last_ms;
      state.counter = 0;
    }
    ms = state.last_ms;
    counter = state.counter;
  }
  const auto ts = static_cast<uint64_t>(ms) & 0xffffffffffffULL;  // 48-bit Unix ms, big-endian
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ts >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>(counter >> 8);
  b[7] = static_cast<unsigned char>(counter & 0xffU);
  set_version(b, 7);
  return format(b);
}

}  // namespace routerly::ids
