#include "notify/address_guard.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cctype>
#include <memory>

namespace routerly::notify {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool private_v4(std::array<uint8_t, 4> o) {
  return o[0] == 0 ||                                  // "this network", 0.0.0.0
         o[0] == 10 ||                                 // private
         o[0] == 127 ||                                // loopback
         (o[0] == 100 && (o[1] & 0xc0) == 64) ||       // carrier-grade NAT 100.64/10
         (o[0] == 169 && o[1] == 254) ||               // link-local, cloud metadata
         (o[0] == 172 && (o[1] & 0xf0) == 16) ||       // private 172.16/12
         (o[0] == 192 && o[1] == 168) ||               // private
         (o[0] == 192 && o[1] == 0 && o[2] == 0) ||    // IETF protocol assignments
         (o[0] == 198 && (o[1] & 0xfe) == 18) ||       // benchmarking 198.18/15
         o[0] >= 224;                                  // multicast, reserved, broadcast
}

// The IPv4 address an IPv6 form carries, when it is one of the forms that reach it.
std::optional<std::array<uint8_t, 4>> embedded_v4(const ip::Address& a) {
  const auto& b = a.bytes;
  auto all_zero = [&](std::size_t from, std::size_t to) {
    return std::all_of(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(to),
                       [](uint8_t x) { return x == 0; });
  };
  if (all_zero(0, 12)) return std::array<uint8_t, 4>{b[12], b[13], b[14], b[15]};  // IPv4-compatible ::a.b.c.d
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && all_zero(4, 12))
    return std::array<uint8_t, 4>{b[12], b[13], b[14], b[15]};  // NAT64 64:ff9b::/96
  if (b[0] == 0x20 && b[1] == 0x02) return std::array<uint8_t, 4>{b[2], b[3], b[4], b[5]};  // 6to4
  return std::nullopt;
}

}  // namespace

bool is_private_address(const ip::Address& a) {
  if (a.is_v4()) return private_v4(a.v4());
  const auto& b = a.bytes;
  if ((b[0] & 0xfe) == 0xfc) return true;                 // unique-local fc00::/7
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // link-local fe80::/10
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;  // site-local fec0::/10 (deprecated)
  if (b[0] == 0xff) return true;                           // multicast
  // ::, ::1 and the IPv4-compatible forms all have 96 leading zero bits: judged as IPv4, where
  // 0.0.0.0/8 covers the unspecified and loopback addresses of IPv6 as well.
  if (auto v4 = embedded_v4(a)) return private_v4(*v4);
  return false;
}

Result<std::vector<ip::Address>> resolve_host(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0) return fail(ErrorCode::upstream_error, "cannot resolve '" + host + "': " + gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, freeaddrinfo);
  std::vector<ip::Address> out;
  for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    ip::Address a;
    if (ai->ai_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(ai->ai_addr);
      const auto* p = reinterpret_cast<const uint8_t*>(&in->sin_addr);
      a = ip::from_v4(p[0], p[1], p[2], p[3]);
    } else if (ai->ai_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(ai->ai_addr);
      std::copy_n(reinterpret_cast<const uint8_t*>(&in6->sin6_addr), 16, a.bytes.begin());
    } else {
      continue;
    }
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  if (out.empty()) return fail(ErrorCode::upstream_error, "cannot resolve '" + host + "': no address");
  return out;
}

Result<ip::Address> checked_destination(std::string_view what, const std::string& host, const Resolver& resolve) {
  if (host.empty()) return fail(ErrorCode::validation_error, std::string(what) + " has no host");
  std::vector<ip::Address> addresses;
  if (auto literal = ip::parse(host)) {
    addresses.push_back(*literal);
  } else {
    // "name." is the same name written fully qualified.
    std::string name = host;
    while (name.size() > 1 && name.back() == '.') name.pop_back();
    auto resolved = resolve(name);
    if (!resolved) return std::unexpected(resolved.error());
    addresses = std::move(*resolved);
  }
  if (addresses.empty()) return fail(ErrorCode::upstream_error, "cannot resolve '" + host + "': no address");
  for (const auto& a : addresses) {
    if (is_private_address(a)) {
      std::string shown = a.to_string() == host ? host : host + " = " + a.to_string();
      return fail(ErrorCode::validation_error, std::string(what) + " points to a private or loopback address (" +
                                                   shown + "); set allowPrivateWebhooks to allow it");
    }
  }
  return addresses.front();
}

Result<UrlDestination> webhook_destination(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return fail(ErrorCode::validation_error, "Webhook URL is not a valid absolute URL");
  UrlDestination out;
  out.scheme = lower(parsed->scheme());
  if (out.scheme != "http" && out.scheme != "https")
    return fail(ErrorCode::validation_error, "Webhook URL must use http or https");
  std::string encoded(parsed->encoded_host_address());
  if (encoded.size() >= 2 && encoded.front() == '[' && encoded.back() == ']')
    encoded = encoded.substr(1, encoded.size() - 2);
  if (encoded.empty()) return fail(ErrorCode::validation_error, "Webhook URL has no host");
  // Percent-encoded hosts (and IPv6 zone ids) are refused: what gets checked must be exactly
  // what the transport connects to.
  if (encoded.find_first_of("%/\\@ ") != std::string::npos)
    return fail(ErrorCode::validation_error, "Webhook URL host must be a plain name or address");
  out.host = lower(encoded);
  const int default_port = out.scheme == "https" ? 443 : 80;
  out.port = parsed->has_port() && !parsed->port().empty() ? static_cast<int>(parsed->port_number()) : default_port;
  if (out.port <= 0) return fail(ErrorCode::validation_error, "Webhook URL has an invalid port");
  return out;
}

}  // namespace routerly::notify
