#pragma once
// Numeric IP addresses and CIDR ranges, parsed without any name lookup. IPv4 addresses are held
// as IPv4-mapped IPv6 (::ffff:a.b.c.d), so that "10.0.0.1" and "::ffff:10.0.0.1" are one address
// and a range written in either family matches both spellings.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace routerly::ip {

struct Address {
  std::array<uint8_t, 16> bytes{};

  // An IPv4 address (also when it was written in its IPv4-mapped IPv6 form).
  bool is_v4() const;
  // The four IPv4 bytes when is_v4().
  std::array<uint8_t, 4> v4() const;
  // Dotted quad for IPv4, RFC 5952 text for IPv6 (without brackets).
  std::string to_string() const;
  bool operator==(const Address&) const = default;
};

// A dotted quad ("192.0.2.1") or an IPv6 literal ("2001:db8::1", optionally in brackets).
// Nothing else: host names and numeric shorthands such as "127.1" are not addresses here.
std::optional<Address> parse(std::string_view text);
Address from_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);

struct Cidr {
  Address network;      // host bits cleared
  unsigned prefix = 0;  // over the 128-bit form (an IPv4 /8 is stored as /104)
  bool contains(const Address& address) const;
};

// "10.0.0.0/8", "fd00::/8", or a single address (a /32 or /128). The host bits must be zero.
std::optional<Cidr> parse_cidr(std::string_view text);

}  // namespace routerly::ip
