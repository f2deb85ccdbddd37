#include "common/ids.hpp"

#include <array>
#include <cstdint>
#include <mutex>
#include <tuple>

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
  std::string out(36, '-');
  std::size_t at = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;  // the dash already there
    out[at++] = kHex[b[i] >> 4];
    out[at++] = kHex[b[i] & 0x0fU];
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

// v7 ids name traces and usage rows; they are not secrets, so their random bits come from
// CSPRNG output fetched in blocks per thread instead of one getrandom() per id. Every id still
// gets fresh, never reused bytes. (uuid_v4 ids name users, sessions and tokens: one CSPRNG
// call each, unchanged.)
namespace {
Bytes buffered_random_bytes() {
  constexpr std::size_t kBlock = 32 * std::tuple_size_v<Bytes>;
  thread_local std::string block;
  thread_local std::size_t used = kBlock;
  if (used + std::tuple_size_v<Bytes> > block.size()) {
    block = crypto::random_bytes(kBlock);
    used = 0;
  }
  Bytes b{};
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<unsigned char>(block[used + i]);
  used += b.size();
  return b;
}
}  // namespace

std::string uuid_v7() {
  static V7State state;
  Bytes b = buffered_random_bytes();
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
