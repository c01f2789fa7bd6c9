#include "domain/receipt.hpp"

#include <cstdint>

namespace usynys::domain {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kCodeChars = kReceiptBytes * 8 / 5;
constexpr std::size_t kGroup = 4;

// The value of one typed character, -1 for one that is not in a code.
int digit_value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'O') return 0;
  if (c == 'I' || c == 'L') return 1;
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

}  // namespace

std::string format_receipt(std::string_view raw) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t written = 0;
  for (unsigned char c : raw) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      if (written > 0 && written % kGroup == 0) out += '-';
      out += kAlphabet[(acc >> bits) & 31];
      ++written;
    }
  }
  return out;
}

std::optional<std::string> parse_receipt(std::string_view code) {
  if (code.size() > 2 * kCodeChars) return std::nullopt;
  std::string raw;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t read = 0;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    const int v = digit_value(c);
    if (v < 0 || ++read > kCodeChars) return std::nullopt;
    acc = (acc << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      raw += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (read != kCodeChars) return std::nullopt;
  return raw;
}

}  // namespace usynys::domain
