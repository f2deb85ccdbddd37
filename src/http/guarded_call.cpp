#include "http/guarded_call.hpp"

#include <cxxabi.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <exception>
#include <memory>
#include <typeinfo>

namespace routerly::http {

namespace {
std::string type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? std::string(demangled.get()) : std::string(type.name());
}

Response internal_error() {
  return Response::error(ErrorCode::internal_error, "internal server error");
}
}  // namespace

Response call_guarded(const std::function<Response(Request&)>& handler, Request& request) {
  if (!handler) return Response::error(ErrorCode::not_found, "no route for " + request.path);
  try {
    return handler(request);
  } catch (const std::exception& e) {
    // what() may carry request data, so it stays at debug level.
    spdlog::error("handler failed with {} on {} {}", type_name(typeid(e)), request.method, request.path);
    spdlog::debug("handler failure detail: {}", e.what());
  } catch (...) {
    spdlog::error("handler failed with a non-standard exception on {} {}", request.method, request.path);
  }
  return internal_error();
}

}  // namespace routerly::http
