#include "cli/password_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace routerly::cli {

Result<PasswordSource> choose_password_source(bool flag_given, bool from_stdin, bool env_set,
                                              bool stdin_is_tty) {
  if (flag_given && from_stdin)
    return fail(ErrorCode::validation_error, "give either --password or --password-stdin, not both");
  if (flag_given) return PasswordSource::flag;
  if (from_stdin) return PasswordSource::stdin_line;
  if (env_set) return PasswordSource::environment;
  if (stdin_is_tty) return PasswordSource::prompt;
  return PasswordSource::none;
}

Result<std::string> read_password(const std::string& flag_value, bool flag_given, bool from_stdin,
                                  const char* env_name, bool confirm) {
  const char* env = env_name ? std::getenv(env_name) : nullptr;
  const bool env_set = env != nullptr && *env != '\0';
  auto source = choose_password_source(flag_given, from_stdin, env_set, ::isatty(STDIN_FILENO) == 1);
  if (!source) return std::unexpected(source.error());
  std::string password;
  switch (*source) {
    case PasswordSource::flag:
      password = flag_value;
      break;
    case PasswordSource::stdin_line:
      password = read_stdin_line();
      break;
    case PasswordSource::environment:
      password = env;
      break;
    case PasswordSource::prompt:
      password = prompt_password();
      if (confirm && prompt_password("Repeat the password: ") != password)
        return fail(ErrorCode::validation_error, "the passwords do not match");
      break;
    case PasswordSource::none:
      break;
  }
  if (password.empty()) {
    std::string sources = "--password or --password-stdin";
    if (env_name) sources += " (or set " + std::string(env_name) + ")";
    return fail(ErrorCode::validation_error, "a password is required: give " + sources);
  }
  return password;
}

std::string prompt_password(const char* label) {
  std::cerr << label << std::flush;
  termios old{};
  const bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::cerr << '\n';
  return line;
}

std::string read_stdin_line() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace routerly::cli
