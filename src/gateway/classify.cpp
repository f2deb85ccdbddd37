#include "gateway/classify.hpp"

#include "formats/errors.hpp"

namespace routerly::gateway {

Verdict classify_status(unsigned status) {
  if (status >= 200 && status < 300) return Verdict::success;
  if (status == 400 || status == 422) return Verdict::request_fault;
  return Verdict::next_candidate;
}

std::string upstream_failure_text(unsigned status, std::string_view body) {
  constexpr std::size_t kMaxMessage = 300;
  std::string message = formats::upstream_error_message(status, body);
  if (message.size() > kMaxMessage) {
    std::size_t cut = kMaxMessage;
    while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    message.resize(cut);
    message += "…";
  }
  return std::to_string(status) + " " + message;
}

}  // namespace routerly::gateway
