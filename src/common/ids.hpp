#pragma once
#include <string>

namespace routerly::ids {
std::string uuid_v4();
std::string uuid_v7();  // time-ordered; used for trace ids and usage rows
}  // namespace routerly::ids
