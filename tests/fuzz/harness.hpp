#pragma once
// Shared by the fuzz harnesses. Each harness defines the libFuzzer-style entry point
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// which is linked either with replay_main.cpp (ctest: every committed corpus file, once) or
// with an engine's driver (AFL++'s libAFLDriver.a, see run.sh). A harness must never crash,
// leak or trip a sanitizer on any input; where a parser promises a property (same events
// whatever the chunking, idempotent normalisation, ...) the harness checks it with
// fuzz_require, which aborts so the engine records the input as a crash.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace routerly::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts with a message when a promised property does not hold.
inline void fuzz_require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::abort();
}

// The bytes parsed the way the gateway parses request and response bodies, or nullopt.
inline std::optional<boost::json::value> parse_json(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return std::nullopt;
  return v;
}

// Whether `text` is valid UTF-8 (what the JSON parser requires of string contents).
inline bool valid_utf8(std::string_view text) {
  boost::system::error_code ec;
  (void)boost::json::parse(boost::json::serialize(boost::json::string(text)), ec);
  return !ec;
}

// Splits `text` into a first byte that steers the harness (chunk sizes, a variant) and the rest.
struct Steered {
  uint8_t knob = 0;
  std::string_view rest;
};
inline Steered steer(std::string_view text) {
  if (text.empty()) return {};
  return {static_cast<uint8_t>(text.front()), text.substr(1)};
}

}  // namespace routerly::fuzz
