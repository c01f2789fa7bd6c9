// Near-duplicate texts, the ground of campaign detection: a text's words after normalisation
// (NFC, case folding, numbers and punctuation left out), its word shingles, a MinHash signature
// of them and its locality-sensitive bands. Two texts whose shingle sets overlap with Jaccard
// similarity s share at least one band with probability 1 - (1 - s^kRowsPerBand)^kBands: about
// 0.99 at s = 0.6 and 0.05 at s = 0.2, so candidates are found by band keys (an index
// lookup each) and never by comparing every pair. Pure.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace usynys::match {

// Names the signature method and its version: signatures of two versions do not compare.
inline constexpr std::string_view kSignatureMethod = "minhash-3shingles-128x32/1";

inline constexpr std::size_t kShingleWords = 3;
inline constexpr std::size_t kMinHashes = 128;
inline constexpr std::size_t kBands = 32;
inline constexpr std::size_t kRowsPerBand = kMinHashes / kBands;

struct TextSignature {
  // FNV-1a of the normalised words joined by spaces: equal for texts that differ only in case,
  // spacing, punctuation or numbers.
  std::uint64_t exact = 0;
  std::size_t words = 0;
  // Distinct shingle hashes, sorted (the exact Jaccard compares these).
  std::vector<std::uint64_t> shingles;
  std::array<std::uint32_t, kMinHashes> minhash{};
  // One key per band: a hash of its rows and its index, so that equal keys mean equal rows of
  // the same band. All 0 for a text without words.
  std::array<std::uint64_t, kBands> bands{};

  // False for a text without words (only numbers or signs): it is nobody's near-duplicate.
  bool comparable() const { return !shingles.empty(); }
};

// The words of a text (valid UTF-8) as signatures see them: NFC, case-folded (ё as е), runs of
// letters; digits, punctuation and symbols separate words and are dropped.
std::vector<std::string> signature_words(std::string_view text);

// The signature of a text. A text of fewer words than a shingle has one shingle of all of them;
// one without words has none.
TextSignature signature(std::string_view text);

// Jaccard similarity of the two shingle sets, exactly; 0 when either text is not comparable.
double jaccard(const TextSignature& a, const TextSignature& b);
// The same estimated from the MinHash signatures (the share of equal positions).
double estimated_jaccard(const TextSignature& a, const TextSignature& b);

// The sentences of `text` that `representative` lacks, in their order and as written: those
// whose words (as signatures see them) appear in no sentence of the representative, nor in one
// sharing at least half of its distinct words with them (an edited copy of a sentence is not an
// added one). Sentences end at . ! ? … or a line break.
std::vector<std::string> added_sentences(std::string_view text, std::string_view representative);

}  // namespace usynys::match
