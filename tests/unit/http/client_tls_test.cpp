// The client over TLS against a loopback server whose self-signed certificate is made at test
// time with OpenSSL: verification through ClientOptions::ca_file, host name check, failures.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "http/client.hpp"

namespace routerly::http {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct Pem {
  std::string cert;
  std::string key;
};

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

// A self-signed P-256 certificate for `san` (e.g. "IP:127.0.0.1").
Pem make_certificate(const char* san) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("routerly test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (auto [nid, value] :
       {std::pair{NID_subject_alt_name, san}, std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(cert, key, EVP_sha256());
  BIO* cert_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(cert_bio, cert);
  BIO* key_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(key_bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  X509_free(cert);
  EVP_PKEY_free(key);
  return {bio_string(cert_bio), bio_string(key_bio)};
}

// Answers one HTTPS request with "secure" (or just fails the handshake) on 127.0.0.1.
class TlsServer {
 public:
  explicit TlsServer(const Pem& pem)
      : context_(ssl::context::tls_server), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    context_.use_certificate_chain(asio::buffer(pem.cert));
    context_.use_private_key(asio::buffer(pem.key), ssl::context::pem);
    thread_ = std::thread([this] {
      boost::system::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      ssl::stream<tcp::socket&> stream(socket, context_);
      stream.handshake(ssl::stream_base::server, ec);
      if (ec) return;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        size_t n = stream.read_some(asio::buffer(buf), ec);
        if (ec) return;
        request.append(buf, n);
      }
      // connection: close keeps the socket out of the pool (its io_context dies with get_body).
      std::string response = "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 6\r\n\r\nsecure";
      asio::write(stream, asio::buffer(response), ec);
      stream.shutdown(ec);
    });
  }
  ~TlsServer() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    thread_.join();
  }
  std::string url() const {
    return "https://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/";
  }

 private:
  asio::io_context io_;
  ssl::context context_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

struct TempFile {
  explicit TempFile(const std::string& content) {
    path = std::filesystem::temp_directory_path() / ("routerly-ca-" + std::to_string(::getpid()) + ".pem");
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(content.data(), 1, content.size(), f);
    std::fclose(f);
  }
  ~TempFile() { std::filesystem::remove(path); }
  std::filesystem::path path;
};

Result<std::string> get_body(HttpClient& client, std::string url) {
  asio::io_context io;
  std::optional<Result<std::string>> out;
  auto task = [&]() -> asio::awaitable<Result<std::string>> {
    ClientRequest request;
    request.method = "GET";
    request.url = url;
    request.connect_timeout = std::chrono::milliseconds(3000);
    auto response = co_await client.send(std::move(request));
    if (!response) co_return std::unexpected(response.error());
    co_return co_await (*response)->read_all();
  };
  asio::co_spawn(io, task(), [&](std::exception_ptr e, Result<std::string> r) {
    if (e) std::rethrow_exception(e);
    out = std::move(r);
  });
  io.run();
  return *out;
}

TEST(HttpClientTls, VerifiesAgainstTheGivenCaFile) {
  Pem pem = make_certificate("IP:127.0.0.1");
  TempFile ca(pem.cert);
  TlsServer server(pem);
  HttpClient client(ClientOptions{.ca_file = ca.path.string()});
  auto body = get_body(client, server.url());
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, "secure");
}

TEST(HttpClientTls, UnknownIssuerFails) {
  Pem pem = make_certificate("IP:127.0.0.1");
  TlsServer server(pem);
  HttpClient client;
  auto body = get_body(client, server.url());
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::upstream_error);
  EXPECT_NE(body.error().message.find("TLS handshake with 127.0.0.1 failed"), std::string::npos)
      << body.error().message;
  EXPECT_NE(body.error().message.find("self-signed certificate"), std::string::npos) << body.error().message;
}

TEST(HttpClientTls, HostNameMismatchFails) {
  Pem pem = make_certificate("DNS:other.test");
  TempFile ca(pem.cert);
  TlsServer server(pem);
  HttpClient client(ClientOptions{.ca_file = ca.path.string()});
  auto body = get_body(client, server.url());
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::upstream_error);
  EXPECT_NE(body.error().message.find("certificate is not valid for 127.0.0.1"), std::string::npos)
      << body.error().message;
}

TEST(HttpClientTls, VerificationCanBeTurnedOff) {
  Pem pem = make_certificate("DNS:other.test");
  TlsServer server(pem);
  HttpClient client(ClientOptions{.verify_tls = false});
  auto body = get_body(client, server.url());
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, "secure");
}

}  // namespace
}  // namespace routerly::http
