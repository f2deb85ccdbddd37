#include "notify/transport.hpp"

#include "notify/payload.hpp"

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace routerly::notify {

namespace {

constexpr long kConnectTimeoutS = 10;
constexpr long kTotalTimeoutS = 20;
constexpr std::size_t kMaxResponseBytes = 4096;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using List = std::unique_ptr<curl_slist, ListDeleter>;

size_t collect(char* data, size_t size, size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  size_t n = size * count;
  if (out->size() < kMaxResponseBytes) out->append(data, std::min(n, kMaxResponseBytes - out->size()));
  return n;
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t feed(char* buffer, size_t size, size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t n = std::min(size * count, up->data->size() - up->offset);
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

Easy new_handle() {
  global_init();
  Easy h(curl_easy_init());
  if (h) {
    curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT, kConnectTimeoutS);
    curl_easy_setopt(h.get(), CURLOPT_TIMEOUT, kTotalTimeoutS);
  }
  return h;
}

// What the socket callback compares against; `refused` tells the caller why curl failed.
struct PinState {
  ip::Address address;
  bool refused = false;
};

curl_socket_t open_pinned_socket(void* user, curlsocktype, curl_sockaddr* target) {
  auto* state = static_cast<PinState*>(user);
  std::optional<ip::Address> to;
  if (target->family == AF_INET && target->addrlen >= sizeof(sockaddr_in)) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&target->addr);
    const auto* p = reinterpret_cast<const uint8_t*>(&in->sin_addr);
    to = ip::from_v4(p[0], p[1], p[2], p[3]);
  } else if (target->family == AF_INET6 && target->addrlen >= sizeof(sockaddr_in6)) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&target->addr);
    ip::Address a;
    std::memcpy(a.bytes.data(), &in6->sin6_addr, 16);
    to = a;
  }
  if (!to || !(*to == state->address)) {
    state->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(target->family, target->socktype, target->protocol);
}

// Connects only to the pinned address: curl's resolver is handed the checked answer for the
// host, proxies from the environment are off (a proxy would do its own lookup), and the socket
// callback refuses any other address.
void pin_connection(CURL* c, const Pin& pin, PinState& state, List& resolve) {
  state.address = pin.address;
  if (!ip::parse(pin.host)) {
    std::string address = pin.address.to_string();
    if (!pin.address.is_v4()) address = "[" + address + "]";
    std::string entry = pin.host + ":" + std::to_string(pin.port) + ":" + address;
    resolve.reset(curl_slist_append(nullptr, entry.c_str()));
    curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
  }
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_pinned_socket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &state);
}

std::unexpected<Error> curl_failure(CURLcode code, const char* detail, const PinState& pin) {
  if (pin.refused)
    return fail(ErrorCode::upstream_error, "connection refused: the host now resolves to an address other than the checked one");
  std::string message = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  return fail(ErrorCode::upstream_error, message);
}

// An IPv6 literal needs brackets in a URL.
std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos && !host.starts_with("[") ? "[" + host + "]" : host;
}

}  // namespace

Result<WebhookResponse> send_webhook(const WebhookTarget& target, const std::string& body,
                                     const std::optional<Pin>& pin) {
  Easy h = new_handle();
  if (!h) return fail(ErrorCode::internal_error, "cannot initialise libcurl");
  char error[CURL_ERROR_SIZE] = {0};
  WebhookResponse response;
  List headers, resolve;
  PinState pinned;
  CURL* c = h.get();
  if (pin) pin_connection(c, *pin, pinned, resolve);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_URL, target.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  if (target.method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Routerly/" ROUTERLY_VERSION);
    if (!target.secret.empty())
      list = curl_slist_append(list, ("X-Routerly-Signature: " + signature(target.secret, body)).c_str());
    headers.reset(list);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return curl_failure(rc, error, pinned);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

Result<void> send_mail(const SmtpTarget& target, const std::vector<std::string>& recipients,
                       const std::string& message, const std::optional<Pin>& pin) {
  if (recipients.empty()) return fail(ErrorCode::validation_error, "no recipient");
  Easy h = new_handle();
  if (!h) return fail(ErrorCode::internal_error, "cannot initialise libcurl");
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = h.get();
  std::string url = std::string(target.secure ? "smtps://" : "smtp://") + url_host(target.host) + ":" +
                    std::to_string(target.port);
  List resolve;
  PinState pinned;
  if (pin) pin_connection(c, *pin, pinned, resolve);
  std::string from = "<" + target.from_address + ">";
  List rcpt;
  for (const auto& r : recipients) rcpt.reset(curl_slist_append(rcpt.release(), ("<" + r + ">").c_str()));
  Upload upload{&message};

  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (!target.secure) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  if (!target.verify_tls) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!target.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, target.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, target.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return curl_failure(rc, error, pinned);
  return {};
}

}  // namespace routerly::notify
