#include "app/provenance.hpp"

#include <mutex>

namespace vtrial {
namespace {
std::mutex command_mutex;
std::string the_command;

bool plain(const std::string& word) {
  if (word.empty()) return false;
  for (char c : word) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string("-_./=:,+@%").find(c) != std::string::npos;
    if (!ok) return false;
  }
  return true;
}
}  // namespace

void set_command(std::string command) {
  std::lock_guard lock(command_mutex);
  the_command = std::move(command);
}

std::string command() {
  std::lock_guard lock(command_mutex);
  return the_command;
}

std::string shell_words(const std::vector<std::string>& words) {
  std::string line;
  for (const auto& w : words) {
    if (!line.empty()) line += ' ';
    if (plain(w)) {
      line += w;
      continue;
    }
    line += '\'';
    for (char c : w) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

}  // namespace vtrial
