#include "match/terms.hpp"

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <memory>
#include <stdexcept>
#include <utility>

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

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  return n;
}

// Kazakh has no Snowball stemmer: its inflections (case, number, possession, the commonest
// verb forms, the adjective endings -лық and -дағы) are stripped from the end, longest first,
// as long as three letters remain.
constexpr std::string_view kKazakhSuffixes[] = {
    "ларының", "лерінің", "дарының", "дерінің", "тарының", "терінің", "ымыздың", "іміздің",
    "ларына",  "леріне",  "дарына",  "деріне",  "тарына",  "теріне",  "ндағы",   "ндегі",
    "ларын",   "лерін",   "дарын",   "дерін",   "тарын",   "терін",   "ларда",   "лерде",
    "дарда",   "дерде",   "тарда",   "терде",   "лардан",  "лерден",  "дардан",  "дерден",
    "тардан",  "терден",  "ымыз",    "іміз",    "ыңыз",    "іңіз",    "сының",   "сінің",
    "ының",    "інің",    "сына",    "сіне",    "сында",   "сінде",   "сынан",   "сінен",
    "ында",    "інде",    "ынан",    "інен",    "дағы",    "дегі",    "тағы",    "тегі",
    "ына",     "іне",     "лары",    "лері",    "дары",    "дері",    "тары",    "тері",
    "ның",     "нің",     "дың",     "дің",     "тың",     "тің",     "дан",     "ден",
    "тан",     "тен",     "нан",     "нен",     "мен",     "бен",     "пен",     "нда",
    "нде",     "лар",     "лер",     "дар",     "дер",     "тар",     "тер",     "ған",
    "ген",     "қан",     "кен",     "атын",    "етін",    "йтын",    "йтін",    "ады",
    "еді",     "йды",     "йді",     "лық",     "лік",     "дық",     "дік",     "тық",
    "тік",     "мыз",     "міз",     "ңыз",     "ңіз",     "сын",     "сін",     "ын",
    "ін",      "сы",      "сі",      "ға",      "ге",      "қа",      "ке",      "на",
    "не",      "ны",      "ні",      "ды",      "ді",      "ты",      "ті",      "да",
    "де",      "та",      "те",      "ым",      "ім",      "ың",      "ің",      "у",
    "ы",       "і",       "а",       "е",
};

// A stem that lost its ending may show the voiced consonant a vowel brought on (құқығы,
// кітабы): it is spelt with the voiceless one the bare word ends in (құқық, кітап).
void devoice_last(std::string& word) {
  constexpr std::pair<std::string_view, std::string_view> kPairs[] = {
      {"ғ", "қ"}, {"г", "к"}, {"б", "п"}};
  for (const auto& [voiced, voiceless] : kPairs) {
    if (word.ends_with(voiced)) {
      word.replace(word.size() - voiced.size(), voiced.size(), voiceless);
      return;
    }
  }
}

std::string kazakh_stem(std::string word) {
  bool stripped_any = false;
  for (int round = 0; round < 3; ++round) {
    bool stripped = false;
    for (std::string_view suffix : kKazakhSuffixes) {
      if (word.size() > suffix.size() && word.ends_with(suffix) &&
          code_points(std::string_view(word).substr(0, word.size() - suffix.size())) >= 3) {
        word.resize(word.size() - suffix.size());
        stripped = true;
        break;
      }
    }
    if (!stripped) break;
    stripped_any = true;
  }
  if (stripped_any) devoice_last(word);
  return word;
}

// Kazakh texts are often typed with look-alike letters of other alphabets: the Latin i for і,
// the schwa ə for ә.
UChar32 kazakh_letter(UChar32 lower) {
  switch (lower) {
    case 0x69:  // i
      return 0x456;
    case 0x259:  // ə
      return 0x4D9;
    default:
      return lower;
  }
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
  const bool kazakh = language == "kk";
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
      } else if (language == "kk") {
        out.push_back(kazakh_stem(word));
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
      if (kazakh) lower = kazakh_letter(lower);
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
