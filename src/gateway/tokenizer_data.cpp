#include "gateway/tokenizer_data.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

namespace routerly::gateway {
namespace fs = std::filesystem;

namespace {
constexpr const char* kFileName = "o200k_base.tiktoken";
}

std::optional<fs::path> tokenizer_data_path() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("ROUTERLY_TOKENIZER_DATA"); env != nullptr && *env != '\0') {
    candidates.emplace_back(env);
  } else {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
      candidates.push_back(exe.parent_path() / "data" / kFileName);
      candidates.push_back(exe.parent_path().parent_path() / "share" / "routerly" / kFileName);
    }
  }
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p;
  }
  return std::nullopt;
}

const formats::Tokenizer* o200k_tokenizer() {
  static std::once_flag once;
  static std::optional<formats::Tokenizer> tokenizer;
  std::call_once(once, [] {
    auto path = tokenizer_data_path();
    if (!path) {
      spdlog::warn("tokenizer data {} not found: count_tokens falls back to estimates", kFileName);
      return;
    }
    std::ifstream in(*path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto loaded = formats::Tokenizer::from_tiktoken(text.str());
    if (!loaded) {
      spdlog::warn("tokenizer data {} unusable ({}): count_tokens falls back to estimates", path->string(),
                   loaded.error().message);
      return;
    }
    tokenizer.emplace(std::move(*loaded));
    spdlog::debug("tokenizer o200k_base loaded from {}", path->string());
  });
  return tokenizer ? &*tokenizer : nullptr;
}

}  // namespace routerly::gateway
