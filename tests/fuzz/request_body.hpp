#pragma once
// A client's JSON request body taken the way the generation routes take it: parsed, required
// to be an object, then checked for the route's API. Only a body that passes goes on to the
// translation harnesses, as in the gateway.
#include "harness.hpp"

#include <boost/json/serialize.hpp>

#include "gateway/call.hpp"
#include "gateway/generation.hpp"

namespace routerly::fuzz {

// The checked call, or nullopt when the gateway would answer 400. The first byte picks the
// Accept header (it decides streaming for /v1/responses without `stream`).
inline std::optional<gateway::Call> checked_request(const uint8_t* data, size_t size, gateway::Api api) {
  const auto [knob, body] = steer(as_text(data, size));
  auto parsed = parse_json(body);
  if (!parsed || !parsed->is_object()) return std::nullopt;
  gateway::Call call;
  call.api = api;
  call.body = std::move(parsed->get_object());
  const std::string_view accept = knob % 2 == 0 ? "application/json" : "*/*";
  if (!gateway::check_request(call, accept)) return std::nullopt;
  return call;
}

}  // namespace routerly::fuzz
