#pragma once
// Test helpers over plain POSIX loopback sockets (no Beast, so these TUs stay cheap): a raw
// byte-level peer with bounded waits, and a scripted server running one thread per connection.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace routerly::http::testing {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// One connected socket. Reads wait at most `timeout`, so a bug fails a test instead of hanging it.
class RawPeer {
 public:
  explicit RawPeer(int fd) : fd_(fd) {}
  RawPeer(RawPeer&& other) noexcept : fd_(other.fd_), buffer_(std::move(other.buffer_)) { other.fd_ = -1; }
  ~RawPeer() {
    if (fd_ >= 0) ::close(fd_);
  }

  static RawPeer connect(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      throw std::runtime_error("connect failed");
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return RawPeer(fd);
  }

  int fd() const { return fd_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads into the buffer once; false on EOF, error or timeout.
  bool fill(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  // Everything up to and including `marker`, removed from the buffer; nullopt on timeout/EOF.
  std::optional<std::string> read_until(std::string_view marker, std::chrono::milliseconds timeout = 5s) {
    auto deadline = Clock::now() + timeout;
    while (true) {
      size_t at = buffer_.find(marker);
      if (at != std::string::npos) {
        std::string out = buffer_.substr(0, at + marker.size());
        buffer_.erase(0, at + marker.size());
        return out;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left <= 0ms || !fill(left)) return std::nullopt;
    }
  }

  std::optional<std::string> read_exactly(size_t n, std::chrono::milliseconds timeout = 5s) {
    auto deadline = Clock::now() + timeout;
    while (buffer_.size() < n) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left <= 0ms || !fill(left)) return std::nullopt;
    }
    std::string out = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return out;
  }

  // A request or a content-length response: head + body (by content-length, if any).
  std::optional<std::string> read_message(std::chrono::milliseconds timeout = 5s) {
    auto head = read_until("\r\n\r\n", timeout);
    if (!head) return std::nullopt;
    size_t length = 0;
    std::string lower_head = *head;
    for (char& c : lower_head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (size_t at = lower_head.find("\r\ncontent-length:"); at != std::string::npos)
      length = std::stoul(lower_head.substr(at + 17));
    auto body = read_exactly(length, timeout);
    if (!body) return std::nullopt;
    return *head + *body;
  }

  // True when the other side closes (EOF or reset) within `timeout`; unread data is skipped.
  bool closed_within(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      int left = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
      if (::poll(&p, 1, std::max(left, 1)) <= 0) return false;
      char chunk[4096];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return true;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
    return false;
  }

  // Closes both directions; the descriptor itself is released by the destructor.
  void close() {
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  }
  const std::string& buffered() const { return buffer_; }

 private:
  int fd_;
  std::string buffer_;
};

// Listens on 127.0.0.1:<free port>; each accepted connection runs `script(peer, index)` on its
// own thread. The destructor unblocks and joins everything.
class ScriptedServer {
 public:
  using Script = std::function<void(RawPeer&, int index)>;

  explicit ScriptedServer(Script script) : script_(std::move(script)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0)
      throw std::runtime_error("listen failed");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~ScriptedServer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    acceptor_.join();
    {
      std::lock_guard lock(mutex_);
      for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : workers_) t.join();
  }

  uint16_t port() const { return port_; }
  int connections() const { return accepted_; }
  std::string url(std::string_view path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  // The raw requests received so far, in order.
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  void record(std::string request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(request));
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      int index = accepted_++;
      std::lock_guard lock(mutex_);
      fds_.push_back(fd);
      workers_.emplace_back([this, fd, index] {
        RawPeer peer(fd);
        script_(peer, index);
        std::lock_guard done(mutex_);
        std::erase(fds_, fd);  // before ~RawPeer releases the descriptor number
      });
    }
  }

  Script script_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> fds_;  // open worker sockets; the destructor's shutdown() unblocks them
  std::vector<std::thread> workers_;
  std::vector<std::string> requests_;
};

}  // namespace routerly::http::testing
