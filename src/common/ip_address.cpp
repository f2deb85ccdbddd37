#include "common/ip_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace routerly::ip {

namespace {

constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool prefix_equal(const Address& a, const Address& b, unsigned bits) {
  for (unsigned i = 0; i < 16 && bits > 0; ++i) {
    const unsigned take = bits >= 8 ? 8 : bits;
    const auto mask = static_cast<uint8_t>(0xff << (8 - take));
    if ((a.bytes[i] & mask) != (b.bytes[i] & mask)) return false;
    bits -= take;
  }
  return true;
}

}  // namespace

bool Address::is_v4() const {
  return std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin());
}

std::array<uint8_t, 4> Address::v4() const {
  return {bytes[12], bytes[13], bytes[14], bytes[15]};
}

std::string Address::to_string() const {
  char out[INET6_ADDRSTRLEN] = {0};
  if (is_v4()) {
    inet_ntop(AF_INET, bytes.data() + 12, out, sizeof out);
  } else {
    inet_ntop(AF_INET6, bytes.data(), out, sizeof out);
  }
  return out;
}

Address from_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  Address out;
  std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), out.bytes.begin());
  out.bytes[12] = a;
  out.bytes[13] = b;
  out.bytes[14] = c;
  out.bytes[15] = d;
  return out;
}

std::optional<Address> parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string s(text);
  Address out;
  if (s.find(':') != std::string::npos) {
    if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) != 1) return std::nullopt;
    return out;
  }
  uint8_t v4[4];
  if (inet_pton(AF_INET, s.c_str(), v4) != 1) return std::nullopt;
  return from_v4(v4[0], v4[1], v4[2], v4[3]);
}

bool Cidr::contains(const Address& address) const {
  return prefix_equal(network, address, prefix);
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  auto address = parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  const unsigned width =
      address->is_v4() && text.substr(0, slash).find(':') == std::string_view::npos ? 32 : 128;
  unsigned bits = width;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || bits > width)
      return std::nullopt;
  }
  Cidr cidr{*address, bits + (128 - width)};
  // The host part must be zero: "10.0.0.1/8" is most likely a typo for a single address.
  Address cleared{};
  for (unsigned i = 0, left = cidr.prefix; i < 16; ++i) {
    const unsigned take = left >= 8 ? 8 : left;
    cleared.bytes[i] =
        static_cast<uint8_t>(address->bytes[i] & static_cast<uint8_t>(take == 0 ? 0 : 0xff << (8 - take)));
    left -= take;
  }
  if (!(cleared == *address)) return std::nullopt;
  return cidr;
}

}  // namespace routerly::ip
