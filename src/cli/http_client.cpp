#include "cli/http_client.hpp"

#include <curl/curl.h>

#include <memory>

namespace routerly::cli {
namespace {

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

constexpr long kTimeoutSeconds = 60;

}  // namespace

Result<HttpReply> http_request(std::string_view method, const std::string& url, const std::string* json_body,
                               const std::string& bearer) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
  std::unique_ptr<CURL, EasyDeleter> h(curl_easy_init());
  if (!h) return fail(ErrorCode::internal_error, "could not initialise the HTTP client");

  curl_slist* raw = nullptr;
  raw = curl_slist_append(raw, "Accept: application/json");
  if (json_body) raw = curl_slist_append(raw, "Content-Type: application/json");
  const std::string auth = "Authorization: Bearer " + bearer;
  if (!bearer.empty()) raw = curl_slist_append(raw, auth.c_str());
  std::unique_ptr<curl_slist, ListDeleter> headers(raw);

  HttpReply reply;
  const std::string verb(method);
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_CUSTOMREQUEST, verb.c_str());
  curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT, kTimeoutSeconds);
  curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &reply.body);
  if (json_body) {
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, json_body->data());
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json_body->size()));
  }
  const CURLcode rc = curl_easy_perform(h.get());
  if (rc != CURLE_OK) {
    return fail(ErrorCode::upstream_error, "cannot reach " + url + ": " + curl_easy_strerror(rc));
  }
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace routerly::cli
