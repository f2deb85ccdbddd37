#include "http/forwarded.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace routerly::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_list(std::string_view list) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = std::min(list.find(',', start), list.size());
    out.push_back(trim(list.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

// One X-Forwarded-For entry: an address, "[v6]:port" or "v4:port" as some proxies write it.
std::optional<ip::Address> entry_address(std::string_view entry) {
  if (auto a = ip::parse(entry)) return a;
  if (entry.starts_with('[')) {
    auto close = entry.find(']');
    if (close != std::string_view::npos) return ip::parse(entry.substr(1, close - 1));
    return std::nullopt;
  }
  auto colon = entry.find(':');
  if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos)
    return ip::parse(entry.substr(0, colon));
  return std::nullopt;
}

bool trusted(const ip::Address& a, std::span<const ip::Cidr> proxies) {
  return std::any_of(proxies.begin(), proxies.end(), [&](const ip::Cidr& c) { return c.contains(a); });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

ClientOrigin client_origin(std::string_view peer, std::string_view forwarded_for,
                           std::string_view forwarded_proto, std::span<const ip::Cidr> trusted_proxies,
                           std::string_view transport_scheme) {
  auto peer_address = ip::parse(peer);
  ClientOrigin out{peer_address ? peer_address->to_string() : std::string(peer),
                   std::string(transport_scheme)};
  if (!peer_address || !trusted(*peer_address, trusted_proxies)) return out;

  // The peer is a trusted proxy: the right-most address that is not itself trusted is the
  // client. An unreadable entry ends the walk at the last trusted hop (nothing left of it can
  // be vouched for).
  if (!trim(forwarded_for).empty()) {
    auto hops = split_list(forwarded_for);
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
      auto hop = entry_address(*it);
      if (!hop) break;
      out.address = hop->to_string();
      if (!trusted(*hop, trusted_proxies)) break;
    }
  }
  // The scheme the nearest proxy reports (the right-most value), when it is one we know.
  if (!trim(forwarded_proto).empty()) {
    std::string proto = lower(split_list(forwarded_proto).back());
    if (proto == "http" || proto == "https") out.scheme = std::move(proto);
  }
  return out;
}

ClientOrigin client_origin(const Request& request, std::span<const ip::Cidr> trusted_proxies,
                           std::string_view transport_scheme) {
  std::string forwarded_for, forwarded_proto;
  for (const auto& h : request.headers) {
    if (h.name == "x-forwarded-for") forwarded_for += (forwarded_for.empty() ? "" : ",") + h.value;
    if (h.name == "x-forwarded-proto") forwarded_proto += (forwarded_proto.empty() ? "" : ",") + h.value;
  }
  return client_origin(request.remote_address, forwarded_for, forwarded_proto, trusted_proxies,
                       transport_scheme);
}

}  // namespace routerly::http
