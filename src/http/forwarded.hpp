#pragma once
// Who the client is when the server sits behind reverse proxies. Pure.
//
// X-Forwarded-For and X-Forwarded-Proto are believed only when the TCP peer is one of the
// trusted proxies; anybody else could write whatever they like into them. Walking
// X-Forwarded-For from the right (the hop nearest to us), trusted proxies are skipped and the
// first address that is not a trusted proxy is the client. Without trusted proxies (the
// default) the TCP peer is the client and the transport's scheme is the scheme.
#include <span>
#include <string>
#include <string_view>

#include "common/ip_address.hpp"
#include "http/message.hpp"

namespace routerly::http {

struct ClientOrigin {
  std::string address;  // numeric; IPv4-mapped IPv6 peers are written as IPv4
  std::string scheme;   // "http" or "https"
};

// `forwarded_for`: every X-Forwarded-For value of the request, in order, joined by ','.
// `forwarded_proto`: the X-Forwarded-Proto value(s), same joining.
ClientOrigin client_origin(std::string_view peer, std::string_view forwarded_for,
                           std::string_view forwarded_proto, std::span<const ip::Cidr> trusted_proxies,
                           std::string_view transport_scheme = "http");

// The same for a request: its remote_address and all its X-Forwarded-* headers.
ClientOrigin client_origin(const Request& request, std::span<const ip::Cidr> trusted_proxies,
                           std::string_view transport_scheme = "http");

}  // namespace routerly::http
