#pragma once
// A client's JSON request body taken the way the generation routes take it: parsed, required
// to be an object, then checked for the route's API. Only a body that passes goes on to the
// translation harnesses, as in the gateway.
#include "harness.hpp"

#include <boost/json/serialize.hpp>

#include "gateway/call.hpp"
#include "gateway/generation.hpp"

namespace routerly::fuzz {

// The checked call, or nullopt when the gateway would answer 400.
inline std::optional<gateway::Call> checked_request(const uint8_t* data, size_t size, gateway::Api api) {
  // The first byte once chose an Accept header; streaming no longer depends on it, and the
  // committed corpus keeps the byte, so it is skipped.
  auto parsed = parse_json(steer(as_text(data, size)).rest);
  if (!parsed || !parsed->is_object()) return std::nullopt;
  gateway::Call call;
  call.api = api;
  call.body = std::move(parsed->get_object());
  if (!gateway::check_request(call)) return std::nullopt;
  return call;
}

}  // namespace routerly::fuzz
