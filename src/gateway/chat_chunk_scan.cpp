#include "gateway/chat_chunk_scan.hpp"

#include <array>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/system/errc.hpp>
#include <string>

namespace routerly::gateway {

namespace {

using boost::system::error_code;

// The containers whose members matter; everything else (and everything inside it) is `other`.
enum class Kind { root, choices, choice, delta, tool_calls, tool_call, function, other };
// The member keys that matter in those containers.
enum class Key { none, choices, usage, error, delta, finish_reason, text, tool_calls, function, arguments };

// A (container, current key) pair as one switchable value.
constexpr int pair(Kind kind, Key key) {
  return static_cast<int>(kind) * 16 + static_cast<int>(key);
}

Key key_of(Kind container, std::string_view key) {
  switch (container) {
    case Kind::root:
      if (key == "choices") return Key::choices;
      if (key == "usage") return Key::usage;
      if (key == "error") return Key::error;
      return Key::none;
    case Kind::choice:
      if (key == "delta") return Key::delta;
      if (key == "finish_reason") return Key::finish_reason;
      return Key::none;
    case Kind::delta:
      // chunk_text_chars: content, thinking and reasoning_content strings, tool-call arguments.
      if (key == "content" || key == "thinking" || key == "reasoning_content") return Key::text;
      if (key == "tool_calls") return Key::tool_calls;
      return Key::none;
    case Kind::tool_call:
      return key == "function" ? Key::function : Key::none;
    case Kind::function:
      return key == "arguments" ? Key::arguments : Key::none;
    default:
      return Key::none;
  }
}

// boost::json::basic_parser handler. Stops the parse (plain = false) as soon as the chunk is
// seen to need the document.
class Scanner {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  ChunkScan result;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }

  bool on_object_begin(error_code& ec) {
    if (depth_ == 0) return push(Kind::root, ec);
    switch (parent_pair()) {
      case pair(Kind::root, Key::usage):
      case pair(Kind::root, Key::error):
        return stop(ec);
      case pair(Kind::choices, Key::none):
        return push(Kind::choice, ec);
      case pair(Kind::choice, Key::delta):
        return push(Kind::delta, ec);
      case pair(Kind::tool_calls, Key::none):
        return push(Kind::tool_call, ec);
      case pair(Kind::tool_call, Key::function):
        return push(Kind::function, ec);
      default:
        return push(Kind::other, ec);
    }
  }
  bool on_object_end(std::size_t, error_code&) { return pop(); }

  bool on_array_begin(error_code& ec) {
    if (depth_ == 0) return stop(ec);  // not an object
    switch (parent_pair()) {
      case pair(Kind::root, Key::error):
        return stop(ec);
      case pair(Kind::root, Key::choices):
        return push(Kind::choices, ec);
      case pair(Kind::delta, Key::tool_calls):
        return push(Kind::tool_calls, ec);
      default:
        return push(Kind::other, ec);
    }
  }
  bool on_array_end(std::size_t, error_code&) { return pop(); }

  bool on_key_part(std::string_view s, std::size_t, error_code&) {
    key_.append(s);
    return true;
  }
  bool on_key(std::string_view s, std::size_t, error_code&) {
    Kind container = kinds_[depth_ - 1];
    if (key_.empty()) {
      keys_[depth_ - 1] = key_of(container, s);
    } else {
      key_.append(s);
      keys_[depth_ - 1] = key_of(container, key_);
      key_.clear();
    }
    return true;
  }

  bool on_string_part(std::string_view, std::size_t, error_code&) { return true; }
  bool on_string(std::string_view, std::size_t n, error_code& ec) {
    if (depth_ == 0) return stop(ec);
    switch (parent_pair()) {
      case pair(Kind::root, Key::error):
        return stop(ec);
      case pair(Kind::choice, Key::finish_reason):
        result.saw_finish = true;
        break;
      case pair(Kind::delta, Key::text):
      case pair(Kind::function, Key::arguments):
        result.text_chars += static_cast<int64_t>(n);
        break;
      default:
        break;
    }
    return scalar_done();
  }

  bool on_number_part(std::string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, std::string_view, error_code& ec) { return scalar(ec); }
  bool on_uint64(std::uint64_t, std::string_view, error_code& ec) { return scalar(ec); }
  bool on_double(double, std::string_view, error_code& ec) { return scalar(ec); }
  bool on_bool(bool, error_code& ec) { return scalar(ec); }
  bool on_null(error_code& ec) { return scalar(ec); }
  bool on_comment_part(std::string_view, error_code&) { return true; }
  bool on_comment(std::string_view, error_code&) { return true; }

  bool stopped() const { return stopped_; }

 private:
  int parent_pair() const { return pair(kinds_[depth_ - 1], keys_[depth_ - 1]); }

  bool push(Kind kind, error_code& ec) {
    if (depth_ == kinds_.size()) return stop(ec);
    kinds_[depth_] = kind;
    keys_[depth_] = Key::none;
    ++depth_;
    return true;
  }
  // A container ended: it was its parent's current member value.
  bool pop() {
    --depth_;
    if (depth_ > 0) keys_[depth_ - 1] = Key::none;
    return true;
  }
  bool scalar(error_code& ec) {
    if (depth_ == 0) return stop(ec);  // not an object
    if (parent_pair() == pair(Kind::root, Key::error)) return stop(ec);
    return scalar_done();
  }
  bool scalar_done() {
    keys_[depth_ - 1] = Key::none;
    return true;
  }
  bool stop(error_code& ec) {
    stopped_ = true;
    ec = boost::system::errc::make_error_code(boost::system::errc::operation_canceled);
    return false;
  }

  std::array<Kind, 64> kinds_{};
  std::array<Key, 64> keys_{};
  std::size_t depth_ = 0;
  std::string key_;  // a key delivered in parts
  bool stopped_ = false;
};

}  // namespace

ChunkScan scan_chat_chunk(std::string_view json_text) {
  boost::json::basic_parser<Scanner> parser(boost::json::parse_options{});
  error_code ec;
  std::size_t used = parser.write_some(false, json_text.data(), json_text.size(), ec);
  if (ec || used != json_text.size() || parser.handler().stopped()) return ChunkScan{};
  ChunkScan out = parser.handler().result;
  out.plain = true;
  return out;
}

}  // namespace routerly::gateway
