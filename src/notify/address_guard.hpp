#pragma once
// The private-address guard for notification destinations (webhooks and SMTP servers). The
// host is resolved and refused when any of its addresses is private; the address that passed
// is then the one the transport connects to, so a second lookup cannot swap it (DNS rebinding).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/ip_address.hpp"

namespace routerly::notify {

// True for addresses that reach the machine itself or a private network rather than the
// internet: loopback, unspecified, RFC 1918 private, carrier-grade NAT (100.64/10), link-local
// (169.254/16, fe80::/10, where cloud metadata lives), unique-local (fc00::/7), site-local,
// multicast and reserved ranges, and any IPv6 form that embeds such an IPv4 address
// (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16). Pure.
bool is_private_address(const ip::Address& address);

// Name → addresses (every A and AAAA record). Blocking. upstream_error when the name does not resolve.
using Resolver = std::function<Result<std::vector<ip::Address>>(const std::string& host)>;
// getaddrinfo: also reads /etc/hosts and the numeric shorthands ("2130706433", "127.1").
Result<std::vector<ip::Address>> resolve_host(const std::string& host);

// Resolves `host` (a name or an IP literal, IPv6 with or without brackets) and refuses it
// with validation_error ("… private or loopback address …; set allowPrivateWebhooks to allow
// it") when ANY address is private. Returns the address to connect to. Blocking: call it off
// the I/O threads. `what` names the destination in messages ("Webhook URL", "SMTP host").
Result<ip::Address> checked_destination(std::string_view what, const std::string& host,
                                        const Resolver& resolve = resolve_host);

// Where a webhook URL points: scheme, host (IPv6 without brackets) and port (explicit or the
// scheme's default).
struct UrlDestination {
  std::string scheme;
  std::string host;
  int port = 0;
};

// The URL must be absolute http(s) with a host. validation_error naming the problem otherwise.
// No lookup here.
Result<UrlDestination> webhook_destination(std::string_view url);

}  // namespace routerly::notify
