#include "match/terms.hpp"

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <memory>
#include <stdexcept>

namespace usynys::match {
namespace {

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};
using Stemmer = std::unique_ptr<sb_stemmer, StemmerDeleter>;

// Snowball's name of a language code; nullptr when it has no stemmer here.
const char* snowball_name(std::string_view language) {
  if (language == "ru") return "russian";
  if (language == "en") return "english";
  return nullptr;
}

// One stemmer per thread and language: a Snowball stemmer keeps state between calls.
sb_stemmer* stemmer_for(std::string_view language) {
  thread_local Stemmer russian;
  thread_local Stemmer english;
  const char* name = snowball_name(language);
  if (name == nullptr) return nullptr;
  Stemmer& slot = language == "ru" ? russian : english;
  if (!slot) {
    slot.reset(sb_stemmer_new(name, "UTF_8"));
    if (!slot) throw std::runtime_error(std::string("no Snowball stemmer for ") + name);
  }
  return slot.get();
}

void append_utf8(std::string& out, UChar32 c) {
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, U8_MAX_LENGTH, c, error);
  if (!error) out.append(buf, static_cast<std::size_t>(n));
}

}  // namespace

std::vector<std::string> stems(std::string_view text, std::string_view language) {
  sb_stemmer* stemmer = stemmer_for(language);
  std::vector<std::string> out;
  std::string word;
  int letters = 0;
  auto flush = [&] {
    if (letters > 1) {
      if (stemmer != nullptr) {
        const sb_symbol* s =
            sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                            static_cast<int>(word.size()));
        if (s == nullptr) throw std::runtime_error("Snowball stemmer out of memory");
        out.emplace_back(reinterpret_cast<const char*>(s),
                         static_cast<std::size_t>(sb_stemmer_length(stemmer)));
      } else {
        out.push_back(word);
      }
    }
    word.clear();
    letters = 0;
  };
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0 && (u_isalpha(c) || u_isdigit(c))) {
      // ё and е are one letter in everyday Russian writing.
      UChar32 lower = u_tolower(c);
      if (lower == 0x451) lower = 0x435;
      append_utf8(word, lower);
      ++letters;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

}  // namespace usynys::match
