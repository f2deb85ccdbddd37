#pragma once
// Where a command gets a password from: --password, --password-stdin, an environment variable,
// or a prompt without echo when standard input is a terminal (in that order).
#include <string>

#include "common/error.hpp"

namespace routerly::cli {

enum class PasswordSource { flag, stdin_line, environment, prompt, none };

// The first available source; both --password and --password-stdin given is an error.
Result<PasswordSource> choose_password_source(bool flag_given, bool from_stdin, bool env_set,
                                              bool stdin_is_tty);

// Reads the password from the chosen source. `env_name` may be null (no environment source);
// `confirm` makes a prompt ask twice. An empty password is an error naming the sources.
Result<std::string> read_password(const std::string& flag_value, bool flag_given, bool from_stdin,
                                  const char* env_name, bool confirm);

// Reads one line from the terminal with echo off, after printing `label` on stderr.
std::string prompt_password(const char* label = "Password: ");

// One line of standard input without its line ending.
std::string read_stdin_line();

}  // namespace routerly::cli
