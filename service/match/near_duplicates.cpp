#include "match/near_duplicates.hpp"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <iterator>
#include <limits>
#include <stdexcept>

namespace usynys::match {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = kFnvOffset) {
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

// A 64-bit mixer (splitmix64's finaliser): spreads every input bit over the output.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// The seed of each MinHash function, fixed for the method's version.
const std::array<std::uint64_t, kMinHashes>& seeds() {
  static const std::array<std::uint64_t, kMinHashes> values = [] {
    std::array<std::uint64_t, kMinHashes> out{};
    std::uint64_t x = 0x7573796E79730001ULL;  // "usynys", version 1
    for (std::uint64_t& s : out) {
      x = mix(x);
      s = x;
    }
    return out;
  }();
  return values;
}

void append_utf8(std::string& out, UChar32 c) {
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, U8_MAX_LENGTH, c, error);
  if (!error) out.append(buf, static_cast<std::size_t>(n));
}

// UTF-8 to NFC UTF-16; invalid sequences become U+FFFD.
std::u16string nfc_utf16(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = 0;
  u_strFromUTF8WithSub(nullptr, 0, &length, text.data(), static_cast<int32_t>(text.size()), 0xFFFD,
                       nullptr, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
    throw std::runtime_error("text cannot be read as UTF-8");
  }
  std::u16string utf16(static_cast<std::size_t>(length), u'\0');
  status = U_ZERO_ERROR;
  u_strFromUTF8WithSub(utf16.data(), length, nullptr, text.data(),
                       static_cast<int32_t>(text.size()), 0xFFFD, nullptr, &status);
  if (U_FAILURE(status)) throw std::runtime_error("text cannot be read as UTF-8");
  const UNormalizer2* nfc = unorm2_getNFCInstance(&status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU has no NFC normaliser");
  const int32_t needed = unorm2_normalize(nfc, utf16.data(), length, nullptr, 0, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
    throw std::runtime_error("text cannot be normalised");
  }
  std::u16string out(static_cast<std::size_t>(needed), u'\0');
  status = U_ZERO_ERROR;
  unorm2_normalize(nfc, utf16.data(), length, out.data(), needed, &status);
  if (U_FAILURE(status)) throw std::runtime_error("text cannot be normalised");
  return out;
}

}  // namespace

std::vector<std::string> signature_words(std::string_view text) {
  const std::u16string s = nfc_utf16(text);
  std::vector<std::string> out;
  std::string word;
  const auto length = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U16_NEXT(s.data(), i, length, c);
    if (u_isalpha(c) || (u_getIntPropertyValue(c, UCHAR_GENERAL_CATEGORY_MASK) & U_GC_M_MASK)) {
      UChar32 folded = u_foldCase(c, U_FOLD_CASE_DEFAULT);
      if (folded == 0x451) folded = 0x435;  // ё, е
      append_utf8(word, folded);
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

TextSignature signature(std::string_view text) {
  const std::vector<std::string> words = signature_words(text);
  TextSignature sig;
  sig.words = words.size();
  std::vector<std::uint64_t> hashes;
  hashes.reserve(words.size());
  std::uint64_t exact = kFnvOffset;
  for (const std::string& w : words) {
    hashes.push_back(fnv1a(w));
    exact = fnv1a(w, exact);
    exact = fnv1a(" ", exact);
  }
  sig.exact = exact;
  if (!hashes.empty()) {
    const std::size_t width = std::min(kShingleWords, hashes.size());
    sig.shingles.reserve(hashes.size() - width + 1);
    for (std::size_t i = 0; i + width <= hashes.size(); ++i) {
      std::uint64_t h = 0;
      for (std::size_t j = 0; j < width; ++j) h = mix(h ^ hashes[i + j]);
      sig.shingles.push_back(h);
    }
    std::sort(sig.shingles.begin(), sig.shingles.end());
    sig.shingles.erase(std::unique(sig.shingles.begin(), sig.shingles.end()), sig.shingles.end());
  }
  sig.minhash.fill(std::numeric_limits<std::uint32_t>::max());
  const auto& s = seeds();
  for (std::uint64_t shingle : sig.shingles) {
    for (std::size_t i = 0; i < kMinHashes; ++i) {
      const auto v = static_cast<std::uint32_t>(mix(shingle ^ s[i]) >> 32);
      sig.minhash[i] = std::min(sig.minhash[i], v);
    }
  }
  for (std::size_t b = 0; b < kBands; ++b) {
    std::uint64_t h = mix(b + 1);
    for (std::size_t r = 0; r < kRowsPerBand; ++r) h = mix(h ^ sig.minhash[b * kRowsPerBand + r]);
    sig.bands[b] = sig.shingles.empty() ? 0 : h;
  }
  return sig;
}

double jaccard(const TextSignature& a, const TextSignature& b) {
  if (a.shingles.empty() || b.shingles.empty()) return 0.0;
  std::size_t common = 0;
  auto i = a.shingles.begin();
  auto j = b.shingles.begin();
  while (i != a.shingles.end() && j != b.shingles.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  const std::size_t all = a.shingles.size() + b.shingles.size() - common;
  return static_cast<double>(common) / static_cast<double>(all);
}

double estimated_jaccard(const TextSignature& a, const TextSignature& b) {
  if (a.shingles.empty() || b.shingles.empty()) return 0.0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < kMinHashes; ++i) equal += a.minhash[i] == b.minhash[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(kMinHashes);
}

namespace {

// Sentences as written, trimmed; a sentence ends after its run of . ! ? or …, or at a line break.
std::vector<std::string> sentences(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  const auto flush = [&] {
    const auto first = current.find_first_not_of(" \t\r\n");
    if (first != std::string::npos) {
      const auto last = current.find_last_not_of(" \t\r\n");
      out.push_back(current.substr(first, last - first + 1));
    }
    current.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      flush();
      continue;
    }
    current += c;
    const bool ellipsis = text.substr(i, 3) == "\u2026";
    if (ellipsis) {
      current += text.substr(i + 1, 2);
      i += 2;
    }
    if (c == '.' || c == '!' || c == '?' || ellipsis) {
      const bool more =
          i + 1 < text.size() && (text[i + 1] == '.' || text[i + 1] == '!' || text[i + 1] == '?');
      if (!more && (i + 1 >= text.size() || text[i + 1] == ' ' || text[i + 1] == '\n')) flush();
    }
  }
  flush();
  return out;
}

std::vector<std::string> distinct_words(std::string_view sentence) {
  std::vector<std::string> words = signature_words(sentence);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

double word_jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  const std::size_t all = a.size() + b.size() - common.size();
  return all == 0 ? 0.0 : static_cast<double>(common.size()) / static_cast<double>(all);
}

}  // namespace

std::vector<std::string> added_sentences(std::string_view text, std::string_view representative) {
  std::vector<std::vector<std::string>> theirs;
  for (const std::string& s : sentences(representative)) theirs.push_back(distinct_words(s));
  std::vector<std::string> out;
  for (std::string& s : sentences(text)) {
    const std::vector<std::string> mine = distinct_words(s);
    if (mine.empty()) continue;
    bool known = false;
    for (const auto& t : theirs) {
      if (word_jaccard(mine, t) >= 0.5) {
        known = true;
        break;
      }
    }
    if (!known) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace usynys::match
