#pragma once
// The process-wide o200k tokenizer, loaded from disk on first use (nothing is ever fetched at
// run time; the data file is generated at build time, tools/tokenizer-data). Looked up at
// $ROUTERLY_TOKENIZER_DATA (a file), else <binary dir>/data/o200k_base.tiktoken, else
// <binary dir>/../share/routerly/o200k_base.tiktoken.
#include <filesystem>
#include <optional>

#include "formats/tokenizer.hpp"

namespace routerly::gateway {

// The first existing candidate file, or nullopt.
std::optional<std::filesystem::path> tokenizer_data_path();

// The shared tokenizer, or nullptr when the data is missing or unreadable (logged once as a
// warning). The first call reads ~3.6 MB and builds the table (~0.1 s): call it from the
// blocking pool, e.g. once at start-up to warm it.
const formats::Tokenizer* o200k_tokenizer();

}  // namespace routerly::gateway
