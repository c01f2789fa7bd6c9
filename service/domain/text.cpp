#include "domain/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <stdexcept>

namespace usynys::domain {
namespace {

// Decodes the code point at s[i], advancing i; returns a negative value on malformed input.
UChar32 next_code_point(std::string_view s, std::size_t& i) {
  UChar32 c = 0;
  auto len = static_cast<int32_t>(s.size());
  auto pos = static_cast<int32_t>(i);
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos, len, c);
  i = static_cast<std::size_t>(pos);
  return c;
}

}  // namespace

bool valid_utf8(std::string_view s) {
  // ICU's U8_NEXT rejects overlongs, surrogates and values above U+10FFFF. ASCII and the two-byte
  // sequences of Cyrillic and most other alphabets are checked here, the rest by ICU.
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
    } else if (b >= 0xC2 && b <= 0xDF && i + 1 < s.size() &&
               (static_cast<unsigned char>(s[i + 1]) & 0xC0U) == 0x80U) {
      i += 2;
    } else if (next_code_point(s, i) < 0) {
      return false;
    }
  }
  return true;
}

std::string to_nfc(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFC normaliser unavailable");
  const icu::StringPiece piece(s.data(), static_cast<int32_t>(s.size()));
  // Most text is already in NFC: check the UTF-8 as it is, without converting it.
  if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(s);
  status = U_ZERO_ERROR;
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(piece);
  icu::UnicodeString out = nfc->normalize(in, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFC normalisation failed");
  std::string result;
  out.toUTF8String(result);
  return result;
}

std::string trim(std::string_view s) {
  std::size_t begin = 0;
  std::size_t end = s.size();
  // Leading white space.
  for (std::size_t i = 0; i < s.size();) {
    std::size_t at = i;
    UChar32 c = next_code_point(s, i);
    if (c < 0 || !u_isUWhiteSpace(c)) {
      begin = at;
      break;
    }
    begin = i;
  }
  // Trailing white space, stepping back from the end: only the white space itself is read.
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  while (end > begin) {
    auto pos = static_cast<int32_t>(end);
    UChar32 c = 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"  // inside ICU's macro
    U8_PREV(bytes, static_cast<int32_t>(begin), pos, c);
#pragma GCC diagnostic pop
    if (c < 0 || !u_isUWhiteSpace(c)) break;
    end = static_cast<std::size_t>(pos);
  }
  return std::string(s.substr(begin, end - begin));
}

std::size_t code_points(std::string_view s) {
  // One lead byte per code point in valid UTF-8: every byte but the continuations 10xxxxxx.
  if (valid_utf8(s)) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    return n;
  }
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) next_code_point(s, i);
  return n;
}

namespace {

bool has_control(std::string_view s, bool allow_line_breaks) {
  for (std::size_t i = 0; i < s.size();) {
    // ASCII and two-byte sequences decoded here (U+0080..U+009F are 0xC2 0x80..0x9F), the rest
    // by ICU.
    const auto b = static_cast<unsigned char>(s[i]);
    UChar32 c = 0;
    if (b < 0x80) {
      c = b;
      ++i;
    } else if (b >= 0xC2 && b <= 0xDF && i + 1 < s.size() &&
               (static_cast<unsigned char>(s[i + 1]) & 0xC0U) == 0x80U) {
      c = static_cast<UChar32>(((b & 0x1FU) << 6U) |
                               (static_cast<unsigned char>(s[i + 1]) & 0x3FU));
      i += 2;
    } else {
      c = next_code_point(s, i);
    }
    if (c < 0) return true;
    if (allow_line_breaks && (c == '\t' || c == '\n' || c == '\r')) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

}  // namespace

bool has_control_chars(std::string_view s) {
  return has_control(s, true);
}

bool has_any_control_char(std::string_view s) {
  return has_control(s, false);
}

}  // namespace usynys::domain
