// Words of a text as a comparison of texts needs them: lowercased, cut into runs of letters and
// digits, stemmed (Snowball, libstemmer) where the language has a stemmer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace usynys::match {

// The stems of `text` (valid UTF-8) in order. `language`: "ru" and "en" are stemmed with
// Snowball's Russian and English algorithms, "kk" by stripping Kazakh inflections; any other
// language keeps the lowercased words.
// Words of one character are dropped.
std::vector<std::string> stems(std::string_view text, std::string_view language);

}  // namespace usynys::match
